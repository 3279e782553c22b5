"""Make every error under /api/ a problem+json, whatever part of the stack produced it."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
