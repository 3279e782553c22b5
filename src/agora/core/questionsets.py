"""Question sets: JSON Lines files of questions that an evaluation asks of what is loaded.

The search's evaluation (`content.evaluation`) and the answers' (`answers.evaluation`)
read the same kind of file; each checks the fields of its own on the objects this yields.
"""

import json
from collections.abc import Iterator
from pathlib import Path

from agora.core.exceptions import InvalidInput


def question_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield each non-blank line's number and object; refuse a malformed line by its number."""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as error:
            raise InvalidInput(f"Line {number} is not JSON ({error.msg}).") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise InvalidInput(f"Line {number} has no “question”.")
        yield number, item
