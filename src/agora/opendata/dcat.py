"""The catalogue as DCAT-AP 3 (rdflib): the whole catalogue in pages, or one dataset.

Every object the profile gives a class to is typed (publisher a foaf:Agent, licence a
dct:LicenseDocument, period a dct:PeriodOfTime, …) so the official SHACL shapes, range
checks included, find no violation. The catalogue is paged with Hydra
(hydra:PartialCollectionView with first, previous, next and last).
"""

from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from agora.content.models import Document
from agora.opendata.ckan_dicts import (
    LICENCES,
    dataset_name,
    datastore_of,
    license_id_of,
    meta_of,
    resource_url,
)
from agora.opendata.models import Frequency

DCAT3 = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's DCAT is DCAT 2: no dcat:version
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA = Namespace("https://www.iana.org/assignments/media-types/")
PAGE_SIZE = 100
FORMATS = {"ttl": "turtle", "rdf": "pretty-xml", "jsonld": "json-ld"}
MEDIA_TYPES = {"ttl": "text/turtle", "rdf": "application/rdf+xml", "jsonld": "application/ld+json"}


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF),
                              ("hydra", HYDRA), ("vcard", VCARD), ("skos", SKOS)):
        graph.bind(prefix, namespace)
    return graph


def _agent(graph: Graph, base: str, organization) -> URIRef:
    agent = URIRef(f"{base}/organisations/{organization.slug}")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(organization.name)))
    return agent


def _dt(value) -> Literal:
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def dataset_add(graph: Graph, document: Document, base: str) -> URIRef:
    """Add one dataset, its distributions and what they point at; return its node."""
    name = dataset_name(document)
    page = base + reverse("opendata:dataset", kwargs={"name": name})
    node = URIRef(page)
    meta = meta_of(document)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(str(document.public_id))))
    graph.add((node, DCTERMS.title, Literal(document.title, lang="en")))
    graph.add((node, DCTERMS.description, Literal(document.summary or document.title, lang="en")))
    graph.add((node, DCTERMS.publisher, _agent(graph, base, document.owner)))
    graph.add((node, DCAT.landingPage, _document(graph, page)))
    graph.add((node, DCTERMS.issued, _dt(document.created_at)))
    graph.add((node, DCTERMS.modified, _dt(document.updated_at)))
    if document.current_version is not None:
        graph.add((node, DCAT3.version, Literal(str(document.current_version.number))))
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Kind))  # the profile's class for a contact
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(document.owner.name)))
    if meta and meta.maintainer_email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{meta.maintainer_email}")))
    graph.add((node, DCAT.contactPoint, contact))
    for topic in document.topics.all():
        theme = URIRef(base + reverse("portal:topic", kwargs={"slug": topic.slug}))
        graph.add((theme, RDF.type, SKOS.Concept))
        graph.add((theme, SKOS.prefLabel, Literal(topic.name, lang="en")))
        graph.add((node, DCAT.theme, theme))
    if meta:
        for tag in meta.tags.all():
            graph.add((node, DCAT.keyword, Literal(tag.name, lang="en")))
        if meta.frequency != Frequency.UNKNOWN:
            frequency = FREQUENCY[meta.frequency]
            graph.add((frequency, RDF.type, DCTERMS.Frequency))
            graph.add((node, DCTERMS.accrualPeriodicity, frequency))
        if meta.temporal_start or meta.temporal_end:
            period = BNode()
            graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
            if meta.temporal_start:
                graph.add((period, DCAT.startDate, Literal(meta.temporal_start, datatype=XSD.date)))
            if meta.temporal_end:
                graph.add((period, DCAT.endDate, Literal(meta.temporal_end, datatype=XSD.date)))
            graph.add((node, DCTERMS.temporal, period))
        if meta.spatial:
            place = BNode()
            graph.add((place, RDF.type, DCTERMS.Location))
            graph.add((place, SKOS.prefLabel, Literal(meta.spatial, lang="en")))
            graph.add((node, DCTERMS.spatial, place))
    licence = _licence(graph, license_id_of(document))
    for resource in document.resources.all():
        graph.add((node, DCAT.distribution, _distribution(graph, resource, base, licence)))
    return node


def _document(graph: Graph, url: str) -> URIRef:
    node = URIRef(url)
    graph.add((node, RDF.type, FOAF.Document))
    return node


def _licence(graph: Graph, license_id: str) -> URIRef | None:
    if license_id not in LICENCES:
        return None
    title, url = LICENCES[license_id]
    node = URIRef(url)
    graph.add((node, RDF.type, DCTERMS.LicenseDocument))
    graph.add((node, DCTERMS.title, Literal(title, lang="en")))
    return node


def _distribution(graph: Graph, resource, base: str, licence: URIRef | None) -> URIRef:
    url = resource_url(resource, base)
    node = URIRef(f"{base}/dataset/{dataset_name(resource.dataset)}/resource/{resource.public_id}")
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(resource.name, lang="en")))
    if resource.description:
        graph.add((node, DCTERMS.description, Literal(resource.description, lang="en")))
    graph.add((node, DCAT.accessURL, URIRef(url)))
    if not resource.url:
        graph.add((node, DCAT.downloadURL, URIRef(url)))
    if resource.format:
        file_type = FILE_TYPE[resource.format.upper()]
        graph.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
        graph.add((node, DCTERMS["format"], file_type))
    if resource.media_type:
        media = IANA[resource.media_type]
        graph.add((media, RDF.type, DCTERMS.MediaType))
        graph.add((node, DCAT.mediaType, media))
    if resource.size is not None:
        graph.add((node, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))
    if licence is not None:
        graph.add((node, DCTERMS.license, licence))
    graph.add((node, DCTERMS.issued, _dt(resource.created_at)))
    graph.add((node, DCTERMS.modified, _dt(resource.modified_at)))
    if datastore_of(resource) is not None:
        api = URIRef(base + reverse("opendata:action", kwargs={"name": "datastore_search"})
                     + f"?resource_id={resource.public_id}")
        service = URIRef(base + reverse("opendata:action", kwargs={"name": "status_show"}))
        graph.add((service, RDF.type, DCAT.DataService))
        graph.add((service, DCTERMS.title, Literal("DataStore API (CKAN)", lang="en")))
        endpoint = URIRef(base + "/api/3/action/")
        graph.add((endpoint, RDF.type, RDFS.Resource))  # the range check asks for the class
        graph.add((service, DCAT.endpointURL, endpoint))
        graph.add((node, DCAT.accessService, service))
        graph.add((node, DCTERMS.conformsTo, _standard(graph)))
        graph.add((node, FOAF.page, _document(graph, str(api))))
    return node


def _standard(graph: Graph) -> URIRef:
    node = URIRef("https://docs.ckan.org/en/latest/maintaining/datastore.html")
    graph.add((node, RDF.type, DCTERMS.Standard))
    return node


def catalog_graph(documents: list[Document], *, base: str, total: int, page: int,
                  suffix: str) -> Graph:
    """Return one page of the catalogue with its Hydra paging."""
    graph = _graph()
    catalog_url = f"{base}/catalog.{suffix}"
    catalog = URIRef(catalog_url)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("Agora open data", lang="en")))
    graph.add((catalog, DCTERMS.description, Literal(
        "Open datasets published by the organisations of the platform.", lang="en")))
    publisher = URIRef(f"{base}/")
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal("Agora")))
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, _document(graph, base + reverse("opendata:catalogue"))))
    for document in documents:
        graph.add((catalog, DCAT.dataset, dataset_add(graph, document, base)))
    last = max(1, -(-total // PAGE_SIZE))
    view = URIRef(f"{catalog_url}?page={page}")
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((view, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer)))
    graph.add((view, HYDRA.first, URIRef(f"{catalog_url}?page=1")))
    graph.add((view, HYDRA.last, URIRef(f"{catalog_url}?page={last}")))
    if page > 1:
        graph.add((view, HYDRA.previous, URIRef(f"{catalog_url}?page={page - 1}")))
    if page < last:
        graph.add((view, HYDRA.next, URIRef(f"{catalog_url}?page={page + 1}")))
    graph.add((catalog, HYDRA.view, view))
    return graph


def dataset_graph(document: Document, *, base: str) -> Graph:
    graph = _graph()
    dataset_add(graph, document, base)
    return graph


def serialize(graph: Graph, suffix: str) -> str:
    return graph.serialize(format=FORMATS[suffix])
