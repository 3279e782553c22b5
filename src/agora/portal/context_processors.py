"""What every page of the site needs from the portal: the count of new updates in the menu."""

from functools import cache

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict:
    """Give templates `unread_updates`: the signed-in resident's new updates, counted once.

    A callable, so it is counted only when a page shows the menu, and at most once per
    page (after the view has run, so a request's page counts itself as read).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        from agora.portal.requests import unread_updates

        return unread_updates(request)

    return {"unread_updates": count}
