"""The answers API: ask a question, get the answer with its source, or an honest abstention.

Open without a token: the answer then comes from open and public documents only. With a
client token holding `documents:read`, from what that client may read (its organisation's
internal documents too). A personal question is never answered here from anyone's
requests: its status is `personal`, and the resident signs in on the site.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from ninja import Router

from agora.access.documents import reader_for_client
from agora.answers.handover import handover_route
from agora.answers.schemas import AnswerIn, AnswerOut, CitationOut, HandoverOut
from agora.answers.selectors import Answer, answer_question
from agora.content.api import OptionalClientToken
from agora.content.schemas import SearchHit

router = Router(tags=["answers"])


def answer_out(answer: Answer, base: str) -> AnswerOut:
    """Return the API's form of an answer; `base` is the site's address for links."""
    handover = None
    if answer.status == "abstained":
        route = handover_route(answer.topic)
        path = reverse("portal:ask_person") + "?" + urlencode(
            {"question": answer.question, "topic": route.topic_slug})
        handover = HandoverOut(url=base + path, topic=route.topic_slug,
                               organisation=route.organisation_slug)
    return AnswerOut(
        status=answer.status, answer=answer.answer, confidence=round(answer.confidence, 3),
        citations=[
            CitationOut(document_id=c.document.public_id, title=c.document.title,
                        section=c.section.heading, url=base + c.url,
                        source_url=c.document.source_url, quote=c.quote)
            for c in answer.citations
        ],
        related=[
            SearchHit(id=r.document.public_id, title=r.document.title, section=r.hit.heading,
                      snippet=str(r.hit.snippet), url=base + r.url,
                      source_url=r.document.source_url, owner=r.document.owner.slug,
                      topics=[topic.slug for topic in r.document.topics.all()],
                      kind=r.document.kind, updated_at=r.document.updated_at)
            for r in answer.related
        ],
        handover=handover,
    )


@router.post(
    "/answers", response=AnswerOut, auth=OptionalClientToken("documents:read"),
    openapi_extra={"x-required-scope": "documents:read", "security": [{}]},
    summary="Ask a question",
)
def ask(request: HttpRequest, body: AnswerIn) -> AnswerOut:
    """Answer a question from the hub's published guidance, citing the section it used.

    The answer states the fact asked for (an amount, a date or deadline, a yes or no with
    its condition, who is responsible, which form) in the words of the cited passage, and
    each citation's `quote` is that passage exactly. When the guidance does not answer it
    with enough confidence the status is `abstained`, with the closest pages and a way to
    ask a person; a question about the asker's own affairs is `personal`.
    """
    auth = request.auth
    reader = auth if not hasattr(auth, "client") else reader_for_client(auth.client)
    answer = answer_question(reader=reader, question=body.question)
    return answer_out(answer, request.build_absolute_uri("/")[:-1])
