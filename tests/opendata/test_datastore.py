"""The DataStore: loading checks every row, a bad file loads nothing, queries answer."""

import pytest
from django.db import connection

from agora.content.services import Upload
from agora.core.actors import SYSTEM
from agora.opendata import datastore, services
from agora.opendata.exceptions import LoadFailed
from agora.opendata.models import DatastoreTable, Resource
from tests.api.helpers import make_organization
from tests.opendata.helpers import dataset


def test_a_ragged_csv_names_every_bad_line():
    data = b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"
    with pytest.raises(LoadFailed) as caught:
        datastore.parse_csv(data)
    assert caught.value.rows == [(3, "expected 3 values, found 2"),
                                 (4, "expected 3 values, found 4")]


def test_a_file_in_the_wrong_encoding_names_its_lines():
    data = "name,town\nAnne,Riverton\nJosé,Brookfield\nRené,Millford\n".encode("latin-1")
    with pytest.raises(LoadFailed) as caught:
        datastore.parse_csv(data)
    assert [line for line, _ in caught.value.rows] == [3, 4]
    assert "not UTF-8" in caught.value.rows[0][1]


def test_json_must_be_a_list_of_objects():
    with pytest.raises(LoadFailed) as caught:
        datastore.parse_json(b'[{"a": 1}, 2, {"a": 3}]')
    assert caught.value.rows == [(2, "row 2 is a int, not an object")]
    parsed = datastore.parse_json(b'{"records": [{"a": 1, "b": "x"}, {"a": 2}]}')
    assert parsed.headers == ["a", "b"] and parsed.rows == [["1", "x"], ["2", None]]


def test_types_are_inferred_per_column():
    parsed = datastore.parse_csv(b"n,x,t\n1,1.5,a\n2,,b\n-3,2,\n")
    assert [field["type"] for field in datastore.fields_infer(parsed)] == ["int", "numeric", "text"]


@pytest.mark.django_db
def test_a_bad_file_leaves_no_resource_and_no_table():
    document = dataset(make_organization(), csv=None)
    tables_before = set(connection.introspection.table_names())
    with pytest.raises(LoadFailed):
        services.resource_create(actor=SYSTEM, document=document, data=services.ResourceInput(
            name="Broken", format="CSV", upload=Upload(name="broken.csv",
                                                       data=b"a,b\n1,2\n3\n")))
    assert not Resource.objects.exists() and not DatastoreTable.objects.exists()
    assert set(connection.introspection.table_names()) == tables_before


@pytest.mark.django_db
def test_queries_filter_search_sort_and_page():
    document = dataset(make_organization())
    table = DatastoreTable.objects.get(resource__dataset=document)
    assert table.row_count == 5

    def query(**kwargs):
        params = {"filters": {}, "q": "", "fields": None, "sort": "", "limit": 100,
                  "offset": 0, "include_total": True, **kwargs}
        return datastore.table_query(table.table_name, table.fields, datastore.Query(**params))

    north = query(filters={"ward": "North"})
    assert north.total == 2 and [row[1] for row in north.rows] == ["North", "North"]
    both = query(filters={"ward": ["North", "South"], "missed": 9})
    assert both.total == 1 and both.rows[0][3] == 1180
    assert query(q="Riverside").total == 1
    assert query(q={"ward": "south"}).total == 2
    ordered = query(sort="missed desc", limit=2, offset=1)
    assert [row[4] for row in ordered.rows] == [14, 9] and ordered.total == 5
    chosen = query(fields=["ward"], limit=1)
    assert [field["id"] for field in chosen.fields] == ["_id", "ward"]
    assert chosen.rows == [(1, "North")]
    with pytest.raises(datastore.QueryInvalid):
        query(filters={"nope": 1})
    with pytest.raises(datastore.QueryInvalid):
        query(filters={"missed": "many"})
    with pytest.raises(datastore.QueryInvalid):
        query(sort="ward; DROP TABLE x")
