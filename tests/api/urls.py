"""The real URLs plus a test-only API, to reach errors the real API has no route for."""

from django.http import HttpRequest
from django.urls import path
from ninja import Query

from agora.core.actors import SYSTEM
from agora.core.exceptions import Conflict
from agora.core.problems import ProblemAPI
from agora.core.schemas import InputSchema
from agora.organizations.services import organization_create
from agora.urls import handler400, handler403, handler404, handler500  # noqa: F401
from agora.urls import urlpatterns as real_urlpatterns

test_api = ProblemAPI(title="Test API", version="test", urls_namespace="api-test")


class ThingIn(InputSchema):
    name: str
    count: int = 0


class Paging(InputSchema):
    limit: int


@test_api.post("/things")
def thing_create(request: HttpRequest, payload: ThingIn) -> dict:
    organization_create(actor=SYSTEM, name=payload.name, kind="ngo")
    return {"name": payload.name}


@test_api.get("/numbers")
def numbers(request: HttpRequest, paging: Query[Paging]) -> dict:
    return {"limit": paging.limit}


@test_api.get("/boom")
def boom(request: HttpRequest) -> dict:
    raise RuntimeError("secret-internal-detail")


@test_api.get("/conflict")
def conflict(request: HttpRequest) -> dict:
    raise Conflict("Already there.")


def plain_django_boom(request: HttpRequest):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [
    path("api/test/", test_api.urls),
    path("api/plain/boom", plain_django_boom),
    *real_urlpatterns,
]
