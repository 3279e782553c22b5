"""Pages that explain each problem type; a problem's `type` URI points at one of them."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from agora.core.problems import problem_description, problem_types, type_uri


def _wants_json(request: HttpRequest) -> bool:
    accepted = request.get_preferred_type(["text/html", "application/json"])
    return accepted == "application/json"


def _entry(code: str, cls) -> dict:
    return {
        "type": type_uri(code),
        "code": code,
        "title": cls.title,
        "status": cls.status,
        "description": problem_description(cls),
    }


def problem_list(request: HttpRequest) -> HttpResponse:
    """List every problem type the API can answer with."""
    entries = [_entry(code, cls) for code, cls in problem_types().items()]
    if _wants_json(request):
        return JsonResponse({"problems": entries})
    return render(request, "core/problem_list.html", {"problems": entries})


def problem_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Explain one problem type, as HTML or (with Accept: application/json) as JSON."""
    cls = problem_types().get(code)
    if cls is None:
        raise Http404("No such problem type.")
    entry = _entry(code, cls)
    if _wants_json(request):
        return JsonResponse(entry)
    return render(request, "core/problem_detail.html", {"problem": entry})
