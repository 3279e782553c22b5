"""“Download my data”: everything Agora holds about the signed-in person, as one zip.

The archive holds `person.json`, `records.json` and `records.csv`, `consents.json`,
`applications.json`, `activity.json` and `activity.csv`, and a `README.txt` saying what
each file is.

What is logged, and why: the download appends exactly one `person.export` entry (the
person took a copy of their data), and the records are read through
`records.selectors.records_for_person` with the person's own viewer, which logs one
`record.read` entry per record on the own-data basis, exactly as reading them on a page
would. The log entries in the archive are read after those appends, so the download
shows itself. All of it happens in one transaction: if building the archive fails,
nothing is logged as read.

It is built in memory: a person's own data is small (hundreds of records, thousands of
entries). A streaming writer can replace `_zip` when that stops being true.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agora.access.receipts import receipt_public_key_b64
from agora.access.viewers import Viewer
from agora.applications.selectors import drafts_for_person
from agora.audit.canonical import format_time
from agora.audit.person_log import log_entries_for_subject
from agora.audit.reports import CSV_COLUMNS, entries_csv
from agora.audit.services import log_append
from agora.people.models import Person
from agora.portal import own_data
from agora.records.entries import actor_for

EXPORT_REASON = "The person downloaded a copy of their own data (right of access)."
RECORD_COLUMNS = (
    "id", "organisation", "organisation_name", "category", "classification", "title",
    "created_at", "updated_at", "fields",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

README = """\
Your data from {service}
{underline}

Downloaded {when} for {name}.

person.json     Your details as {service} holds them: name, date of birth, contact
                details, and your household's address and tenure. Other members of your
                household are not included: their details are theirs.
records.json    Every record about you held by any organisation that uses {service},
                with its organisation, kind of information, title and fields.
records.csv     The same records as a spreadsheet; the fields column holds JSON.
consents.json   Every consent you have given, active, expired or withdrawn, each with
                its signed consent receipt, the signature, and the public key of the
                platform key that signed it (Ed25519, base64) to check it with.
applications.json
                Applications you have started and not sent yet: the service, your
                answers so far, and which of them were filled in from your records.
activity.json   Every entry about you in the transparency log: who read or changed
                information about you, for which organisation, why, on what legal
                basis, and whether it was permitted or refused. This download is in it.
activity.csv    The same entries as a spreadsheet.

Times are in UTC (ISO 8601). Each log entry can be checked against the log the
platform signed: see "Who has seen your data" on your account page.
"""


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes


def _json(value) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False, default=_default).encode()


def _default(value):
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell(value) -> str:
    """Return a CSV cell; text a spreadsheet would run as a formula is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv(columns: Iterable[str], rows: Iterable[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in columns])
    return buffer.getvalue().encode()


def person_document(person: Person) -> dict:
    household = person.household
    return {
        "id": str(person.public_id),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "email": person.email,
        "phone": person.phone,
        "household_role": person.household_role,
        "household": None if household is None else {
            "id": str(household.public_id),
            "address_line": household.address_line,
            "town": household.town,
            "postcode": household.postcode,
            "tenure": household.tenure,
        },
        "created_at": person.created_at,
    }


def record_document(shared) -> dict:
    record = shared.record
    return {
        "id": str(record.public_id),
        "organisation": record.owner.slug,
        "organisation_name": record.owner.name,
        "category": record.category.code,
        "classification": record.classification,
        "title": record.title,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "fields": shared.fields,
    }


def consent_document(consent) -> dict:
    return {
        "id": str(consent.public_id),
        "recipient": consent.recipient.slug,
        "recipient_name": consent.recipient.name,
        "categories": sorted(category.code for category in consent.categories.all()),
        "purpose": consent.purpose.code,
        "given_at": consent.given_at,
        "expires_at": consent.expires_at,
        "withdrawn_at": consent.withdrawn_at,
        "receipt": consent.receipt,
        "signature": consent.receipt_signature,
        "platform_public_key": receipt_public_key_b64(consent.receipt),
    }


def draft_document(draft) -> dict:
    """Return an unsent application as the download shows it."""
    return {
        "service": draft.service.code,
        "service_name": draft.service.name,
        "provider": draft.service.provider.slug,
        "answers": draft.answers,
        "filled_in_from_records": draft.prefilled,
        "consent": str(draft.consent.public_id) if draft.consent else None,
        "started_at": draft.created_at,
        "saved_at": draft.updated_at,
    }


def _entry_document(row: dict) -> dict:
    return {name: row[name] for name in CSV_COLUMNS}


def person_export(*, viewer: Viewer) -> Export:
    """Log the download, read everything about the viewer's own person, and zip it."""
    person = viewer.person
    if person is None:
        raise ValueError("Only a resident with a Person can download their data.")
    subject = str(person.public_id)
    now = timezone.now()
    with transaction.atomic():
        log_append(
            actor=actor_for(viewer),
            action="person.export",
            decision="permit",
            reason=EXPORT_REASON,
            legal_basis="6.1.c",
            subject=subject,
            resource_type="person",
            resource_id=subject,
        )
        records = [record_document(shared) for shared in own_data.records(viewer=viewer)]
        consents = [consent_document(c) for c in own_data.consents(viewer=viewer)]
        drafts = [draft_document(d) for d in drafts_for_person(viewer=viewer)]
        entries = log_entries_for_subject(subject=subject).order_by("seq")
        activity = [_entry_document(row) for row in entries.values(*CSV_COLUMNS)]
        activity_csv = "".join(entries_csv(entries)).encode()
    files = {
        "README.txt": README.format(
            service=settings.SERVICE_NAME,
            underline="=" * 40,
            when=format_time(now),
            name=person.full_name,
        ).encode(),
        "person.json": _json(person_document(person)),
        "records.json": _json(records),
        "records.csv": _csv(RECORD_COLUMNS, (
            {**r, "fields": json.dumps(r["fields"], ensure_ascii=False, default=_default),
             "created_at": _default(r["created_at"]), "updated_at": _default(r["updated_at"])}
            for r in records
        )),
        "consents.json": _json({"consents": consents}),
        "applications.json": _json({"drafts": drafts}),
        "activity.json": _json(activity),
        "activity.csv": activity_csv,
    }
    day = timezone.localdate(now).isoformat()
    return Export(filename=f"my-data-{day}.zip", content=_zip(files, now))


def _zip(files: dict[str, bytes], now: datetime) -> bytes:
    stamp = timezone.localtime(now).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), content,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
