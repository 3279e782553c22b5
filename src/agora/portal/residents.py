"""The person behind a signed-in resident, for the pages that show their own data.

These pages only ever show the signed-in user's own data: the person is found from
`request.user`, never from the address, so nobody (staff included) can open another
person's pages through them.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agora.access.viewers import Viewer, viewer_for_resident


def resident_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign in first; then call `view(request, viewer, *args)` with the resident's viewer.

    An account with no Person (an operator, or staff who are not residents here) gets a
    page saying there is no data about them, instead of the page asked for.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        viewer = viewer_for_resident(request.user)
        if viewer.person is None:
            return render(request, "portal/no_person.html")
        return view(request, viewer, *args, **kwargs)

    return wrapper


def subject_id(viewer: Viewer) -> str:
    """Return the resident's public id as the log writes it in `subject`."""
    return str(viewer.person.public_id) if viewer.person else ""
