"""A small reader for the Solr-style `fq` and `q` field terms CKAN clients send.

It reads what clients use in practice: `field:value`, `field:"a phrase"`,
`field:(a OR b)`, a leading `+` or `-`, and `AND` between terms. Anything else (ranges,
wildcards, top-level OR, nesting) is refused with a Search Query Error rather than
guessed at.
"""

import re
from dataclasses import dataclass

from agora.opendata.exceptions import SearchQueryInvalid

FIELDS = frozenset({
    "organization", "owner_org", "groups", "tags", "res_format", "license_id", "name", "id",
    "frequency", "dataset_type", "type",
})
_TOKEN = re.compile(
    r'\s*(?P<sign>[+-]?)(?P<field>[A-Za-z_.]+):'
    r'(?:"(?P<phrase>[^"]*)"|\((?P<group>[^()]*)\)|(?P<word>[^\s"()]+))'
)
_OR = re.compile(r'\s+OR\s+')


@dataclass(frozen=True)
class Term:
    field: str
    values: tuple[str, ...]
    negate: bool


def _values(match: re.Match) -> tuple[str, ...]:
    if match.group("phrase") is not None:
        return (match.group("phrase"),)
    if match.group("group") is not None:
        parts = [part.strip() for part in _OR.split(match.group("group").strip())]
        values = []
        for part in parts:
            if len(part) >= 2 and part[0] == part[-1] == '"':
                part = part[1:-1]
            if not part or '"' in part or " " in part:
                raise SearchQueryInvalid(f"Cannot read “({match.group('group')})”: "
                                         "write (a OR b) with single words or quoted phrases.")
            values.append(part)
        return tuple(values)
    word = match.group("word")
    if any(mark in word for mark in "*?[]{}~^\\") or word in {"AND", "OR", "NOT"}:
        raise SearchQueryInvalid(f"Wildcards, ranges and operators are not supported: “{word}”.")
    return (word,)


def parse(text: str) -> list[Term]:
    """Return the terms of an `fq` (all must hold); raise SearchQueryInvalid otherwise."""
    terms = []
    position = 0
    text = text.strip()
    while position < len(text):
        rest = text[position:]
        joiner = re.match(r"\s*(AND|&&)\s+", rest)
        if joiner and terms:
            position += joiner.end()
            continue
        if re.match(r"\s*(OR|\|\|)\s", rest):
            raise SearchQueryInvalid("OR between terms is not supported; use field:(a OR b).")
        match = _TOKEN.match(rest)
        if not match:
            raise SearchQueryInvalid(f"Cannot read the filter at “{rest.strip()[:60]}”: "
                                     "write field:value, field:\"a phrase\" or field:(a OR b).")
        field = match.group("field")
        if field not in FIELDS:
            raise SearchQueryInvalid(f"Unknown field “{field}” (use {', '.join(sorted(FIELDS))}).")
        terms.append(Term(field=field, values=_values(match), negate=match.group("sign") == "-"))
        position += match.end()
        if position < len(text) and not text[position].isspace():
            raise SearchQueryInvalid(f"Cannot read the filter at “{text[position:][:60]}”.")
    return terms


def tokens(text: str) -> list[str]:
    """Split `q` into whitespace-separated tokens, keeping quoted phrases and (…) whole."""
    found = re.findall(r'[+-]?[A-Za-z_.]+:(?:"[^"]*"|\([^()]*\)|\S+)|"[^"]*"|\S+', text)
    return [token for token in found if token.strip()]
