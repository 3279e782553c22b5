"""The leaf's canonical bytes never change: logs already written must still verify.

`leaf_data` writes the JSON itself for speed (every append and every verified entry comes
through it); these tests hold it to the bytes `json.dumps` wrote before, which is what
docs/audit.md tells outside verifiers to recompute.
"""

import enum
import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from agora.audit import merkle
from agora.audit.canonical import HASHED_FIELDS, LEAF_VERSION, format_time, leaf_data


def reference_leaf_data(fields: dict) -> bytes:
    """The leaf encoding as first written (and as docs/audit.md describes it)."""
    document = {name: fields[name] for name in HASHED_FIELDS}
    document["created_at"] = document["created_at"].astimezone(UTC).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")
    document["v"] = LEAF_VERSION
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


ENTRY = {
    "seq": 41, "created_at": datetime(2026, 12, 3, 9, 30, tzinfo=timezone(timedelta(hours=1))),
    "actor_kind": "staff", "actor_id": "s-7", "actor_label": 'Ana Łukasiewicz "AL"',
    "organization": "riverton-council", "on_behalf_of": "", "purpose": "case-management",
    "legal_basis": "Art. 6(1)(e)", "action": "record.read", "subject_pseudonym": "ab" * 32,
    "resource_type": "record", "resource_id": "rec-1", "decision": "permit",
    "reason": "tab\there\u2028é😀\\ \x01",
}


def test_a_known_entry_hashes_to_the_leaf_written_before():
    # Computed with the json.dumps encoding the log used until December 2026.
    data = leaf_data(ENTRY)
    assert data.startswith(b'{"action":"record.read","actor_id":"s-7",')
    assert b'"created_at":"2026-12-03T08:30:00.000000Z"' in data
    assert b'"reason":"tab\\there\xe2\x80\xa8\xc3\xa9\xf0\x9f\x98\x80\\\\ \\u0001"' in data
    assert merkle.leaf_hash(data).hex() == (
        "501450bf409dc3974cb9d364496608a9b15a6d04325bdf389f4fdc3fb4a3ce17")


text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 30),
                       timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))]))


@settings(max_examples=400, deadline=None)
@given(values=st.fixed_dictionaries({name: text for name in HASHED_FIELDS}),
       seq=st.integers(0, 2**62), moment=moments)
def test_any_text_is_written_exactly_as_json_dumps_wrote_it(values, seq, moment):
    fields = {**values, "seq": seq, "created_at": moment}
    assert leaf_data(fields) == reference_leaf_data(fields)


def test_values_other_than_text_fall_back_to_json_dumps():
    class Kind(enum.IntEnum):
        ONE = 1

    for odd in (None, True, 2.5, Kind.ONE):
        fields = {**ENTRY, "resource_id": odd}
        assert leaf_data(fields) == reference_leaf_data(fields)
    fields = {**ENTRY, "seq": Kind.ONE}
    assert leaf_data(fields) == reference_leaf_data(fields)


def test_times_are_written_as_strftime_wrote_them():
    for moment in (datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), datetime(999, 1, 1, tzinfo=UTC),
                   datetime(2026, 6, 1, 0, 0, tzinfo=timezone(timedelta(hours=2)))):
        assert format_time(moment) == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
