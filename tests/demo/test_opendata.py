"""Riverton's open data: datasets from three organisations with files in the DataStore."""

import pytest

from agora.demo.services import demo_load
from agora.opendata import selectors
from agora.opendata.models import DatasetMeta, DatastoreTable


@pytest.fixture
def town(db):
    return demo_load(reads=False, requests=False)


def test_the_catalogue_has_riverton_datasets_with_loaded_files(town, client):
    assert selectors.dataset_names() == [
        "food-parcels-issued", "household-recycling-rates", "housing-repairs",
        "missed-bin-collections"]
    assert {org.slug for org in selectors.publishers()} == {
        "riverton-borough-council", "riverton-food-bank", "riverton-housing-authority"}
    missed = DatastoreTable.objects.get(
        resource__dataset__dataset_meta__name="missed-bin-collections")
    assert missed.row_count == 96
    repairs = DatastoreTable.objects.get(resource__dataset__dataset_meta__name="housing-repairs")
    assert [field["id"] for field in repairs.fields] == ["estate", "month", "priority",
                                                         "days_to_fix"]
    page = client.get("/dataset/missed-bin-collections/")
    assert page.status_code == 200 and b"The first 10 of 96 rows" in page.content


def test_loading_again_adds_no_dataset(town):
    names = DatasetMeta.objects.count()
    tables = DatastoreTable.objects.count()
    demo_load(reads=False, requests=False)
    assert DatasetMeta.objects.count() == names and DatastoreTable.objects.count() == tables


def test_the_requests_statistics_are_open_data(db):
    demo_load(reads=False, hub=False)
    names = [name for name in selectors.dataset_names() if name.startswith("requests-")]
    assert names, "no organisation's request statistics were published"
    table = DatastoreTable.objects.filter(
        resource__dataset__dataset_meta__name=names[0]).first()
    assert table is not None and [field["id"] for field in table.fields][:4] == [
        "service", "service name", "status", "month"]
