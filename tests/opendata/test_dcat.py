"""DCAT-AP 3: the catalogue and a dataset in three syntaxes, valid against the official
SHACL shapes and range checks (shared/testvectors/dcat-ap-3.0.1), advertised on the pages."""

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from tests.api.helpers import make_organization
from tests.opendata.helpers import dataset

pytestmark = pytest.mark.django_db
SHAPES_DIR = next(
    (path / "shared" / "testvectors" / "dcat-ap-3.0.1"
     for path in Path(__file__).resolve().parents
     if (path / "shared" / "testvectors" / "dcat-ap-3.0.1").is_dir()),
    Path("/work/shared/testvectors/dcat-ap-3.0.1"),
)
HYDRA = "http://www.w3.org/ns/hydra/core#"
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's closed DCAT warns under pytest


SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    """Return the official shapes and range checks, as published.

    Release 3.0.1 names five property shapes with `sh:property` that it defines nowhere
    (no triple has them as subject, in either file): they constrain nothing, but pyshacl
    refuses to run with a reference that is not a property shape. Only those empty
    references are taken out, and the test checks that that is all it takes out.
    """
    graph = Graph()
    graph.parse(SHAPES_DIR / "dcat-ap-SHACL.ttl")
    graph.parse(SHAPES_DIR / "ranges.ttl")
    dangling = [(shape, ref) for shape, ref in graph.subject_objects(SH.property)
                if next(graph.triples((ref, None, None)), None) is None]
    assert len(dangling) == 5, dangling
    for shape, ref in dangling:
        graph.remove((shape, SH.property, ref))
    return graph


def conforms(data: Graph, shapes: Graph) -> None:
    ok, _, report = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                     allow_warnings=True, meta_shacl=False)
    assert ok, report


@pytest.fixture
def published():
    council = make_organization("riverton-council")
    dataset(council)
    dataset(council, "library-loans", title="Library loans", tags=(), groups=(),
            license_id="", csv=None)


@pytest.mark.parametrize(("suffix", "rdf_format"), [
    ("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")])
def test_the_catalogue_validates_in_every_syntax(client, published, shapes, suffix, rdf_format):
    response = client.get(f"/catalog.{suffix}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdf_format)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 2
    assert len(set(graph.subjects(RDF.type, DCAT.Distribution))) == 1
    conforms(graph, shapes)


def test_the_catalogue_pages_with_hydra(client, published, monkeypatch, shapes):
    from agora.opendata import dcat

    monkeypatch.setattr(dcat, "PAGE_SIZE", 1)
    first = Graph().parse(data=client.get("/catalog.ttl").content, format="turtle")
    views = {str(p).removeprefix(HYDRA): str(o) for s, p, o in first
             if str(p).startswith(HYDRA) and str(p) != HYDRA + "view"}
    assert views["next"].endswith("/catalog.ttl?page=2")
    assert views["last"].endswith("/catalog.ttl?page=2") and views["totalItems"] == "2"
    second = Graph().parse(data=client.get("/catalog.ttl?page=2").content, format="turtle")
    assert len(set(second.subjects(RDF.type, DCAT.Dataset))) == 1
    assert client.get("/catalog.ttl?page=3").status_code == 404
    conforms(second, shapes)


def test_one_dataset_validates_and_is_advertised(client, published, shapes):
    for suffix, rdf_format in (("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")):
        response = client.get(f"/dataset/bin-collections.{suffix}")
        assert response.status_code == 200
        conforms(Graph().parse(data=response.content, format=rdf_format), shapes)
    page = client.get("/dataset/bin-collections/").content.decode()
    assert '<link rel="alternate" type="text/turtle" href="/dataset/bin-collections.ttl"' in page
    catalogue = client.get("/data/").content.decode()
    assert '<link rel="alternate" type="application/ld+json" href="/catalog.jsonld"' in catalogue
    assert client.get("/dataset/nothing.ttl").status_code == 404
