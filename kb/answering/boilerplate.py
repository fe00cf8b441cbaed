"""A document's furniture: bylines, disclaimers, copyright and contact lines, image credits, tables of
contents and bibliography entries. Such sentences match many questions on names and dates and
never answer one, so they are marked when a document is stored (``ChunkMeta.furniture``) and never
quoted; they stay searchable.

Rules rather than a fitted classifier: the categories are few and their forms fixed, and a rule
that fires can be shown to a reader. The patterns are in ``kb.lexicon``; how often each fires on
every corpus, with examples, is printed by ``benchmarks/boilerplate_survey.py``.
"""

from __future__ import annotations

from ..lexicon import BOILERPLATE, INLINE_CREDIT, LEADING_LINK_NOTE, compiled
from ..text import sentences_of

_PATTERNS = {kind: compiled(pattern) for kind, pattern in BOILERPLATE.items()}
_INLINE_CREDIT_RE = compiled(INLINE_CREDIT)
_LEADING_LINK_NOTE_RE = compiled(LEADING_LINK_NOTE)


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


def without_link_note(sentence: str) -> str:
    """A sentence without the "read more" link a web page left at its head ("[欲了解更多…请参阅…]但若…"):
    what the sentence says is what follows. Cut before the sentence is scored, so the note's words
    (a report's name, "预测") do not make it look like an answer, and before it is quoted. What is
    left is still a piece of the passage, so a citation can mark it."""
    return _LEADING_LINK_NOTE_RE.sub("", sentence, count=1).strip()
