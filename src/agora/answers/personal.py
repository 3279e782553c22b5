"""Personal questions: answered only from the resident's own requests and records.

"What's happening with my housing application" has one right source: the resident's own
request or record, never the guidance. Without a signed-in resident the answer is
`personal` with a prompt to sign in (a machine client or an anonymous visitor never gets
someone's requests this way). Signed in, the requests are read through
`cases.selectors.cases_for_resident`, the selector behind "Your requests" (it reads only
what `cases.permissions` lets the resident see and logs its `case.list` entry), and the
records through `records.selectors.records_for_person` with the resident as viewer and no
purpose, the own-data basis of the access decision, as "Your information" reads them:
each record read is decided and logged in the transparency log.
"""

from django.utils import formats

from agora.answers.extraction import stems_of, term_found
from agora.answers.phrasing import Want, content_words, terms_of

MAX_FIELDS = 6


def _label(name: str) -> str:
    return name.replace("_", " ")


def _records_matching(records: list, question: str) -> list[tuple[object, list[str]]]:
    """Return the records the question names, each with the fields it names (best first)."""
    terms = terms_of(content_words(question))
    if not terms:
        return []
    scored = []
    for shared in records:
        record = shared.record
        stems = stems_of(" ".join([record.title, record.category.name if record.category_id
                                   else ""]))
        held = sum(1 for term in terms if term_found(term, stems, set(stems)))
        fields = []
        for name in shared.fields:
            field_stems = stems_of(_label(name))
            if any(term_found(term, field_stems, set(field_stems)) for term in terms):
                fields.append(name)
        if held or fields:
            scored.append((held + len(fields), shared, fields))
    if not scored:
        return []
    best = max(score for score, _, _ in scored)
    return [(shared, fields) for score, shared, fields in scored if score == best]


def _describe_record(shared, fields: list[str]) -> str:
    record = shared.record
    shown = fields or [name for name in shared.fields if "note" not in name][:MAX_FIELDS]
    values = "; ".join(f"{_label(name)}: {shared.fields[name]}" for name in shown[:MAX_FIELDS])
    return f"Your record “{record.title}” held by {record.owner.name} says {values}."


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
    matching = _matching(items, question)
    records = _records_matching(_own_records(viewer), question) if viewer.person else []
    parts = [_describe(item) for item in matching[:3]]
    parts += [_describe_record(shared, fields) for shared, fields in records[:2]]
    chosen = matching[:3]
    if not parts:
        chosen = [item for item in items if item.case.is_open][:3] or items[:1]
        parts = (["None of your requests or records is about that."]
                 + [_describe(item) for item in chosen]) if items else [
            "You have no requests with any organisation on Agora, and none of the records "
            "organisations hold about you is about that."]
    return Answer(question=question, status="personal", answer=" ".join(parts),
                  confidence=1.0, want=want, cases=[item.case for item in chosen])


def _own_records(viewer) -> list:
    """Return the resident's own records, each read decided and logged (own-data basis)."""
    from agora.records.selectors import MAX_PAGE, records_for_person

    return records_for_person(viewer=viewer, person=viewer.person, purpose=None,
                              limit=MAX_PAGE).items
