"""Hybrid retrieval: candidates from dense search per language and from BM25 on the question and
on its dictionary translation (``kb.candidates``), ordered by a fitted model of how likely each
passage is to hold the answer (``kb.scoring``), then cited in the reader's language where a
bilingual document says the same thing twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..fitted import LinearModel, Models, Weights
from ..records import Hit
from ..store.chroma import ChunkStore
from ..store.dense import ExactIndex
from ..store.lexical import LexicalIndex
from ..store.view import LibraryView
from .candidates import LANGS, Candidate, gather
from .query import QueryTerms

_TWIN_COVERAGE = 0.8  # share of the other version's question coverage a twin must keep


class Retriever:
    """Searches one ``LibraryView``: the caller takes the view once per question and passes it on."""

    def __init__(self, store: ChunkStore, models: Models, pool: int = 30) -> None:
        self.store = store
        self.models = models
        self.pool = pool

    def candidates(
        self, query: QueryTerms, query_vector: Sequence[float], view: LibraryView, doc_ids: set[str] | None = None
    ) -> list[Candidate]:
        """Every passage a ranked list offers, with its features (the fitting script reads these too)."""
        return gather(query, query_vector, view.lexical, view.dense, self.store, doc_ids, self.pool)

    def search(
        self, query: QueryTerms, query_vector: Sequence[float], k: int, view: LibraryView,
        doc_ids: set[str] | None = None,
    ) -> list[Hit]:
        cands = self.candidates(query, query_vector, view, doc_ids)
        ranked = rank(cands, Weights.pick(self.models, query.lang))
        if view.dense is not None:
            ranked = _in_reader_language(ranked, k, query, view.dense, view.lexical)
        return [c.to_hit() for c in ranked[:k]]


def rank(cands: list[Candidate], model: LinearModel) -> list[Candidate]:
    """Candidates by the fitted model's probability that they hold the answer."""
    for c, p in zip(cands, model.probs([c.features for c in cands]), strict=True):
        c.prob = float(p)
    return sorted(cands, key=lambda c: (-c.prob, -(c.dense or 0.0), c.chunk_id))


def _in_reader_language(
    ranked: list[Candidate], k: int, query: QueryTerms, exact: ExactIndex, index: LexicalIndex
) -> list[Candidate]:
    """Cite the reader's language when a bilingual document says the same thing in both.

    Per-language ranking can put the other-language twin of a passage first, and then the two
    versions of one point crowd the top k. A twin in the question's language that covers nearly
    as much of the question takes the other's place (a Chinese twin may drop a name the English
    one has, hence the coverage check).
    """
    top = list(ranked[:k])
    taken = {c.chunk_id for c in top}
    for i, c in enumerate(top):
        if c.lang == query.lang or query.lang not in LANGS:
            continue
        row = exact.twin(c.chunk_id, query.lang)
        if row is None or exact.ids[row] in taken:
            continue
        lex_row = index.row(exact.ids[row])
        if lex_row is None:
            continue
        twin = Candidate(exact.ids[row], index.texts[lex_row], index.metas[lex_row], index.norms[lex_row],
                         dense=c.dense, prob=c.prob)
        if query.coverage(twin.text, twin.norm) < _TWIN_COVERAGE * query.coverage(c.text, c.norm or None):
            continue
        top[i] = twin
        taken.add(twin.chunk_id)
    return top + [c for c in ranked[k:] if c.chunk_id not in taken]
