"""The open data pages in a real browser: a developer filters the catalogue by a facet,
opens a dataset, sees the preview of its rows and the API examples, and downloads the
file, with and without JavaScript; no axe violations on any page."""

import pytest

from tests.api.helpers import make_organization
from tests.opendata.helpers import dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_developer_finds_a_dataset_and_previews_its_rows(live_server, any_page, check_axe):
    council = make_organization("riverton-council")
    housing = make_organization("riverton-housing")
    dataset(council)
    dataset(housing, "housing-repairs", title="Housing repairs", tags=("housing",),
            groups=("housing",), csv=b"estate,repairs\nMill Lane,40\nHigh Street,12\n")
    page = any_page
    page.goto(f"{live_server.url}/data/")
    assert page.get_by_role("heading", level=1).inner_text() == "Open data"
    assert page.get_by_role("status").inner_text() == "2 datasets"
    check_axe(page)
    page.get_by_role("link", name="Riverton Housing").click()
    assert page.get_by_role("status").inner_text() == "1 dataset"
    check_axe(page)
    page.get_by_role("link", name="Housing repairs").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Housing repairs"
    table = page.get_by_role("table")
    assert "The first 2 of 2 rows" in table.inner_text() and "Mill Lane" in table.inner_text()
    page.get_by_text("Query these rows with the API").click()
    assert "datastore_search?resource_id=" in page.content()
    check_axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Collections").click()
    assert download.value.suggested_filename == "Collections.csv"
    page.goto(f"{live_server.url}/data/?q=bins")
    assert page.get_by_role("status").inner_text() == "1 dataset"
    check_axe(page)
