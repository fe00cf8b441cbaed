"""Whether a question in a conversation is a follow-up, decided by evidence rather than by its words.

A question is read with the previous one only when it cannot stand alone: it is elliptical
("那英国呢？", "What about the unions?": nothing to search for without the previous question),
or its own search finds no answer while the search with the previous question does. A question
that merely contains "they" or is short ("Why do some creators feel they don't fit in?") and
finds its answer alone is answered alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..lexicon import ELLIPSIS, compiled
from ..records import Answer, Hit, Turn
from ..search.query import Query
from ..text import normalize

ELLIPSIS_RE = compiled(ELLIPSIS)


@dataclass
class Attempt:
    """One search-and-answer: the reading searched for, the passages, and the extractive answer."""

    query: Query
    hits: list[Hit]
    answer: Answer

    @property
    def searched(self) -> str:
        return self.query.text


class Reader(Protocol):
    """What the follow-up logic needs from the asking side: another reading of a question, and an
    answer attempt for a reading."""

    def reading(self, text: str, like: Query) -> Query: ...
    def attempt(self, query: Query) -> Attempt: ...
    def rewrite(self, question: str, history: Sequence[Turn]) -> str | None: ...


def is_elliptical(question: str) -> bool:
    return bool(ELLIPSIS_RE.match(question))


def resolve(question: Query, history: Sequence[Turn], reader: Reader) -> tuple[Attempt, bool]:
    """The attempt to answer from, and whether it is read as a follow-up.

    ``reader.rewrite`` (an LLM's stand-alone version of a follow-up) replaces the plain "previous
    question + this one" when it succeeds. An answer found with the previous question counts
    only if it says something about what this one asks: otherwise the previous question alone
    could carry the search and its answer would come back again. That holds for elliptical
    questions too: after the Deloitte prediction, "And the unions?" had quoted the prediction again
    with one more sentence of the same report that names no union.
    """
    elliptical = is_elliptical(question.text)
    alone = None if elliptical else reader.attempt(question)
    if not history or (alone is not None and not alone.answer.refused):
        return (alone or reader.attempt(question)), False
    combined_text = reader.rewrite(question.text, history) or f"{history[-1].question} {question.text}"
    combined = reader.attempt(reader.reading(combined_text, question))
    previous = history[-1].answer
    if not combined.answer.refused and (repeats(combined, previous) or not addresses(question, combined, previous)):
        return (alone or reader.attempt(question)), False
    if combined.answer.refused:
        alone = alone or reader.attempt(question)
        if not alone.answer.refused or not elliptical:
            return alone, False
    return combined, True


def _squashed(text: str) -> str:
    return "".join(normalize(text).split())


def new_quotes(attempt: Attempt, previous_answer: str) -> list[str]:
    """The sentences an answer quotes that the previous answer did not."""
    before = _squashed(previous_answer)
    return [h for c in attempt.answer.citations for h in c.highlights if _squashed(h) not in before]


def repeats(attempt: Attempt, previous_answer: str) -> bool:
    """Whether an answer only quotes again what the previous answer quoted: then the previous question
    carried the search, and the new one is not answered by it."""
    quoted = [h for c in attempt.answer.citations for h in c.highlights]
    return bool(quoted) and not new_quotes(attempt, previous_answer)


def addresses(question: Query, attempt: Attempt, previous_answer: str = "") -> bool:
    """Whether what an answer adds to the previous answer holds any of the question's key terms, its
    rarest (through the dictionary). Not the whole answer, and not any term: after
    "德勤对大制片厂的生成式AI支出有什么预测？", "西班牙和葡萄牙于哪年加入欧盟？" read with it quoted the
    prediction again, which names 欧盟, plus one more sentence of the same report that names no
    country, only "2024年" for the question's "哪年"."""
    if not question.terms.terms:
        return True
    added = new_quotes(attempt, previous_answer) if previous_answer else [attempt.answer.text]
    return question.terms.key_coverage(" ".join(added)) > 0
