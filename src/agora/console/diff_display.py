"""How the console shows the difference between two versions: changed lines with a few
unchanged ones around them, and the long unchanged stretches folded to a count."""

from dataclasses import dataclass

from agora.content.selectors import DiffLine

CONTEXT = 3  # unchanged lines kept before and after each change


@dataclass(frozen=True)
class DiffRow:
    kind: str  # added, removed, same, folded
    text: str = ""
    folded: int = 0  # for a folded row: how many unchanged lines it stands for


def diff_rows(lines: list[DiffLine], context: int = CONTEXT) -> list[DiffRow]:
    """Return the rows to show: every change, `context` unchanged lines around each."""
    changed = [number for number, line in enumerate(lines) if line.kind != "same"]
    keep = {near for number in changed
            for near in range(number - context, number + context + 1)}
    rows, skipped = [], 0
    for number, line in enumerate(lines):
        if line.kind != "same" or number in keep:
            if skipped:
                rows.append(DiffRow("folded", folded=skipped))
                skipped = 0
            rows.append(DiffRow(line.kind, line.text))
        else:
            skipped += 1
    if skipped:
        rows.append(DiffRow("folded", folded=skipped))
    return rows
