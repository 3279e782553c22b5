"""Hand-over: a question the guidance cannot answer becomes a request to a person.

The enquiry is an ordinary request (`cases`), so everything requests already do applies:
it lands in the queue of the organisation that owns the question's topic, with a
deadline; the resident follows it in "Your requests"; the caseworker's reply is a message
on its timeline (`cases.services.case_message_send`), which reaches the resident by the
usual email; every read and write is logged. Each organisation answers questions through
one service of its catalogue, "Ask <organisation> a question", made the first time it is
needed. Once answered, the reply can be published as a frequently asked question in the
hub (`enquiry_answer_publish`, through `content.services.document_publish`), so the next
person who asks gets the answer at once.
"""

from dataclasses import dataclass

from django.db import transaction

from agora.answers.handover import handover_route
from agora.answers.selectors import question_check
from agora.cases.models import Case, CaseEvent
from agora.cases.selectors import case_read
from agora.cases.services import case_create
from agora.catalog.models import Service
from agora.catalog.services import service_create
from agora.content.services import Details, Published, Upload, document_publish
from agora.core.actors import SYSTEM
from agora.core.exceptions import InvalidInput, NotFound
from agora.organizations.models import Organization

ENQUIRY_TARGET_DAYS = 10
ENQUIRY_PREFIX = "question-"


def enquiry_service_code(organisation: Organization) -> str:
    return (ENQUIRY_PREFIX + organisation.slug)[:80]


def enquiry_service_ensure(*, organisation: Organization) -> Service:
    """Return the organisation's "ask a question" service, adding it to the catalogue once."""
    code = enquiry_service_code(organisation)
    service = Service.objects.filter(code=code).select_related("provider").first()
    if service is not None:
        return service
    return service_create(
        actor=SYSTEM, provider=organisation, code=code,
        details={
            "name": f"Ask {organisation.name} a question",
            "summary": "A question the published guidance does not answer, for a person "
                       "to answer.",
            "target_days": ENQUIRY_TARGET_DAYS, "status": Service.Status.PUBLISHED,
        },
    )


def question_handover(*, viewer, question: str, topic_slug: str) -> Case:
    """Send a resident's question to the organisation that owns its topic, as a request.

    `viewer` is the signed-in resident; `cases.services.case_create` decides and logs.
    """
    text = question_check(question)
    route = handover_route(topic_slug)
    if route.organisation is None:
        message = "Choose what your question is about, so it reaches the right organisation."
        raise InvalidInput(message, errors=[{"field": "topic", "message": message}])
    with transaction.atomic():
        service = enquiry_service_ensure(organisation=route.organisation)
        return case_create(viewer=viewer, service=service, description=text,
                           answers={"question": text, "topic": route.topic_slug})


@dataclass(frozen=True)
class Enquiry:
    case: Case
    question: str
    topic: str
    reply: str  # the latest message the organisation sent the resident, or ""


def is_enquiry(case: Case) -> bool:
    """Say whether a request is a question handed over from the ask page."""
    return case.service.code.startswith(ENQUIRY_PREFIX)


def enquiry_read(*, viewer, reference: str) -> Enquiry:
    """Return a question handed over, with the reply sent, to its handling staff (logged)."""
    view = case_read(viewer=viewer, reference=reference)
    case = view.case
    if not is_enquiry(case):
        raise NotFound("There is no such question.")
    replies = [e for e in view.events if e.kind == CaseEvent.Kind.MESSAGE_TO_RESIDENT]
    return Enquiry(case=case, question=case.answers.get("question", case.description),
                   topic=case.answers.get("topic", ""),
                   reply=replies[-1].text if replies else "")


def _faq_markdown(question: str, answer: str) -> bytes:
    heading = " ".join(question.split()).rstrip("?") + "?"
    title = heading[:1].upper() + heading[1:]
    return (f"---\ntitle: \"{title.replace(chr(34), '')}\"\n---\n\n# {title}\n\n"
            f"## Answer\n\n{answer.strip()}\n").encode()


def enquiry_answer_publish(*, actor, viewer, reference: str, answer: str = "") -> Published:
    """Publish a handed-over question and its answer as a public FAQ of the organisation.

    The answer is the reply sent to the resident unless another text is given; it never
    carries who asked. `actor` publishes (a publisher or administrator of the handling
    organisation, as `content.services.document_publish` requires); `viewer` reads the
    request (the same person, acting for the organisation).
    """
    enquiry = enquiry_read(viewer=viewer, reference=reference)
    text = (answer or enquiry.reply).strip()
    if not text:
        message = "Reply to the resident first, or write the answer to publish."
        raise InvalidInput(message, errors=[{"field": "answer", "message": message}])
    case = enquiry.case
    return document_publish(
        actor=actor, owner=case.organization, source_key=f"answers/{case.reference}",
        upload=Upload(f"{case.reference}.md", _faq_markdown(enquiry.question, text)),
        details=Details(kind="faq", topics=(enquiry.topic,) if enquiry.topic else ()),
    )
