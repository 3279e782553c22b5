"""Writes of documents: publish a version, change a document's details; each a transaction.

A publish extracts the file first (outside any transaction: it is the slow part), stores
the source under its hash, then in one transaction adds the version and its sections,
makes it current, replaces the document's rows in the search index and appends one entry
to the transparency log. Killed at any point, it leaves either the whole version or none.
Publishing the same bytes again changes nothing; different bytes add a version.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from agora.access.documents import roles_pack, roles_unpack
from agora.access.models import Classification
from agora.audit.models import LogEntry
from agora.audit.services import AuditActor, log_append
from agora.content.extraction import Extracted, anchors_for, extract
from agora.content.models import Document, Section, Version
from agora.content.permissions import publisher_check
from agora.content.storage import content_hash, source_save
from agora.core.actors import SystemActor
from agora.core.events import announce
from agora.core.exceptions import AgoraError, Conflict, InvalidInput
from agora.organizations.models import ApiClient, Membership, Organization
from agora.search.index import DocumentEntry, SectionEntry, document_index, terms_batch
from agora.topics.models import Topic
from agora.topics.selectors import topics_resolve

DATA_SUFFIXES = frozenset({".csv", ".json"})


class FileTooLarge(InvalidInput):
    code = "file-too-large"
    title = "The file is too large"


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class Details:
    """What the publisher says about a document, beside what the file itself declares."""

    classification: str = Classification.PUBLIC.value
    restricted_roles: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    kind: str = ""
    title: str = ""
    source_url: str = ""  # where the original lives; wins over one the file declares


@dataclass
class Published:
    document: Document
    version: Version
    outcome: str  # created, new-version, details-changed, unchanged
    warnings: list[str] = field(default_factory=list)


def audit_actor(actor) -> AuditActor:
    """Return who acted, as the log records it: the command line, a member, or a client."""
    if isinstance(actor, SystemActor):
        return AuditActor(kind="system", id="cli", label=str(actor))
    if isinstance(actor, ApiClient):
        return AuditActor(kind="client", id=str(actor.client_id), label=actor.name)
    return AuditActor(kind="staff", id=str(actor.public_id), label=actor.email)


def _details_check(
    details: Details, metadata: dict, name: str,
    resolve: Callable[[list[str]], list[Topic]] = topics_resolve,
) -> tuple[str, str, list[Topic]]:
    """Return the classification, packed restricted roles and topics; refuse bad values."""
    problems = []
    if details.classification not in Classification.values:
        problems.append(("classification", f"“{details.classification}” is not a "
                         f"classification (use {', '.join(Classification.values)})."))
    roles = roles_pack(details.restricted_roles)
    unknown = [role for role in roles_unpack(roles) if role not in Membership.Role.values]
    if unknown:
        problems.append(("restricted_roles", f"Unknown role: {', '.join(unknown)}."))
    if details.classification == Classification.RESTRICTED and not roles:
        problems.append(("restricted_roles",
                         "A restricted document must name the roles that may read it."))
    if details.classification != Classification.RESTRICTED:
        roles = ""
    kind = details.kind or metadata.get("kind", "")
    if kind and kind not in Document.Kind.values:
        problems.append(("kind", f"“{kind}” is not a kind of document "
                         f"(use {', '.join(Document.Kind.values)})."))
    problem = source_url_problem(metadata.get("source_url", ""))
    if problem:
        problems.append(("source_url", problem))
    if problems:
        raise InvalidInput(" ".join(message for _, message in problems),
                           errors=[{"field": f, "message": m} for f, m in problems])
    topics = resolve([*details.topics, *metadata.get("topic", [])])
    return roles, kind or _default_kind(name), topics


def source_url_problem(source_url: str) -> str:
    """Return why a source URL is not an http(s) web address, or "" when it is (or is empty)."""
    if not source_url:
        return ""
    if len(source_url) > 1000:
        return "The source_url is longer than 1,000 characters."
    try:
        URLValidator(schemes=["http", "https"])(source_url)
    except ValidationError:
        return f"The source_url “{source_url[:200]}” is not an http or https web address."
    return ""


def _source_url_check(details: Details) -> None:
    problem = source_url_problem(details.source_url)
    if problem:
        raise InvalidInput(problem, errors=[{"field": "source_url", "message": problem}])


def _default_kind(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return Document.Kind.DATASET if suffix in DATA_SUFFIXES else Document.Kind.GUIDANCE


def _title(details: Details, extracted: Extracted, name: str) -> str:
    title = details.title or extracted.metadata.get("title") or extracted.title
    if not title:
        title = PurePosixPath(name).stem.replace("-", " ").replace("_", " ").strip().capitalize()
    return " ".join(title.split())[:300]


def document_reindex(document: Document) -> None:
    """Write the document's current version into the search index (or nothing, if none)."""
    version = document.current_version
    if version is None:
        return
    _index(document, version, list(version.sections.all()),
           tuple(document.topics.values_list("pk", flat=True)))


def _index(
    document: Document, version: Version, sections: list[Section], topic_ids: tuple[int, ...],
    *, fresh: bool = False,
) -> None:
    """Write this version's sections into the index (`fresh`: the document had no rows)."""
    entry = DocumentEntry(
        key=document.pk, owner_id=document.owner_id,
        classification=document.classification, restricted_roles=document.restricted_roles,
        kind=document.kind, updated_at=version.published_at, title=document.title,
        topic_ids=topic_ids,
    )
    document_index(entry, [
        SectionEntry(key=section.pk, heading=section.heading, anchor=section.anchor,
                     body=section.text)
        for section in sections
    ], fresh=fresh)


def _details_apply(
    document: Document, *, classification: str, roles: str, kind: str, topics: list[Topic],
    source_url: str = "",
) -> list[str]:
    """Set the document's details; return the names of those that changed."""
    changed = []
    for name, value in (("classification", classification), ("restricted_roles", roles),
                        ("kind", kind), ("source_url", source_url or document.source_url)):
        if getattr(document, name) != value:
            setattr(document, name, value)
            changed.append(name)
    if document.pk and set(document.topics.values_list("pk", flat=True)) != {t.pk for t in topics}:
        changed.append("topics")
    return changed


def _current_by_hash(owner: Organization, digests: Iterable[str]) -> dict[str, list[Document]]:
    """Return the owner's documents whose current version has one of these hashes, by hash.

    One query for a whole batch of files, so re-running an ingest over unchanged files
    costs a hash per file and a query per batch.
    """
    found: dict[str, list[Document]] = {}
    documents = (
        Document.objects.filter(owner=owner, current_version__content_hash__in=set(digests))
        .select_related("current_version").prefetch_related("topics")
    )
    for document in documents:
        found.setdefault(document.current_version.content_hash, []).append(document)
    return found


def _already_current(documents: list[Document], key: str, details: Details) -> Document | None:
    """Return the document (of those with these bytes) at `key`, if it has these details.

    The document is the one at `key`, or (for files that declare their source URL, which
    then names the document) the one whose key is its source URL.
    """
    document = next((document for document in documents
                     if document.source_key in (key, document.source_url)), None)
    if document is None:
        return None
    wanted_roles = roles_pack(details.restricted_roles) \
        if details.classification == Classification.RESTRICTED else ""
    declared = document.current_version.metadata.get("topic", [])
    same = (
        document.classification == details.classification
        and document.restricted_roles == wanted_roles
        and (not details.kind or document.kind == details.kind)
        and {topic.slug for topic in document.topics.all()} == {*details.topics, *declared}
        and (not details.title or document.title == details.title)
        and (not details.source_url or document.source_url == details.source_url)
    )
    return document if same else None


@dataclass(frozen=True)
class _Prepared:
    """A file checked, extracted and stored: what the publishing transaction writes."""

    upload: Upload
    key: str
    digest: str
    stored: str
    extracted: Extracted
    title: str
    roles: str
    kind: str
    topics: list[Topic]
    classification: str


def _publish_prepare(
    *, owner: Organization, upload: Upload, source_key: str, details: Details,
    same_bytes: list[Document], resolve: Callable[[list[str]], list[Topic]] = topics_resolve,
) -> _Prepared | Published:
    """Check, extract and store a file, outside any transaction (the slow part).

    `same_bytes` are the owner's documents whose current version is these bytes; the
    result is the document as it is when it is one of them, with these details.
    """
    if len(upload.data) > settings.CONTENT_MAX_BYTES:
        raise FileTooLarge(
            f"The file is {len(upload.data):,} bytes; the limit is "
            f"{settings.CONTENT_MAX_BYTES:,} bytes."
        )
    _source_url_check(details)
    document = _already_current(
        same_bytes, source_key or details.source_url or upload.name, details
    )
    if document is not None:
        return Published(document, document.current_version, "unchanged")
    extracted = extract(upload.name, upload.data)
    if details.source_url:
        extracted.metadata["source_url"] = details.source_url
    roles, kind, topics = _details_check(details, extracted.metadata, upload.name, resolve)
    key = (extracted.metadata.get("source_url") or source_key or upload.name)[:500]
    digest, stored = source_save(upload.data, upload.name)
    return _Prepared(upload=upload, key=key, digest=digest, stored=stored, extracted=extracted,
                     title=_title(details, extracted, upload.name), roles=roles, kind=kind,
                     topics=topics, classification=details.classification)


def _conflict(key: str, error: IntegrityError) -> Conflict:
    return Conflict(f"Another publish of “{key}” ran at the same time; try again ({error}).")


def document_publish(
    *, actor, owner: Organization, upload: Upload, source_key: str, details: Details,
) -> Published:
    """Publish a file as the current version of the owner's document at `source_key`."""
    publisher_check(actor, owner)
    digest = content_hash(upload.data)
    prepared = _publish_prepare(
        owner=owner, upload=upload, source_key=source_key, details=details,
        same_bytes=_current_by_hash(owner, [digest]).get(digest, []),
    )
    if isinstance(prepared, Published):
        return prepared
    try:
        with transaction.atomic():
            return _publish_locked(actor=actor, owner=owner, prepared=prepared)
    except IntegrityError as error:
        raise _conflict(prepared.key, error) from None


def documents_publish(
    *, actor, owner: Organization, files: list[tuple[Upload, str]], details: Details,
) -> list[Published | AgoraError]:
    """Publish several (file, source key) for one owner: one transaction, a savepoint each.

    What ingest calls, a batch at a time: a commit per file (on PostgreSQL a flush of the
    WAL to disk) was a large share of a file's cost. Each file is still all or nothing: one
    that fails rolls back to its savepoint and comes back as its error, the others stay;
    an interruption rolls back the whole batch, never half a document, and running the
    ingest again publishes what is missing. Returns each file's outcome, in order.
    """
    try:
        publisher_check(actor, owner)
    except AgoraError as error:
        return [error] * len(files)
    outcomes: list[Published | AgoraError | None] = [None] * len(files)
    prepared: dict[int, _Prepared] = {}
    digests = [content_hash(upload.data) for upload, _ in files]
    current = _current_by_hash(owner, digests)
    resolved: dict[tuple[str, ...], list[Topic]] = {}

    def resolve(slugs: list[str]) -> list[Topic]:  # the same few topics for every file
        if tuple(slugs) not in resolved:
            resolved[tuple(slugs)] = topics_resolve(slugs)
        return resolved[tuple(slugs)]

    for index, (upload, source_key) in enumerate(files):
        try:
            ready = _publish_prepare(owner=owner, upload=upload, source_key=source_key,
                                     details=details, same_bytes=current.get(digests[index], []),
                                     resolve=resolve)
        except AgoraError as error:
            outcomes[index] = error
            continue
        if isinstance(ready, Published):
            outcomes[index] = ready
        else:
            prepared[index] = ready
    if prepared:
        with transaction.atomic(), terms_batch() as terms:
            # One query for the batch's keys: a key with no document needs no locking read.
            known = set(Document.objects.filter(
                owner=owner, source_key__in=[ready.key for ready in prepared.values()],
            ).values_list("source_key", flat=True))
            for index, ready in prepared.items():
                try:
                    with transaction.atomic(), terms.savepoint():
                        outcomes[index] = _publish_locked(actor=actor, owner=owner,
                                                          prepared=ready,
                                                          new=ready.key not in known)
                    known.add(ready.key)  # two files of a batch may name one document
                except IntegrityError as error:
                    outcomes[index] = _conflict(ready.key, error)
                except AgoraError as error:
                    outcomes[index] = error
    return [outcome for outcome in outcomes if outcome is not None]


def _publish_locked(
    *, actor, owner: Organization, prepared: _Prepared, new: bool = False,
) -> Published:
    """Write the prepared file as a version of the owner's document at its key.

    `new`: the caller found no document at the key in this transaction, so there is no row
    to lock. A document another publish creates meanwhile makes the insert fail on the
    unique (owner, source key), as it would after a locking read that found nothing.
    """
    key, digest, extracted = prepared.key, prepared.digest, prepared.extracted
    document = None if new else (
        Document.objects.select_for_update(of=("self",)).select_related("current_version")
        .filter(owner=owner, source_key=key).first()
    )
    current = document.current_version if document else None
    if document is not None and current is not None and current.content_hash == digest:
        changed = _details_apply(document, classification=prepared.classification,
                                 roles=prepared.roles, kind=prepared.kind,
                                 topics=prepared.topics,
                                 source_url=extracted.metadata.get("source_url", ""))
        if not changed:
            return Published(document, current, "unchanged")
        document.save()
        document.topics.set(prepared.topics)
        document_reindex(document)
        log_append(
            actor=audit_actor(actor), action=LogEntry.Action.DOCUMENT_CHANGE,
            decision=LogEntry.Decision.PERMIT, organization=owner.slug,
            reason=f"Changed {', '.join(changed)} of “{document.title}”.",
            resource_type="document", resource_id=str(document.public_id),
        )
        return Published(document, current, "details-changed")
    outcome = "new-version" if document is not None else "created"
    metadata = extracted.metadata
    document = document or Document(owner=owner, source_key=key)
    _details_apply(document, classification=prepared.classification, roles=prepared.roles,
                   kind=prepared.kind, topics=prepared.topics)
    document.title = prepared.title
    document.summary = metadata.get("summary", document.summary)
    document.source_url = metadata.get("source_url", document.source_url)
    document.publisher = metadata.get("publisher", document.publisher)
    document.licence = metadata.get("licence", document.licence)
    document.save()
    number = 1 if outcome == "created" else (
        document.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = Version.objects.create(
        document=document, number=number, content_hash=digest, file_name=prepared.stored,
        original_name=PurePosixPath(prepared.upload.name).name[:300],
        media_type=extracted.media_type, size=len(prepared.upload.data), title=prepared.title,
        text=extracted.text, metadata=metadata, published_at=timezone.now(),
        published_by=audit_actor(actor).label[:200],
    )
    # The ids come back from the insert (RETURNING, on both databases): the index needs them.
    sections = Section.objects.bulk_create(
        Section(version=version, position=position, anchor=anchor,
                heading_path=list(draft.heading_path), text=draft.text)
        for position, (draft, anchor) in enumerate(
            zip(extracted.sections, anchors_for(extracted.sections), strict=True)
        )
    )
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    if outcome == "created":
        document.topics.add(*prepared.topics)
    else:
        document.topics.set(prepared.topics)
    _index(document, version, sections, tuple(topic.pk for topic in prepared.topics),
           fresh=outcome == "created")
    announce("document.published", organizations=[owner], source="/documents",
             subject=str(document.public_id),
             data={"document": str(document.public_id), "version": number,
                   "classification": document.classification})
    log_append(
        actor=audit_actor(actor), action=LogEntry.Action.DOCUMENT_PUBLISH,
        decision=LogEntry.Decision.PERMIT, organization=owner.slug,
        reason=f"Published version {number} of “{prepared.title}” ({document.classification}).",
        resource_type="document", resource_id=str(document.public_id),
    )
    return Published(document, version, outcome)


def document_change(
    *, actor, document: Document, classification: str, restricted_roles: tuple[str, ...],
    topics: tuple[str, ...], kind: str,
) -> Document:
    """Change a document's classification, roles, topics or kind, without a new version."""
    publisher_check(actor, document.owner)
    details = Details(classification=classification, restricted_roles=restricted_roles,
                      topics=topics, kind=kind or document.kind)
    roles, kind, resolved = _details_check(details, {}, document.title)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        changed = _details_apply(document, classification=classification, roles=roles,
                                 kind=kind, topics=resolved)
        if not changed:
            return document
        document.save()
        document.topics.set(resolved)
        document_reindex(document)
        log_append(
            actor=audit_actor(actor), action=LogEntry.Action.DOCUMENT_CHANGE,
            decision=LogEntry.Decision.PERMIT, organization=document.owner.slug,
            reason=f"Changed {', '.join(changed)} of “{document.title}”.",
            resource_type="document", resource_id=str(document.public_id),
        )
    return document
