"""Turn an answer's raw score into a confidence, and decide when to abstain.

The raw score (`raw_score`) combines what retrieval measured of the best section: the
share of the question's weight it holds, whether it holds a fact of the kind asked for,
and the weight of the rarest question word it lacks. The confidence is the share of
answers that were right, among the questions of the project's tuning set whose raw score
fell in the same bin (isotonic: each bin at least as confident as the one below it),
so "0.9" means about nine in ten such answers stated the fact and cited the right page.
Agora answers only at or above `THRESHOLD`; docs/decisions.md (37) says how the table is
made and remade (`agora answers calibrate`).
"""

from bisect import bisect_right

# (lowest raw score of the bin, confidence). Made by `agora answers calibrate` on the
# tuning part of src/agora/demo/answer_questions.jsonl; see docs/decisions.md 37.
TABLE: list[tuple[float, float]] = [
    (0.0, 0.033), (0.5, 0.333), (0.7, 0.429), (0.9, 0.5), (0.99, 0.96),
]
# Answer only when right at least three times in four: a wrong answer is taken to cost
# three times what an abstention costs (decision 37), so answering pays from p = 3/4.
THRESHOLD = 0.75


def raw_score(*, coverage: float, fact: bool, missing_weight: float, wants_fact: bool) -> float:
    """Return the raw score of a best section (0..1).

    A section that lacks a rare word of the question (a place or a thing no page
    names) loses that word's weight twice: once from the coverage, once as a penalty,
    because that is how a neighbouring page looks. A section without the kind of fact
    asked for (no amount for "how much") loses a fifth.
    """
    score = coverage - 0.1 * missing_weight
    if wants_fact and not fact:
        score *= 0.8
    return max(0.0, min(1.0, score))


def confidence(raw: float, table: list[tuple[float, float]] | None = None) -> float:
    """Return the calibrated confidence of a raw score."""
    table = table or TABLE
    index = bisect_right([low for low, _ in table], raw) - 1
    return table[max(0, index)][1]


EDGES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99)


def isotonic(pairs: list[tuple[float, bool]], edges: tuple[float, ...] = EDGES,
             ) -> list[tuple[float, float]]:
    """Return a calibration table from (raw score, answer was right) pairs.

    The scores fall into fixed bins (`edges`); each bin's confidence is its share of
    right answers with one right and one wrong added (so two out of two is not
    certainty), and a bin that would be less confident than the one below it is pooled
    with it (pool adjacent violators), so confidence never falls as the score rises.
    """
    blocks = []  # [lowest score, right, count]
    for index, low in enumerate(edges):
        high = edges[index + 1] if index + 1 < len(edges) else float("inf")
        inside = [right for raw, right in pairs if low <= raw < high]
        blocks.append([low, sum(inside), len(inside)])
    merged: list[list] = []
    for block in blocks:
        merged.append(block)
        while len(merged) > 1 and _share(merged[-2]) > _share(merged[-1]):
            last = merged.pop()
            merged[-1][1] += last[1]
            merged[-1][2] += last[2]
    return [(low, round(_share([low, right, count]), 3)) for low, right, count in merged]


def _share(block: list) -> float:
    return (block[1] + 1) / (block[2] + 2)
