"""Reads of documents: what a reader may read, a topic's documents, the hub's search.

Every read takes the reader (`access.documents.DocumentReader`) and applies the one rule;
with no reader it returns nothing. A document the reader may not read is "not found",
exactly like one that does not exist.
"""

import difflib
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import CharField, Count, Prefetch, QuerySet, Value
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
    document: Document
    section_heading: str
    anchor: str
    snippet: SafeString

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


def _facet_labels(facets: Facets) -> tuple[dict[int, tuple[str, str]], dict[int, tuple[str, str]]]:
    """Return (slug, name) of the facets' organisations and topics, by id: one query."""
    if not facets.owners and not facets.topics:
        return {}, {}
    rows = Organization.objects.filter(pk__in=list(facets.owners)).order_by().values_list(
        Value("owner", output_field=CharField()), "pk", "slug", "name",
    ).union(
        Topic.objects.filter(pk__in=list(facets.topics)).order_by().values_list(
            Value("topic", output_field=CharField()), "pk", "slug", "name"),
        all=True,
    )
    owners, topics = {}, {}
    for kind, pk, slug, name in rows:
        (owners if kind == "owner" else topics)[pk] = (slug, name)
    return owners, topics


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
    documents = Document.objects.select_related("owner").prefetch_related("topics").in_bulk(
        [hit.document_key for hit in result.hits]
    )
    hub = HubResult(search=result)
    hub.hits = [
        HubHit(documents[hit.document_key], hit.heading, hit.anchor, hit.snippet)
        for hit in result.hits if hit.document_key in documents
    ]
    facets = result.facets
    owners, topics = _facet_labels(facets)
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
