"""The eligibility engine passes the official JSON Logic test suite, every case.

`panzi-json-logic` is the library; a case that fails would be named here with the reason,
as the vectors' README asks. None does (277 of 277).
"""

import json
import math
from pathlib import Path

from json_logic import jsonLogic

VECTORS = Path(__file__).with_name("vectors") / "jsonlogic"
KNOWN_DIFFERENCES: dict[int, str] = {}  # case index → why the library differs (none)


def _cases() -> list[tuple[int, object, object, object]]:
    items = json.loads((VECTORS / "tests.json").read_text(encoding="utf-8"))
    cases = [item for item in items if not isinstance(item, str)]
    return [(index, *case) for index, case in enumerate(cases)]


def _same(got, expected) -> bool:
    """Compare as JavaScript would print them: 1 and 1.0 alike, but true is not 1."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(got) is type(expected) and got == expected
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return got == expected or (math.isnan(got) and math.isnan(expected))
    if isinstance(expected, list) and isinstance(got, list):
        return len(got) == len(expected) and all(map(_same, got, expected))
    if isinstance(expected, dict) and isinstance(got, dict):
        return got.keys() == expected.keys() and all(_same(got[k], expected[k]) for k in got)
    return type(got) is type(expected) and got == expected


def test_every_official_case_gives_the_expected_answer():
    cases = _cases()
    assert len(cases) == 277
    failures = []
    for index, rule, data, expected in cases:
        try:
            got = jsonLogic(rule, data)
        except Exception as error:
            got = f"raised {error!r}"
        if not _same(got, expected) and index not in KNOWN_DIFFERENCES:
            failures.append(f"#{index} {json.dumps(rule)} on {json.dumps(data)}: "
                            f"expected {expected!r}, got {got!r}")
    assert not failures, "\n".join(failures)
