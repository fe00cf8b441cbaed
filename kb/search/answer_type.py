"""What kind of answer a question asks for (a number, a date, a percentage, a duration, an age...),
and whether a sentence offers one.

A question that asks "how many days" is not answered by a sentence that merely shares its
words; checking the answer type is what lets the extractive answer refuse such near misses.
The patterns are in ``kb.lexicon``.
"""

from __future__ import annotations

from ..lexicon import ANSWER_TYPES, COUNTED, QUESTION_TYPES, compiled

_TYPES = [(name, compiled(pattern)) for name, pattern in QUESTION_TYPES]
_SATISFY = {name: compiled(pattern) for name, pattern in ANSWER_TYPES.items()}
_COUNTED_RE = compiled(COUNTED)


def expected_type(question: str) -> str | None:
    for name, pattern in _TYPES:
        if pattern.search(question):
            return name
    return None


def offers(sentence: str, answer_type: str | None) -> bool:
    return answer_type is None or bool(_SATISFY[answer_type].search(sentence))


def counted_noun(question: str) -> str | None:
    """What a "how many X" / "多少X" question counts (X), when it says."""
    m = _COUNTED_RE.search(question)
    if not m:
        return None
    return (m.group(1) or m.group(2) or "").lower() or None
