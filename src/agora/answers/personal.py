"""Personal questions: answered only from the resident's own requests, never from guidance.

"What's happening with my housing application" has one right source: the resident's own
request. Without a signed-in resident the answer is `personal` with a prompt to sign in
(a machine client or an anonymous visitor never gets someone's requests this way). Signed
in, the requests are read through `cases.selectors.cases_for_resident`, the selector
behind "Your requests": it reads only what `cases.permissions` lets the resident see and
appends its `case.list` entry to the transparency log in the same transaction.
"""

from django.utils import formats

from agora.answers.extraction import stems_of, term_found
from agora.answers.phrasing import Want, content_words, terms_of


def _matching(items: list, question: str) -> list:
    """Return the requests whose service, organisation or topics the question names."""
    terms = terms_of(content_words(question))
    if not terms:
        return []
    scored = []
    for item in items:
        case = item.case
        service = case.service
        text = " ".join([service.name, case.organization.name, case.reference,
                         getattr(service, "description", "") or ""])
        stems = stems_of(text)
        found = set(stems)
        held = sum(1 for term in terms if term_found(term, stems, found))
        if held:
            scored.append((held, item))
    if not scored:
        return []
    best = max(held for held, _ in scored)
    return [item for held, item in scored if held == best]


def _describe(item) -> str:
    case = item.case
    sentence = (f"Your request {case.reference} ({case.service.name}) is "
                f"“{item.status.label}”: {item.status.resident_text}")
    if item.by_when is not None:
        sentence += f" We aim to finish it by {formats.date_format(item.by_when, 'j F Y')}."
    return sentence


def personal_answer(*, question: str, viewer, want: Want):
    """Return the answer to a personal question: a sign-in prompt, or the resident's requests."""
    from agora.answers.selectors import SIGN_IN, Answer
    from agora.cases.selectors import cases_for_resident

    signed_in = viewer is not None and viewer.user is not None and viewer.client is None
    if not signed_in:
        return Answer(question=question, status="personal", answer=SIGN_IN, confidence=1.0,
                      want=want, sign_in=True)
    items = cases_for_resident(viewer=viewer)
    if not items:
        return Answer(question=question, status="personal", confidence=1.0, want=want,
                      answer="You have no requests with any organisation on Agora yet.")
    matching = _matching(items, question)
    if matching:
        chosen = matching[:3]
        text = " ".join(_describe(item) for item in chosen)
    else:
        chosen = [item for item in items if item.case.is_open][:3] or items[:1]
        text = ("None of your requests is about that. "
                + " ".join(_describe(item) for item in chosen))
    return Answer(question=question, status="personal", answer=text, confidence=1.0,
                  want=want, cases=[item.case for item in chosen])
