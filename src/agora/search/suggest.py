"""'Did you mean': the nearest word of the public vocabulary to each word nobody wrote.

A query word is a candidate for correction when it is at least four letters long and no
open or public document contains it. Its correction is the vocabulary word of the same
first letter within a small edit distance (one for words under six letters, two above),
the most used one on a tie. rapidfuzz computes the distances (in C++, well kept), over the
few thousand words that share the first letter and a similar length.
"""

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from agora.search.models import Term


def corrections(words: list[str]) -> dict[str, str]:
    """Return {misspelt word: correction} for the query words that look misspelt."""
    candidates = [word for word in dict.fromkeys(words) if len(word) >= 4 and word.isalpha()]
    if not candidates:
        return {}
    known = set(Term.objects.filter(term__in=candidates).values_list("term", flat=True))
    fixes = {}
    for word in candidates:
        if word in known:
            continue
        cutoff = 1 if len(word) < 6 else 2
        vocabulary = dict(
            Term.objects.filter(
                initial=word[0], length__gte=len(word) - cutoff, length__lte=len(word) + cutoff
            ).values_list("term", "frequency")
        )
        if not vocabulary:
            continue
        found = process.extract(
            word, list(vocabulary), scorer=Levenshtein.distance, score_cutoff=cutoff, limit=20
        )
        if found:
            best = min(found, key=lambda item: (item[1], -vocabulary[item[0]], item[0]))
            fixes[word] = best[0]
    return fixes
