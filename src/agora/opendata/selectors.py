"""Reads of the open data catalogue: datasets, their search and facets, resources.

The catalogue is the hub's documents of kind dataset with classification open, of active
organisations, with a published version. An API client may also ask for its own
organisation's datasets at other levels (CKAN's include_private); nobody else sees them,
and a dataset one may not see is "not found", like a missing one.
"""

from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from agora.access.models import Classification
from agora.content.models import Document, Version
from agora.core.exceptions import NotFound
from agora.opendata import fq as fq_syntax
from agora.opendata.exceptions import SearchQueryInvalid
from agora.opendata.models import DatasetMeta, DatastoreTable, Resource, Tag
from agora.organizations.models import Organization
from agora.topics.models import Topic

MAX_ROWS = 1000
FACET_FIELDS = {
    "organization": ("owner__slug", "owner__name"),
    "groups": ("topics__slug", "topics__name"),
    "tags": ("dataset_meta__tags__name", "dataset_meta__tags__name"),
    "res_format": ("resources__format", "resources__format"),
    "license_id": ("dataset_meta__license_id", "dataset_meta__license_id"),
    "frequency": ("dataset_meta__frequency", "dataset_meta__frequency"),
}
SORTS = {
    "score": "-updated_at", "metadata_modified": "updated_at", "metadata_created": "created_at",
    "name": "dataset_meta__name", "title": "title", "title_string": "title",
}


def catalogue(*, private_for: Organization | None = None,
              include_deleted: bool = False) -> QuerySet[Document]:
    """Return the datasets anyone may read, plus `private_for`'s own at every level.

    A deleted dataset (package_delete) is left out; with `include_deleted`, its owner
    (`private_for`) still reads its own, as CKAN's package_show shows them state=deleted.
    """
    visible = Q(classification=Classification.OPEN)
    if private_for is not None:
        visible |= Q(owner=private_for)
    # The active organisations are few: naming them keeps the join out of every count.
    active = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    found = Document.objects.filter(
        visible, kind=Document.Kind.DATASET, owner_id__in=active,
        current_version__isnull=False,
    )
    # The deleted are few: NOT IN over them (a partial index) keeps the details' join out
    # of every catalogue query, which a negated lookup on dataset_meta would add.
    deleted = DatasetMeta.objects.filter(state="deleted").values("document_id")
    if include_deleted and private_for is not None:
        return found.exclude(Q(pk__in=deleted) & ~Q(owner=private_for))
    return found.exclude(pk__in=deleted)


def _visible(document: Document, private_for: Organization | None) -> bool:
    """Say whether one dataset is in `catalogue(private_for=…, include_deleted=True)`,
    without a query (its owner and details are already read)."""
    owned = private_for is not None and document.owner_id == private_for.pk
    try:
        deleted = document.dataset_meta.state == "deleted"
    except DatasetMeta.DoesNotExist:
        deleted = False
    return (document.kind == Document.Kind.DATASET and document.current_version_id is not None
            and document.owner.is_active and (owned or not deleted)
            and (document.classification == Classification.OPEN or owned))


def _with_details(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related("owner", "dataset_meta", "current_version").prefetch_related(
        "topics", "dataset_meta__tags",
        Prefetch("resources", queryset=Resource.objects.select_related("datastore")),
    )


def dataset_get(*, id_or_name: str, private_for: Organization | None = None) -> Document:
    """Return a dataset by its id (UUID) or name; NotFound if missing or not visible (a
    deleted one is visible to its owner only)."""
    documents = _with_details(catalogue(private_for=private_for, include_deleted=True))
    try:
        found = documents.filter(public_id=UUID(str(id_or_name))).first()
    except ValueError:
        found = documents.filter(dataset_meta__name=id_or_name).first()
    if found is None:
        raise NotFound(f"There is no dataset “{id_or_name}”.")
    return found


def dataset_versions(document: Document) -> QuerySet[Version]:
    return document.versions.order_by("-number").only("number", "published_at", "title")


def dataset_names() -> list[str]:
    """Return every open dataset's name (CKAN's package_list), sorted."""
    rows = catalogue().values_list("dataset_meta__name", "public_id")
    return sorted(name or str(public_id) for name, public_id in rows)


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    fq: list[str] = field(default_factory=list)
    sort: str = ""
    rows: int = 10
    start: int = 0
    facet_fields: list[str] = field(default_factory=list)
    facet_limit: int = 50
    facet_mincount: int = 1
    private_for: Organization | None = None


@dataclass(frozen=True)
class FacetItem:
    name: str
    display_name: str
    count: int


@dataclass
class SearchResult:
    count: int
    results: list[Document]
    facets: dict[str, list[FacetItem]]
    sort: str


def _term_q(term: fq_syntax.Term) -> Q:
    values = list(term.values)
    name = term.field
    if name in {"organization", "owner_org"}:
        condition = Q(owner__slug__in=values) | Q(
            owner__public_id__in=[value for value in values if _is_uuid(value)])
    elif name == "groups":
        condition = Q(Exists(Document.topics.through.objects.filter(
            document_id=OuterRef("pk"), topic__slug__in=values)))
    elif name == "tags":
        condition = Q(Exists(DatasetMeta.tags.through.objects.filter(
            datasetmeta_id=OuterRef("pk"), tag__name__in=values)))
    elif name == "res_format":
        condition = Q(Exists(Resource.objects.filter(
            dataset_id=OuterRef("pk"), format__in=[value.upper() for value in values])))
    elif name == "license_id":
        condition = Q(dataset_meta__license_id__in=values)
    elif name == "frequency":
        condition = Q(dataset_meta__frequency__in=values)
    elif name == "name":
        condition = Q(dataset_meta__name__in=values)
    elif name == "id":
        condition = Q(public_id__in=[value for value in values if _is_uuid(value)])
    else:  # dataset_type, type: every dataset here is of type "dataset"
        condition = Q() if "dataset" in values else Q(pk__in=[])
    return ~condition if term.negate else condition


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _words_q(words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= (
            Q(title__icontains=word) | Q(summary__icontains=word)
            | Q(dataset_meta__name__icontains=word)
            | Q(Exists(DatasetMeta.tags.through.objects.filter(
                datasetmeta_id=OuterRef("pk"), tag__name__iexact=word)))
        )
    return condition


def _split_q(q: str) -> tuple[list[str], str]:
    """Split `q` into free words and field terms (CKAN clients send `tags:x` in q too)."""
    q = q.strip()
    if q in {"", "*:*", "*"}:
        return [], ""
    words, terms = [], []
    for token in fq_syntax.tokens(q):
        field = token.lstrip("+-").split(":", 1)[0]
        if ":" in token and not token.startswith('"') and field in fq_syntax.FIELDS:
            terms.append(token)
        elif ":" in token and not token.startswith('"'):  # title:x, text:x: words to match
            words.extend(token.split(":", 1)[1].strip('"()').split())
        elif token not in {"AND", "&&"}:
            words.append(token.strip('"'))
    return [word for word in words if word], " ".join(terms)


def _order(sort: str) -> list[str]:
    order = []
    for part in filter(None, (part.strip() for part in (sort or "score desc").split(","))):
        words = part.split()
        if len(words) != 2 or words[0] not in SORTS or words[1].lower() not in {"asc", "desc"}:
            raise SearchQueryInvalid(f"Cannot sort by “{part}”: use one of "
                                     f"{', '.join(SORTS)} then asc or desc.")
        column = SORTS[words[0]]
        if words[0] == "score":
            order.append(column)
            continue
        order.append(("-" if words[1].lower() == "desc" else "") + column)
    return [*order, "-pk"]


def dataset_search(params: SearchParams) -> SearchResult:
    """Return one page of datasets matching q and every fq, with the counts of the facets."""
    for facet in params.facet_fields:
        if facet not in FACET_FIELDS:
            raise SearchQueryInvalid(f"Cannot count “{facet}” (use {', '.join(FACET_FIELDS)}).")
    words, q_terms = _split_q(params.q)
    documents = catalogue(private_for=params.private_for)
    condition = _words_q(words)
    for text in [q_terms, *params.fq]:
        for term in fq_syntax.parse(text):
            condition &= _term_q(term)
    matching = documents.filter(condition)
    order = _order(params.sort)
    # Sort and page on narrow rows (the ids), then read the page's ten datasets in full:
    # sorting the wide joined rows made deep pages cost far more than the first.
    ids = list(matching.order_by(*order).values_list("pk", flat=True)[
        params.start:params.start + params.rows])
    page = dataset_list_by_ids(ids, private_for=params.private_for)
    facets = {name: _facet(matching, name, params) for name in params.facet_fields}
    return SearchResult(count=matching.count(), results=page, facets=facets,
                        sort=params.sort or "score desc, metadata_modified desc")


def _facet(matching: QuerySet[Document], name: str, params: SearchParams) -> list[FacetItem]:
    """Count one facet over the matching datasets.

    Organisations, topics and tags are counted on narrow rows (the owner column, the two
    link tables) grouped by integer id, and named afterwards from their few rows: joining
    each dataset to its details and the names first made every facet read the wide rows.
    """
    minimum = max(params.facet_mincount, 1)
    narrow = {
        "organization": (lambda: matching.values(facet_id=F("owner_id")), Organization, "slug",
                         "name"),
        "groups": (lambda: Document.topics.through.objects.filter(
            document_id__in=matching.values("pk")).values(facet_id=F("topic_id")), Topic, "slug",
            "name"),
        "tags": (lambda: DatasetMeta.tags.through.objects.filter(
            datasetmeta_id__in=matching.values("pk")).values(facet_id=F("tag_id")), Tag, "name",
            "name"),
    }
    if name in narrow:
        rows, model, key, label = narrow[name]
        counts = dict(rows().annotate(count=Count("*")).filter(count__gte=minimum)
                      .values_list("facet_id", "count"))
        names = model.objects.filter(pk__in=counts).values_list("pk", key, label)
        items = sorted((FacetItem(name=slug, display_name=shown, count=counts[pk])
                        for pk, slug, shown in names), key=lambda item: (-item.count, item.name))
        return items[:params.facet_limit]
    key, label = FACET_FIELDS[name]
    rows = (
        # The filters are EXISTS subqueries, so each (dataset, value) pair is one row: no
        # DISTINCT needed. Datasets without a value form one group (None), dropped below:
        # excluding them in SQL would add a correlated NOT EXISTS per row.
        # (A dataset with two CSV files is one dataset under CSV: that facet counts them.)
        matching.values(key, label).annotate(count=Count("pk", distinct=name == "res_format"))
        .filter(count__gte=minimum)
        .order_by("-count", key)[:params.facet_limit + 1]
    )
    items = [FacetItem(name=row[key], display_name=row[label], count=row["count"])
             for row in rows if row[key] not in (None, "")]
    return items[:params.facet_limit]


def publishers() -> QuerySet[Organization]:
    """Return the organisations with at least one open dataset, with the count."""
    return Organization.objects.filter(
        is_active=True, documents__in=catalogue()
    ).annotate(package_count=Count("documents", distinct=True)).order_by("slug")


def organization_get(id_or_name: str) -> Organization:
    found = publishers().filter(slug=id_or_name).first()
    if found is None:
        raise NotFound(f"There is no organisation “{id_or_name}” publishing open data.")
    return found


def groups() -> QuerySet[Topic]:
    """Return the topics (CKAN's groups) that at least one open dataset is filed under."""
    return Topic.objects.filter(documents__in=catalogue()).annotate(
        package_count=Count("documents", distinct=True)).order_by("slug")


def group_get(id_or_name: str) -> Topic:
    found = groups().filter(slug=id_or_name).first()
    if found is None:
        raise NotFound(f"There is no group “{id_or_name}”.")
    return found


def tag_names(query: str = "") -> list[str]:
    tags = Tag.objects.filter(datasets__document__in=catalogue())
    if query:
        tags = tags.filter(name__icontains=query)
    return list(tags.values_list("name", flat=True).distinct().order_by("name"))


def resource_get(resource_id: str, *, private_for: Organization | None = None) -> Resource:
    """Return a resource of a visible dataset by id; NotFound otherwise."""
    if not _is_uuid(str(resource_id)):
        raise NotFound(f"There is no resource “{resource_id}”.")
    found = Resource.objects.select_related(
        "dataset__owner", "dataset__dataset_meta", "datastore").filter(
        public_id=resource_id).first()
    if found is None or not _visible(found.dataset, private_for):
        raise NotFound(f"There is no resource “{resource_id}”.")
    return found


def datastore_get(resource_id: str) -> DatastoreTable:
    resource = resource_get(resource_id)
    try:
        return resource.datastore
    except DatastoreTable.DoesNotExist:
        raise NotFound(f"Resource “{resource_id}” has no DataStore table.") from None


def dataset_list_by_ids(ids: list[int], *, private_for: Organization | None = None,
                        ) -> list[Document]:
    """Return these datasets with everything the DCAT and CKAN views read, in this order."""
    found = {document.pk: document for document in _with_details(
        catalogue(private_for=private_for).filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]
