"""The CKAN Action API as a client nobody here wrote sees it: ckanapi (PyPI), its library
against the running server, and its `search datasets` and `dump datasets` commands."""

import json
import os
import subprocess
import sys
from pathlib import Path

import ckanapi
import pytest

from tests.api.helpers import make_organization
from tests.opendata.helpers import dataset, publisher

pytestmark = pytest.mark.django_db(transaction=True)
CKANAPI = str(Path(sys.executable).parent / "ckanapi")


@pytest.fixture
def site(live_server):
    council = make_organization("riverton-council")
    dataset(council)
    dataset(council, "library-loans", title="Library loans", tags=("libraries",),
            groups=("leisure",), csv=b"branch,loans\nCentral,100\nEast,40\n")
    return live_server.url, council


def test_library_reads(site):
    url, _ = site
    ckan = ckanapi.RemoteCKAN(url)
    assert ckan.action.package_list() == ["bin-collections", "library-loans"]
    found = ckan.action.package_search(q="library", facet_field=None)
    assert found["count"] == 1
    found = ckan.call_action("package_search", {"fq": "tags:bins",
                                                "facet.field": ["organization"]})
    assert found["search_facets"]["organization"]["items"][0]["count"] == 1
    package = ckan.action.package_show(id="bin-collections")
    resource_id = package["resources"][0]["id"]
    rows = ckan.action.datastore_search(resource_id=resource_id, filters={"ward": "North"})
    assert rows["total"] == 2
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.SearchQueryError):
        ckan.action.package_search(fq="tags:(unclosed")
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(rows=5000)
    get_only = ckanapi.RemoteCKAN(url, get_only=True)
    assert get_only.action.organization_list() == ["riverton-council"]


def test_library_writes_with_a_token(site):
    url, council = site
    keyed = publisher(council)
    ckan = ckanapi.RemoteCKAN(url)
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.package_create(name="street-trees", title="Street trees")
    created = ckan.call_action("package_create", {
        "name": "street-trees", "title": "Street trees", "owner_org": "riverton-council",
        "tags": [{"name": "trees"}]}, apikey=keyed.token())
    assert created["name"] == "street-trees"
    patched = ckan.call_action("package_patch", {"id": "street-trees", "notes": "All of them."},
                               apikey=keyed.token())
    assert patched["notes"] == "All of them."
    resource = ckan.call_action(
        "resource_create", {"package_id": "street-trees", "name": "Trees"},
        files={"upload": ("trees.csv", b"species,count\nOak,10\nAsh,4\n")},
        apikey=keyed.token())
    assert resource["datastore_active"] is True
    assert ckan.action.datastore_search(resource_id=resource["id"], sort="count asc")[
        "records"][0]["species"] == "Ash"
    with pytest.raises(ckanapi.ValidationError) as caught:
        ckan.call_action("resource_create", {"package_id": "street-trees"},
                         files={"upload": ("bad.csv", b"species,count\nOak\n")},
                         apikey=keyed.token())
    assert caught.value.error_dict["upload"] == ["line 2: expected 2 values, found 1"]


def run(*args: str, cwd: Path) -> str:
    # `dump` starts its workers as `ckanapi` from the PATH.
    env = {**os.environ, "PATH": f"{Path(CKANAPI).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([CKANAPI, *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env=env, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_command_line_searches_and_dumps(site, tmp_path):
    url, _ = site
    lines = run("search", "datasets", "q=library", "-r", url, cwd=tmp_path).splitlines()
    assert [json.loads(line)["name"] for line in lines] == ["library-loans"]
    every = run("search", "datasets", "-r", url, cwd=tmp_path).splitlines()
    assert len(every) == 2
    run("dump", "datasets", "--all", "-O", str(tmp_path / "dump.jsonl"), "-q", "-r", url,
        cwd=tmp_path)
    dumped = [json.loads(line) for line in (tmp_path / "dump.jsonl").read_text().splitlines()]
    assert sorted(package["name"] for package in dumped) == ["bin-collections", "library-loans"]
    assert dumped[0]["resources"][0]["datastore_active"] is True


def test_library_datastore_writes_and_package_delete(site):
    url, council = site
    keyed = publisher(council)
    ckan = ckanapi.RemoteCKAN(url)
    created = ckan.call_action("datastore_create", {
        "resource": {"package_id": "library-loans", "name": "Loans by month"},
        "fields": [{"id": "month", "type": "text"}, {"id": "loans", "type": "int"}],
        "primary_key": "month", "records": [{"month": "2026-01", "loans": 90}]},
        apikey=keyed.token())
    rid = created["resource_id"]
    ckan.call_action("datastore_upsert", {"resource_id": rid, "method": "upsert", "records": [
        {"month": "2026-01", "loans": 95}, {"month": "2026-02", "loans": 80}]},
        apikey=keyed.token())
    rows = ckan.action.datastore_search(resource_id=rid, sort="month")["records"]
    assert [(row["month"], row["loans"]) for row in rows] == [("2026-01", 95), ("2026-02", 80)]
    with pytest.raises(ckanapi.ValidationError):
        ckan.call_action("datastore_upsert", {"resource_id": rid, "method": "update",
                                              "records": [{"month": "2030-01", "loans": 1}]},
                         apikey=keyed.token())
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.package_delete(id="library-loans")
    ckan.call_action("package_delete", {"id": "library-loans"}, apikey=keyed.token())
    assert ckan.action.package_list() == ["bin-collections"]
    shown = ckan.call_action("package_show", {"id": "library-loans"}, apikey=keyed.token())
    assert shown["state"] == "deleted"
