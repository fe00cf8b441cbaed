"""A document's furniture: bylines, disclaimers, copyright and contact lines, image credits, tables of
contents and bibliography entries. Such sentences match many questions on names and dates and
never answer one, so they are marked when a document is stored (``ChunkMeta.furniture``) and never
quoted; they stay searchable.

Rules rather than a fitted classifier: the categories are few and their forms fixed, and a rule
that fires can be shown to a reader. The patterns are in ``kb.lexicon``; how often each fires on
every corpus, with examples, is printed by ``benchmarks/boilerplate_survey.py``.
"""

from __future__ import annotations

from ..lexicon import BOILERPLATE, INLINE_CREDIT, compiled
from ..text import sentences_of

_PATTERNS = {kind: compiled(pattern) for kind, pattern in BOILERPLATE.items()}
_INLINE_CREDIT_RE = compiled(INLINE_CREDIT)


def furniture_kind(sentence: str) -> str | None:
    """Which kind of furniture a sentence is, if any."""
    for kind, pattern in _PATTERNS.items():
        if pattern.search(sentence):
            return kind
    return None


MOSTLY = 0.6  # share of a passage's characters in furniture above which all of it is (a bibliography page)


def furniture_positions(text: str) -> list[int]:
    """Positions (as ``kb.text.sentences_of`` counts them) of a passage's furniture sentences; in a
    passage that is mostly furniture, every sentence (the fragments left between references)."""
    sents = [s.strip() for s in sentences_of(text)]
    marked = [pos for pos, sent in enumerate(sents) if furniture_kind(sent)]
    total = sum(len(s) for s in sents)
    if marked and sum(len(sents[p]) for p in marked) >= MOSTLY * total:
        return list(range(len(sents)))
    return marked


def without_inline_credit(sentence: str) -> str:
    """A sentence with an image credit written into it ("（图源：…）对于…") cut out."""
    return _INLINE_CREDIT_RE.sub("", sentence).strip()
