"""Reads of documents: what a reader may read, a topic's documents, the hub's search.

Every read takes the reader (`access.documents.DocumentReader`) and applies the one rule;
with no reader it returns nothing. A document the reader may not read is "not found",
exactly like one that does not exist.
"""

import difflib
from dataclasses import dataclass, field
from uuid import UUID

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString

from agora.access.documents import DocumentReader, readable_documents_q
from agora.content.models import Document, Section, Version
from agora.content.permissions import publisher_check
from agora.core.exceptions import NotFound
from agora.organizations.models import Organization
from agora.search.query import Facets, Filters, SearchResult, search
from agora.topics.models import Topic
from agora.topics.selectors import topic_ids_under, topic_with_descendants


def document_list(
    *, reader: DocumentReader | None, topic: Topic | None = None,
    owner: Organization | None = None,
) -> QuerySet[Document]:
    """Return the published documents the reader may read, optionally of a topic or owner."""
    documents = Document.objects.filter(
        readable_documents_q(reader), current_version__isnull=False
    ).select_related("owner", "current_version")
    if topic is not None:
        documents = documents.filter(topics__in=topic_with_descendants(topic)).distinct()
    if owner is not None:
        documents = documents.filter(owner=owner)
    return documents.prefetch_related("topics").order_by("title")


def document_get(*, reader: DocumentReader | None, public_id: UUID | str) -> Document:
    """Return the document if the reader may read it; otherwise NotFound (same as missing)."""
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise NotFound("There is no such document.") from None
    document = (
        document_list(reader=reader).filter(public_id=public_id)
        .prefetch_related(Prefetch("current_version__sections",
                                   queryset=Section.objects.order_by("position")))
        .first()
    )
    if document is None:
        raise NotFound("There is no such document.")
    return document


def documents_for_publisher(*, actor, owner: Organization) -> QuerySet[Document]:
    """Return every document of the owner, at any level, to its publishers (else refuse).

    Publishers manage what their organisation publishes, so they see its internal and
    restricted documents here even without a role those name; they read no one else's.
    """
    publisher_check(actor, owner)
    return (
        Document.objects.filter(owner=owner).select_related("current_version")
        .prefetch_related("topics").annotate(version_count=Count("versions"))
        .order_by("title", "pk")
    )


def document_for_publisher(*, actor, owner: Organization, public_id: UUID | str) -> Document:
    """Return one of the owner's documents to its publishers; NotFound when there is none."""
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise NotFound("There is no such document.") from None
    document = documents_for_publisher(actor=actor, owner=owner).filter(
        public_id=public_id).first()
    if document is None:
        raise NotFound("There is no such document.")
    return document


def version_list(document: Document) -> QuerySet[Version]:
    """Return the document's versions, newest first (the caller has checked the reader)."""
    return document.versions.annotate(section_count=Count("sections")).order_by("-number")


def version_get(document: Document, number: int) -> Version:
    version = document.versions.filter(number=number).first()
    if version is None:
        raise NotFound(f"{document.title} has no version {number}.")
    return version


@dataclass(frozen=True)
class DiffLine:
    kind: str  # same, added, removed
    text: str


def version_diff(old: Version, new: Version) -> list[DiffLine]:
    """Return the lines of the two versions' texts, marked added, removed or the same."""
    lines = []
    for line in difflib.ndiff(old.text.splitlines(), new.text.splitlines()):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        kind = {"+ ": "added", "- ": "removed"}.get(code, "same")
        lines.append(DiffLine(kind, text))
    return lines


@dataclass
class HubHit:
    document: Document  # with its owner; its topics are `topics`, not `document.topics`
    section_heading: str
    anchor: str
    snippet: SafeString
    topics: tuple[str, ...] = ()  # the slugs of the topics it is filed under

    @property
    def url(self) -> str:
        path = reverse("portal:document", args=[self.document.public_id])
        return f"{path}#{self.anchor}" if self.anchor else path


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class HubResult:
    search: SearchResult
    hits: list[HubHit] = field(default_factory=list)
    owners: list[FacetValue] = field(default_factory=list)
    topics: list[FacetValue] = field(default_factory=list)
    kinds: list[FacetValue] = field(default_factory=list)
    years: list[FacetValue] = field(default_factory=list)


Labels = dict[int, tuple[str, str]]  # id: (slug, name)


def _labels(facets: Facets, document_keys: list[int]) -> tuple[Labels, Labels, dict[int, list]]:
    """Return the facets' organisations and topics, and each document's topics: one query.

    Plain SQL, fetched beside the documents: `prefetch_related` builds a query set per
    document, and with the ORM's union of three query sets for the labels it was most of
    a narrow search's own time on SQLite.
    """
    selects = (  # the ids travel as parameters
        (list(facets.owners),
         "SELECT 'owner', id, slug, name, 0 FROM organizations_organization WHERE id IN "),
        (list(facets.topics), "SELECT 'topic', id, slug, name, 0 FROM topics_topic WHERE id IN "),
        (document_keys, "SELECT 'filed', f.document_id, t.slug, t.name, t.position "
         "FROM content_document_topics f JOIN topics_topic t ON t.id = f.topic_id "
         "WHERE f.document_id IN "),
    )
    parts, params = [], []
    for ids, sql in selects:
        if ids:
            parts.append(f"{sql}({', '.join(['%s'] * len(ids))})")
            params += ids
    owners, topics, filed = {}, {}, {}
    if not parts:
        return owners, topics, filed
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    for kind, pk, slug, name, position in rows:
        if kind == "filed":
            filed.setdefault(pk, []).append((position, name, slug))
        else:
            (owners if kind == "owner" else topics)[pk] = (slug, name)
    return owners, topics, filed


def hub_search(
    *, reader: DocumentReader | None, query: str, topic: str = "", owner: str = "",
    kind: str = "", year: int | None = None, limit: int = 20, offset: int = 0,
) -> HubResult:
    """Search the hub's documents for the reader; unknown filter values match nothing."""
    topic_ids: tuple[int, ...] = ()
    owner_id = None
    nothing = HubResult(search=SearchResult(query=query))
    if topic:
        topic_ids = tuple(topic_ids_under(topic))
        if not topic_ids:
            return nothing
    if owner:
        owner_id = Organization.objects.filter(slug=owner).values_list("pk", flat=True).first()
        if owner_id is None:
            return nothing
    if kind and kind not in Document.Kind.values:
        return nothing
    result = search(
        reader=reader, query=query, limit=limit, offset=offset,
        filters=Filters(topic_ids=topic_ids, owner_id=owner_id, kind=kind, year=year),
    )
    keys = [hit.document_key for hit in result.hits]
    documents = Document.objects.select_related("owner").in_bulk(keys) if keys else {}
    facets = result.facets
    owners, topics, filed = _labels(facets, keys)
    hub = HubResult(search=result)
    hub.hits = [
        HubHit(documents[hit.document_key], hit.heading, hit.anchor, hit.snippet,
               tuple(slug for _, _, slug in sorted(filed.get(hit.document_key, []))))
        for hit in result.hits if hit.document_key in documents
    ]
    hub.owners = sorted(
        (FacetValue(*owners[pk], count) for pk, count in facets.owners.items() if pk in owners),
        key=lambda value: (-value.count, value.label),
    )
    hub.topics = sorted(
        (FacetValue(*topics[pk], count) for pk, count in facets.topics.items() if pk in topics),
        key=lambda value: (-value.count, value.label),
    )
    labels = dict(Document.Kind.choices)
    hub.kinds = sorted(
        (FacetValue(key, str(labels.get(key, key)), count) for key, count in facets.kinds.items()),
        key=lambda value: (-value.count, value.label),
    )
    hub.years = sorted(
        (FacetValue(key, key, count) for key, count in facets.years.items()),
        key=lambda value: value.value, reverse=True,
    )
    return hub
