"""Hybrid retrieval: dense search per language, BM25 on the question and on its translation,
fused by reciprocal rank.

Dense search runs once per chunk language. Multilingual embeddings score passages in the
question's own language higher, so a single ranked list lets English reference lists crowd out
the Chinese passage that holds the answer; ranking each language separately and fusing ranks
calibrates that bias away without per-corpus thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .dense import ExactCache, ExactIndex
from .lexical import LexicalCache, LexicalIndex
from .models import Hit
from .query import QueryTerms
from .store import ChunkStore
from .text import looks_like_references

_RRF_K = 20
_LANGS = ("zh", "en")
_REFERENCE_WEIGHT = 0.3
_RERANK_POOL = 20
_TWIN_COVERAGE = 0.8  # share of the other version's question coverage a twin must keep


@dataclass
class Candidate:
    chunk_id: str
    text: str
    meta: dict[str, Any]
    dense: float | None = None
    lexical: float | None = None
    fused: float = 0.0


class Retriever:
    def __init__(self, store: ChunkStore, lexical: LexicalCache, exact: ExactCache, pool: int = 30) -> None:
        self.store = store
        self.lexical = lexical
        self.exact = exact
        self.pool = pool

    def search(
        self, query: QueryTerms, query_vector: Sequence[float], k: int, doc_ids: set[str] | None = None
    ) -> list[Hit]:
        cands: dict[str, Candidate] = {}
        index = self.lexical.get()
        exact = self.exact.get()
        for in_lang in self._dense_lists(query_vector, doc_ids, index, exact):
            for rank, (cid, text, meta, sim) in enumerate(in_lang):
                c = cands.setdefault(cid, Candidate(cid, text, meta))
                c.dense = sim
                c.fused += 1.0 / (_RRF_K + rank + 1)
        mask = index.mask_for(doc_ids)
        self._lexical_list(index, query.words, mask, cands, weight=1.0)
        if query.translated:
            self._lexical_list(index, query.translated, mask, cands, weight=1.0)
        for c in cands.values():
            if looks_like_references(c.text):
                c.fused *= _REFERENCE_WEIGHT
        ranked = sorted(cands.values(), key=lambda c: (-c.fused, -(c.dense or 0.0)))[:_RERANK_POOL]
        if not ranked:
            return []
        # Rerank: how much of the question (in either language) a passage actually contains.
        # Rank fusion alone lets a passage that is merely on-topic in the question's language
        # outrank the other-language passage that holds every asked-for term.
        best = max(c.fused for c in ranked)
        scored = [(0.5 * c.fused / best + 0.5 * query.coverage(c.text), c) for c in ranked]
        scored.sort(key=lambda sc: -sc[0])
        if exact is not None:
            scored = _in_reader_language(scored, k, query, exact, index)
        return [
            Hit(c.chunk_id, c.text, c.meta, round(score, 4), c.dense, c.lexical)
            for score, c in scored[:k]
        ]

    def _dense_lists(
        self, vector: Sequence[float], doc_ids: set[str] | None, index: LexicalIndex, exact: ExactIndex | None
    ) -> list[list[tuple[str, str, dict[str, Any], float]]]:
        """One nearest-neighbour list per chunk language (exact when the collection is small)."""
        if exact is not None:
            def text(cid: str) -> str:
                row = index.row(cid)
                return index.texts[row] if row is not None else ""

            return [exact.query(vector, self.pool, lang, doc_ids, text) for lang in _LANGS]
        # Large collections: one unfiltered HNSW query split by language, since filtered search is
        # several times slower there; a language with too few hits gets its own filtered query.
        base: dict[str, Any] | None = {"doc_id": {"$in": sorted(doc_ids)}} if doc_ids else None
        rows = self.store.query(vector, self.pool * 4, base)
        lists = []
        for lang in _LANGS:
            in_lang = [r for r in rows if r[2].get("lang") == lang][: self.pool]
            if len(in_lang) < 5:
                where: dict[str, Any] = {"lang": lang} if base is None else {"$and": [{"lang": lang}, base]}
                in_lang = self.store.query(vector, self.pool, where)
            lists.append(in_lang)
        return lists

    def _lexical_list(
        self, index: LexicalIndex, qwords: list[str], mask: np.ndarray | None, cands: dict[str, Candidate],
        weight: float,
    ) -> None:
        bm = index.scores(qwords, mask)
        if not bm.size or float(bm.max()) <= 0:
            return
        n = min(self.pool, bm.size)
        part = np.argpartition(-bm, n - 1)[:n]  # O(n): a full sort of 100k scores costs more
        top = part[np.argsort(-bm[part])]
        best = float(bm[top[0]])
        for rank, row in enumerate(top):
            if bm[row] <= 0:
                break
            cid = index.ids[row]
            c = cands.setdefault(cid, Candidate(cid, index.texts[row], index.metas[row]))
            c.lexical = max(c.lexical or 0.0, float(bm[row]) / best)
            c.fused += weight / (_RRF_K + rank + 1)


def _in_reader_language(
    scored: list[tuple[float, Candidate]], k: int, query: QueryTerms, exact: ExactIndex, index: LexicalIndex
) -> list[tuple[float, Candidate]]:
    """Cite the reader's language when a bilingual document says the same thing in both.

    Per-language ranking can put the other-language twin of a passage first, and then the two
    versions of one point crowd the top k. A twin in the question's language that covers nearly
    as much of the question takes the other's place (a Chinese twin may drop a name the English
    one has, hence the coverage check).
    """
    top = list(scored[:k])
    taken = {c.chunk_id for _, c in top}
    for i, (score, c) in enumerate(top):
        if c.meta.get("lang") == query.lang or query.lang not in _LANGS:
            continue
        row = exact.twin(c.chunk_id, query.lang)
        if row is None or exact.ids[row] in taken:
            continue
        lex_row = index.row(exact.ids[row])
        if lex_row is None:
            continue
        twin = Candidate(exact.ids[row], index.texts[lex_row], index.metas[lex_row], fused=c.fused)
        if query.coverage(twin.text) < _TWIN_COVERAGE * query.coverage(c.text):
            continue
        top[i] = (score, twin)
        taken.add(twin.chunk_id)
    return top + [sc for sc in scored[k:] if sc[1].chunk_id not in taken]
