"""Optional word embeddings: a paraphrase counts where the words differ ("come back", "return").

Lexical scoring (`answers.retrieval`) needs no model. When the `embeddings` extra is
installed (`pip install agora[embeddings]`: WordLlama, whose static token embeddings,
256 dimensions, and tokenizer ship inside the package, 16 MB of weights, no PyTorch), a
question word that a section does not use is matched against that section's own words,
and a close one (cosine similarity at least `CLOSE`, and not merely another spelling of
it) counts almost as the word itself. So it re-ranks the lexical candidates and lets a
section that says the question in other words be answered; calibration and the
threshold are unchanged. The model is loaded from the installed package only; it is
never downloaded (docs/decisions.md 52).

Named things ("band a") and figures are never matched. A place the hub does not cover
still sinks the answer: no section holds a word close to it.

AGORA_ANSWERS_EMBEDDINGS=0 (settings.ANSWERS_EMBEDDINGS) turns it off where the extra is
installed. The model loads once per process, on the first question (about 2 s).
"""

import re
from functools import cache
from pathlib import Path

from django.conf import settings
from rapidfuzz.distance import Levenshtein

CLOSE = 0.6  # the cosine similarity from which a section's word stands for the question's
# The share of the question word's weight that a close word earns: just under a word
# found as asked, so the section that uses the resident's own word wins a tie, while a
# section that says the whole question in other words can still be answered.
CREDIT = 0.99
MAX_WORDS = 20_000  # word vectors kept in memory, per process
WORD = re.compile(r"[a-z]{3,}")


def _model():
    """Return the model when the setting allows it and the extra is installed, else None."""
    return _load() if settings.ANSWERS_EMBEDDINGS else None


@cache
def _load():
    """Load the WordLlama model from the installed package, once; None when not installed."""
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        return None
    # The package ships its weights under weights/ and its tokenizer under tokenizers/,
    # which is the layout of its cache; pointing the cache at the package finds both, and
    # disable_download makes a missing file an error rather than a download.
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def enabled() -> bool:
    """Say whether the embeddings re-rank answers in this process."""
    return _model() is not None


_vectors: dict[str, object] = {}


def _vectors_of(words: list[str]):
    """Return the unit vectors of the words (a matrix, one row each), cached per word."""
    import numpy as np

    model = _model()
    new = [w for w in dict.fromkeys(words) if w not in _vectors]
    if new:
        if len(_vectors) + len(new) > MAX_WORDS:
            _vectors.clear()
        for word, vector in zip(new, model.embed(new, norm=True), strict=True):
            _vectors[word] = vector
    return np.array([_vectors[w] for w in words])


def closeness(words: list[str], text: str) -> dict[str, float]:
    """Return, for each question word, the similarity of the text's closest word to it."""
    if not words or _model() is None:
        return {}
    own = list(dict.fromkeys(WORD.findall(text.lower())))
    if not own:
        return {}
    similarity = _vectors_of(words) @ _vectors_of(own).T
    closest = {}
    for word, row in zip(words, similarity, strict=True):
        # The model reads words in pieces, so "taxi" is close to "tax" and "paypoint" to
        # "pay": a word that is another's spelling or a piece of it is not a paraphrase
        # (spelling is the "did you mean" rules' business, `answers.retrieval`).
        closest[word] = max((float(value) for value, other in zip(row, own, strict=True)
                             if not _same_spelling(word, other)), default=0.0)
    return closest


def _same_spelling(word: str, other: str) -> bool:
    return (word.startswith(other) or other.startswith(word)
            or Levenshtein.distance(word, other) <= 2)


def credit(similarity: float) -> float:
    """Return the share of a word's weight that a word this close earns (0 below CLOSE)."""
    return CREDIT if similarity >= CLOSE else 0.0
