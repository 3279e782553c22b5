"""Require members of an organisation to have a second factor before they do anything."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class RequireMemberTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
