"""What every page's navigation needs to know about the signed-in user's organisations."""

from collections.abc import Callable

from django.http import HttpRequest

from agora.organizations.selectors import user_is_member


def membership(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """Give templates `user_is_member`: whether to offer the console.

    A callable, so a page that never asks (nobody signed in) costs no query, and the one
    query a request is shared with the second-factor check.
    """
    return {"user_is_member": lambda: user_is_member(getattr(request, "user", None))}
