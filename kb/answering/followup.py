"""Whether a question in a conversation is a follow-up, decided by evidence rather than by its words.

A question is read with the previous one only when it cannot stand alone: it is elliptical
("那英国呢？", "What about the unions?": nothing to search for without the previous question),
or its own search finds no answer while the search with the previous question does. A question
that merely contains "they" or is short ("Why do some creators feel they don't fit in?") and
finds its answer alone is answered alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..records import Answer, Hit

# Ellipsis: the question names only what changes and leaves the rest to the previous one.
ELLIPSIS_RE = re.compile(
    r"^\s*(?:那么?|还有|而|那如果|如果是)?\s*\S{0,16}?\s*呢\s*[？?]?\s*$"
    r"|^\s*(?:and|but|so)?\s*(?:what|how)\s+about\b"
    r"|^\s*(?:and|also|same for)\b[^?]{0,40}\??\s*$",
    re.I,
)


@dataclass
class Attempt:
    """One search-and-answer: what was searched for, the passages, and the extractive answer."""

    searched: str
    hits: list[Hit]
    answer: Answer


def is_elliptical(question: str) -> bool:
    return bool(ELLIPSIS_RE.match(question))


def resolve(
    question: str,
    history: Sequence[tuple[str, str]],
    attempt: Callable[[str], Attempt],
    rewrite: Callable[[str, Sequence[tuple[str, str]]], str | None] | None = None,
    addresses: Callable[[str, Attempt], bool] | None = None,
) -> tuple[Attempt, bool]:
    """The attempt to answer from, and whether it is read as a follow-up.

    ``rewrite`` (an LLM's stand-alone version of a follow-up) replaces the plain "previous
    question + this one" when it is given and succeeds. ``addresses(question, attempt)`` says
    whether an answer found with the previous question says anything about what this one asks:
    without it, the previous question alone can carry the search and its answer comes back again.
    """
    elliptical = is_elliptical(question)
    alone = None if elliptical else attempt(question)
    if not history or (alone is not None and not alone.answer.refused):
        return (alone or attempt(question)), False
    combined_text = (rewrite(question, history) if rewrite else None) or f"{history[-1][0]} {question}"
    combined = attempt(combined_text)
    if not combined.answer.refused and not elliptical and addresses is not None and not addresses(question, combined):
        return (alone or attempt(question)), False
    if combined.answer.refused:
        alone = alone or attempt(question)
        if not alone.answer.refused or not elliptical:
            return alone, False
    return combined, True
