"""The catalogue's public pages: every service, and one service with what it takes.

Anyone may read them; only published services of active organisations are shown.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from agora.catalog.eligibility import rule_evaluate
from agora.catalog.selectors import question_infos, service_get, service_list
from agora.core.exceptions import NotFound


@require_safe
def service_index(request: HttpRequest) -> HttpResponse:
    """List every service in the catalogue, by name, with who provides it."""
    return render(request, "portal/catalogue/index.html", {"services": list(service_list())})


@require_safe
def service_page(request: HttpRequest, code: str) -> HttpResponse:
    """Show a service: what it is, who it is for, what it takes, how to apply, where, when."""
    try:
        service = service_get(code=code)
    except NotFound as error:
        raise Http404(error.detail) from error
    infos = question_infos()
    conditions = rule_evaluate(service.eligibility_rule, {}, infos).conditions \
        if service.eligibility_rule else []
    first_topic = next(iter(service.topics.all()), None)
    return render(request, "portal/catalogue/service.html", {
        "service": service,
        "conditions": conditions,
        # Street problems are reported with their place (Open311); the others with a form
        # are applied for here (the applications app's pages).
        "can_apply": bool(service.form_schema) and not service.location_based,
        "places": list(service.at_locations.select_related("location")
                       .prefetch_related("schedules")),
        "contacts": list(service.contacts.all()),
        "schedules": [s for s in service.schedules.all() if s.at_location_id is None],
        "check_topic": (first_topic.parent.slug if first_topic and first_topic.parent
                        else first_topic.slug if first_topic else ""),
    })
