"""The hub's API: search (open to anyone; a client token widens it) and publish a document.

A search without a token reads as an anonymous visitor: open and public documents only.
With a token holding `documents:read`, it reads as that client: its organisation's
internal documents too. Publishing needs `documents:write` and publishes as the client's
organisation.
"""

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from agora.access.documents import anonymous_reader, reader_for_client
from agora.content import selectors, services
from agora.content.schemas import (
    DocumentIn,
    DocumentOut,
    FacetCount,
    SearchFacets,
    SearchHit,
    SearchOut,
    SearchQuery,
    VersionOut,
)
from agora.core.problems import problems
from agora.organizations.auth import ClientToken, client_auth

router = Router(tags=["hub"])


class OptionalClientToken(ClientToken):
    """A client token when one is sent; without an Authorization header, anonymous."""

    openapi_description = (
        "Optional. Without a token the search covers open and public documents; with a "
        "client token holding `documents:read`, also the client organisation's internal "
        "documents. " + ClientToken.openapi_description
    )

    def __call__(self, request: HttpRequest):
        if not request.headers.get("Authorization"):
            return anonymous_reader()
        return super().__call__(request)


def _facets(values) -> list[FacetCount]:
    return [FacetCount(value=v.value, label=v.label, count=v.count) for v in values]


@router.get(
    "/search", response=SearchOut, auth=OptionalClientToken("documents:read"),
    openapi_extra={"x-required-scope": "documents:read",
                   "security": [{}]},  # ninja adds the token; {} makes it optional
    summary="Search the hub's documents",
)
def search(request: HttpRequest, params: Query[SearchQuery]) -> SearchOut:
    """Search every organisation's guidance, forms and data, best match first.

    Each result is a document at its best-matching section, with a highlighted snippet
    and a link to that section. Facet counts and the total cover only what the caller may
    read. A misspelt query that matches nothing is corrected (`corrected`).
    """
    auth = request.auth
    reader = auth if not hasattr(auth, "client") else reader_for_client(auth.client)
    result = selectors.hub_search(
        reader=reader, query=params.q, topic=params.topic, owner=params.org,
        kind=params.kind, limit=params.limit, offset=params.offset,
    )
    base = request.build_absolute_uri("/")[:-1]
    return SearchOut(
        query=params.q, total=result.search.total, total_exact=result.search.total_exact,
        limit=params.limit, offset=params.offset,
        results=[
            SearchHit(
                id=hit.document.public_id, title=hit.document.title,
                section=hit.section_heading, snippet=str(hit.snippet), url=base + hit.url,
                source_url=hit.document.source_url, owner=hit.document.owner.slug,
                topics=list(hit.topics),
                kind=hit.document.kind, updated_at=hit.document.updated_at,
            )
            for hit in result.hits
        ],
        facets=SearchFacets(org=_facets(result.owners), topic=_facets(result.topics),
                            kind=_facets(result.kinds), year=_facets(result.years)),
        corrected=result.search.corrected, did_you_mean=result.search.did_you_mean,
        message=result.search.problem,
    )


def _publish_auth():
    arguments = client_auth("documents:write")
    arguments["openapi_extra"] = {**arguments["openapi_extra"], **problems(409, 413)}
    return arguments


@router.post(
    "/documents", response={200: DocumentOut, 201: DocumentOut}, **_publish_auth(),
    summary="Publish a document",
)
def document_publish(
    request: HttpRequest, file: File[UploadedFile], details: Form[DocumentIn]
) -> Status:
    """Publish a file (PDF, DOCX, HTML, Markdown, text, CSV or JSON) as your organisation's.

    Sending the same bytes again changes nothing (200, `unchanged`); different bytes
    under the same `source_key` add a version (201, `new-version`). A file that cannot be
    read is refused with a problem naming why (unsupported type, encrypted or corrupt).
    """
    client = request.auth.client
    published = services.document_publish(
        actor=client, owner=client.organization,
        upload=services.Upload(file.name or "upload", file.read()),
        source_key=details.source_key,
        details=services.Details(
            classification=details.classification,
            restricted_roles=tuple(details.restricted_roles), topics=tuple(details.topics),
            kind=details.kind, source_url=details.source_url,
        ),
    )
    document, version = published.document, published.version
    status = 201 if published.outcome in ("created", "new-version") else 200
    return Status(status, DocumentOut(
        id=document.public_id, title=document.title, owner=document.owner.slug,
        classification=document.classification, kind=document.kind,
        topics=[topic.slug for topic in document.topics.all()],
        source_url=document.source_url,
        url=request.build_absolute_uri(f"/documents/{document.public_id}/"),
        outcome=published.outcome,
        version=VersionOut(number=version.number, sections=version.sections.count(),
                           published_at=version.published_at,
                           content_hash=version.content_hash),
    ))
