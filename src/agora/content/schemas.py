"""Input and output schemas of the hub's API: search and publish."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, StringConstraints

from agora.access.models import Classification
from agora.content.models import Document
from agora.core.schemas import InputSchema
from agora.organizations.models import Membership
from agora.search.words import MAX_QUERY_CHARS
from agora.topics.vocabulary import topics_flat

Slug = Annotated[str, StringConstraints(max_length=80, pattern=r"^[a-z0-9-]*$")]
Kind = Literal[tuple(Document.Kind.values)]
ClassificationName = Literal[tuple(Classification.values)]
RoleName = Literal[tuple(Membership.Role.values)]
STARTING_TOPICS = ", ".join(topic["slug"] for topic in topics_flat())


class SearchQuery(InputSchema):
    q: str = Field(max_length=MAX_QUERY_CHARS, description=(
        "What to look for, in plain words. Quotes, operators and other syntax are read as "
        "plain text. An empty query returns no results and a `message`."))
    limit: int = Field(20, ge=1, le=100, description="At most this many results (≤ 100).")
    offset: int = Field(0, ge=0, le=10_000, description="Skip this many results first.")
    topic: Slug = Field("", description="Only documents under this topic (or its sub-topics).")
    org: Slug = Field("", description="Only documents of this organisation (its slug).")
    kind: Kind | Literal[""] = Field("", description="Only documents of this kind.")


class SearchHit(Schema):
    id: UUID = Field(description="The document's public id.")
    title: str
    section: str = Field(description="The heading path of the best-matching section "
                                     "(“Eligibility \u203a Who can apply”); empty for its start.")
    snippet: str = Field(description="An extract of the section, HTML-escaped, with the "
                                     "matching words in <mark> elements.")
    url: str = Field(description="The document's page in Agora, anchored at the section.")
    source_url: str = Field(description="The original page, when the document declared one.")
    owner: str = Field(description="Slug of the organisation that publishes it.")
    topics: list[str] = Field(description="Slugs of the topics it is filed under.")
    kind: str
    updated_at: datetime


class FacetCount(Schema):
    value: str
    label: str
    count: int


class SearchFacets(Schema):
    org: list[FacetCount]
    topic: list[FacetCount]
    kind: list[FacetCount]
    year: list[FacetCount]


class SearchOut(Schema):
    query: str
    total: int = Field(description="How many documents match (each counts once); when "
                       "`total_exact` is false, at least this many.")
    total_exact: bool = Field(description=(
        "False for a query so broad that only its first matches were counted: `total` and "
        "the facet counts are then lower bounds, and the results rank the matches whose "
        "title or heading holds one of the words. Narrow the query or filter to get exact "
        "counts."))
    limit: int
    offset: int
    results: list[SearchHit]
    facets: SearchFacets
    corrected: str = Field(description="When nothing matched the words as typed, the "
                                       "corrected query these results are for.")
    did_you_mean: str = Field(description="A corrected query to offer, else empty.")
    message: str = Field(description="Why nothing was searched (an empty query), else empty.")


class DocumentIn(InputSchema):
    classification: ClassificationName = "public"
    restricted_roles: list[RoleName] = Field(
        default_factory=list, max_length=5,
        description="For a restricted document: the roles of your organisation that may read it.")
    topics: list[Slug] = Field(default_factory=list, max_length=20, description=(
        f"Topic slugs to file it under (the starting tree: {STARTING_TOPICS})."))
    kind: Kind | Literal[""] = Field("", description="Guessed from the file type when empty.")
    source_key: Annotated[str, StringConstraints(max_length=500)] = Field(
        "", description="What names this document among yours, so publishing again adds a "
        "version. Default: the source_url, else the file name.")
    source_url: Annotated[str, StringConstraints(max_length=1000)] = Field(
        "", description="Where the original lives (an http or https address), returned with "
        "search results; wins over a source_url the file's front matter declares.")


class VersionOut(Schema):
    number: int
    sections: int
    published_at: datetime
    content_hash: str


class DocumentOut(Schema):
    id: UUID
    title: str
    owner: str
    classification: str
    kind: str
    topics: list[str]
    source_url: str
    url: str
    outcome: Literal["created", "new-version", "details-changed", "unchanged"]
    version: VersionOut
