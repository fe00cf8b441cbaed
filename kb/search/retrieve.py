"""Hybrid retrieval: candidates from dense search by each encoder per language and from BM25 on the
question and on its dictionary translation (``kb.search.candidates``), ordered by a fitted model of
how likely each passage is to hold the answer (``kb.fitted``), then cited in the reader's language
where a bilingual document says the same thing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import tuning
from ..fitted import LinearModel, Models, Weights
from ..records import Hit, StoredChunk
from ..store.dense import LANGS
from ..text import sentences_of
from ..tuning import MIN_SENTENCE_CHARS
from .candidates import Candidate, gather
from .query import Query


@dataclass(frozen=True)
class Twin:
    """A passage's other-language version in the same document (``kb.store.dense.DenseIndex.twin``)."""

    chunk: StoredChunk
    row: int
    norm: str


class Retriever:
    def __init__(self, models: Models, main: str) -> None:
        self.models = models
        self.main = main  # the encoder whose similarity a hit reports

    def candidates(self, query: Query) -> list[Candidate]:
        """Every passage a ranked list offers, with its features (the fitting script reads these too)."""
        return gather(query, tuning.CANDIDATE_POOL)

    def search(self, query: Query, k: int, quotable: bool = False) -> list[Hit]:
        """The ``k`` passages most likely to hold the answer; with ``quotable``, only passages that have
        something to quote (a bibliography or a byline block is found by ``kb search``, never cited)."""
        cands = self.candidates(query)
        if quotable:
            cands = [c for c in cands if has_content(c.chunk)]
        ranked = in_reader_language(rank(cands, Weights.pick(self.models, query.lang)), k, query)
        return [c.to_hit(self.main) for c in ranked[:k]]


def has_content(chunk: StoredChunk) -> bool:
    """Whether a passage holds a sentence that is not furniture."""
    skip = chunk.meta.furniture_positions
    return not skip or any(len(s.strip()) >= MIN_SENTENCE_CHARS and pos not in skip
                           for pos, s in enumerate(sentences_of(chunk.text)))


def rank(cands: list[Candidate], model: LinearModel) -> list[Candidate]:
    """Candidates by the fitted model's probability that they hold the answer."""
    for c, p in zip(cands, model.probs([c.features for c in cands]), strict=True):
        c.prob = float(p)
    return sorted(cands, key=lambda c: (-c.prob, -(c.features.get("dense") or 0.0), c.chunk_id))


def in_reader_language(ranked: list[Candidate], k: int, query: Query) -> list[Candidate]:
    """Cite the reader's language when a bilingual document says the same thing in both.

    Per-language ranking can put the other-language twin of a passage first, and then the two
    versions of one point crowd the top k. A twin in the question's language that covers nearly
    as much of the question takes the other's place (a Chinese twin may drop a name the English
    one has, hence the coverage check).
    """
    return with_twins(ranked, k, query, lambda c: twin_of(c, query))


def twin_of(c: Candidate, query: Query) -> Twin | None:
    """The passage in the question's language that says what ``c`` says, if its document has one."""
    if c.lang == query.lang:
        return None
    row = query.view.dense.twin(c.row, query.lang, tuning.TWIN_NEARBY, tuning.TWIN_FLOOR)
    return None if row is None else Twin(query.view.chunks[row], row, query.view.lexical.norms[row])


def with_twins(ranked: list[Candidate], k: int, query: Query,
               twin: Callable[[Candidate], Twin | None]) -> list[Candidate]:
    """The swap of ``in_reader_language`` given each candidate's twin; the evaluation, which keeps no
    library view with its questions, calls it with twins looked up when the question was collected."""
    if query.lang not in LANGS:
        return ranked
    top = list(ranked[:k])
    taken = {c.row for c in top}
    for i, c in enumerate(top):
        if c.lang == query.lang:
            continue
        found = twin(c)
        if found is None or found.row in taken:
            continue
        swapped = Candidate(found.chunk, found.row, found.norm, dense=c.dense, prob=c.prob, features=c.features)
        swapped.sentences = {e: {} for e in c.sentences}  # the twin's own sentences were not scored
        if (query.terms.coverage(swapped.text, swapped.norm)
                < tuning.TWIN_COVERAGE * query.terms.coverage(c.text, c.norm or None)):
            continue
        top[i] = swapped
        taken.add(found.row)
    return top + [c for c in ranked[k:] if c.row not in taken]
