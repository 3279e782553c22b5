"""The catalogue's API: anyone reads the published services; providers write their own.

Writing needs a client token with `services:write` and acts as the client's
organisation. Another organisation's service answers 404, as if it did not exist.
"""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from agora.catalog import selectors, services
from agora.catalog.models import Service
from agora.catalog.schemas import (
    QuestionOut,
    ServiceIn,
    ServiceListOut,
    ServiceOut,
    ServicePatch,
    ServiceQuery,
)
from agora.core.exceptions import NotFound
from agora.core.problems import problems
from agora.organizations.auth import client_auth
from agora.organizations.models import Organization
from agora.topics.selectors import topic_get

router = Router(tags=["catalogue"])


def _write_auth(*statuses: int):
    arguments = client_auth("services:write")
    arguments["openapi_extra"] = {**arguments["openapi_extra"], **problems(*statuses)}
    return arguments


def _out(request: HttpRequest, service: Service) -> ServiceOut:
    return ServiceOut(
        id=service.public_id, code=service.code, name=service.name,
        provider=service.provider.slug, provider_name=service.provider.name,
        summary=service.summary, description=service.description, who_for=service.who_for,
        how_to_apply=service.how_to_apply, cost=service.cost, target_days=service.target_days,
        topics=[topic.slug for topic in service.topics.all()],
        eligibility_rule=service.eligibility_rule, form_schema=service.form_schema,
        location_based=service.location_based, url=service.url, email=service.email,
        status=service.status, updated_at=service.updated_at,
        page=request.build_absolute_uri(f"/services/{service.code}/"),
    )


@router.get("/services", response=ServiceListOut, summary="List the catalogue's services")
def service_index(request: HttpRequest, params: Query[ServiceQuery]) -> ServiceListOut:
    """List every published service of every organisation, by name; filter by topic or
    provider. An unknown topic or provider gives an empty list."""
    topic = provider = None
    if params.topic:
        try:
            topic = topic_get(slug=params.topic)
        except NotFound:
            return ServiceListOut(total=0, limit=params.limit, offset=params.offset,
                                  services=[])
    if params.provider:
        provider = Organization.objects.filter(slug=params.provider).first()
        if provider is None:
            return ServiceListOut(total=0, limit=params.limit, offset=params.offset,
                                  services=[])
    found = selectors.service_list(topic=topic, provider=provider)
    page = list(found[params.offset:params.offset + params.limit])
    return ServiceListOut(total=found.count(), limit=params.limit, offset=params.offset,
                          services=[_out(request, service) for service in page])


@router.get("/services/questions", response=list[QuestionOut],
            summary="The questions eligibility rules may use")
def question_index(request: HttpRequest) -> list[QuestionOut]:
    """List the facts a rule may name, each with the question that asks for it."""
    return [QuestionOut(key=q.key, text=q.text, kind=q.kind, statement=q.statement,
                        choices=[[str(v), str(label)] for v, label in q.choices])
            for q in selectors.questions_for_all()]


@router.get("/services/{code}", response=ServiceOut, summary="A published service")
def service_detail(request: HttpRequest, code: str) -> ServiceOut:
    """Return one published service with its eligibility rule and application form."""
    return _out(request, selectors.service_get(code=code))


@router.post("/services", response={201: ServiceOut}, **_write_auth(409),
             summary="Add a service")
def service_add(request: HttpRequest, body: ServiceIn) -> Status:
    """Add a service of your organisation: a draft, or published at once.

    The rule is checked against the questions (unknown operators and facts are refused),
    the form as JSON Schema and the topics against the hub's tree; a code already used
    anywhere is a 409.
    """
    client = request.auth.client
    details = body.model_dump(exclude={"code", "topics"})
    service = services.service_create(actor=client, provider=client.organization,
                                      code=body.code, details=details, topics=body.topics)
    return Status(201, _out(request, service))


@router.patch("/services/{code}", response=ServiceOut, **_write_auth(),
              summary="Change or withdraw a service")
def service_change(request: HttpRequest, code: str, body: ServicePatch) -> ServiceOut:
    """Change the fields sent of one of your organisation's services; `status: withdrawn`
    takes it out of the catalogue. Another organisation's service is a 404."""
    client = request.auth.client
    service = selectors.service_for_provider(actor=client, provider=client.organization,
                                             code=code)
    changes = body.model_dump(exclude_unset=True)
    topics = changes.pop("topics", None)
    service = services.service_update(actor=client, service=service, changes=changes,
                                      topics=topics)
    return _out(request, service)
