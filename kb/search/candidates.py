"""Candidate passages for a question and the features the passage model weighs.

Candidates come from three ranked lists: dense search run separately per chunk language
(multilingual embeddings score passages in the question's own language higher, so one list lets
same-language passages crowd out the other-language passage that holds the answer), BM25 on the
question's words, and BM25 on its dictionary translation. Each candidate keeps what every list
said of it; ``passage_features`` turns that into the numbers the fitted model weighs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..records import Hit
from ..store.chroma import ChunkStore
from ..store.dense import ExactIndex
from ..store.lexical import LexicalIndex
from ..text import looks_like_references
from .query import QueryTerms

LANGS = ("zh", "en")
_RRF_K = 20


@dataclass
class Candidate:
    chunk_id: str
    text: str
    meta: dict[str, Any]
    norm: str = ""
    dense: float | None = None
    dense_rank: int | None = None
    bm25: float = 0.0
    bm25_rank: int | None = None
    bm25tr: float = 0.0
    bm25tr_rank: int | None = None
    fused: float = 0.0
    features: dict[str, float] = field(default_factory=dict)
    prob: float = 0.0

    @property
    def lang(self) -> str:
        return str(self.meta.get("lang", ""))

    def to_hit(self) -> Hit:
        return Hit(self.chunk_id, self.text, self.meta, round(self.prob, 4), self.dense, self.bm25 or None,
                   self.features)


def gather(
    query: QueryTerms, vector: Sequence[float], index: LexicalIndex, exact: ExactIndex | None, store: ChunkStore,
    doc_ids: set[str] | None, pool: int,
) -> list[Candidate]:
    """Every passage any list ranks in its top ``pool``, with its features computed."""
    cands: dict[str, Candidate] = {}

    def candidate(cid: str, text: str, meta: dict[str, Any]) -> Candidate:
        c = cands.get(cid)
        if c is None:
            row = index.row(cid)
            norm = index.norms[row] if row is not None else ""
            c = cands[cid] = Candidate(cid, text, meta, norm)
        return c

    for in_lang in _dense_lists(vector, doc_ids, index, exact, store, pool):
        for rank, (cid, text, meta, sim) in enumerate(in_lang):
            c = candidate(cid, text, meta)
            c.dense, c.dense_rank = sim, rank
            c.fused += 1.0 / (_RRF_K + rank + 1)
    mask = index.mask_for(doc_ids)
    for translated, words in ((False, query.words), (True, query.translated)):
        if not words:
            continue
        bm = index.scores(words, mask)
        if not bm.size or float(bm.max()) <= 0:
            continue
        n = min(pool, bm.size)
        part = np.argpartition(-bm, n - 1)[:n]  # O(n): a full sort of 100k scores costs more
        top = part[np.argsort(-bm[part])]
        best = float(bm[top[0]])
        for rank, row in enumerate(top):
            if bm[row] <= 0:
                break
            c = candidate(index.ids[row], index.texts[row], index.metas[row])
            if translated:
                c.bm25tr, c.bm25tr_rank = float(bm[row]) / best, rank
            else:
                c.bm25, c.bm25_rank = float(bm[row]) / best, rank
            c.fused += 1.0 / (_RRF_K + rank + 1)
    out = list(cands.values())
    _fill_dense(out, vector, exact)
    stats = {lang: _stats([c.dense or 0.0 for c in out if c.lang == lang]) for lang in LANGS}
    for c in out:
        c.features = passage_features(c, query, stats)
    return out


def _dense_lists(
    vector: Sequence[float], doc_ids: set[str] | None, index: LexicalIndex, exact: ExactIndex | None,
    store: ChunkStore, pool: int,
) -> list[list[tuple[str, str, dict[str, Any], float]]]:
    """One nearest-neighbour list per chunk language (exact when the collection is small)."""
    if exact is not None:
        def text(cid: str) -> str:
            row = index.row(cid)
            return index.texts[row] if row is not None else ""

        return [exact.query(vector, pool, lang, doc_ids, text) for lang in LANGS]
    # Large collections: one unfiltered HNSW query split by language, since filtered search is
    # several times slower there; a language with too few hits gets its own filtered query.
    base: dict[str, Any] | None = {"doc_id": {"$in": sorted(doc_ids)}} if doc_ids else None
    rows = store.query(vector, pool * 4, base)
    lists = []
    for lang in LANGS:
        in_lang = [r for r in rows if r[2].get("lang") == lang][:pool]
        if len(in_lang) < 5:
            where: dict[str, Any] = {"lang": lang} if base is None else {"$and": [{"lang": lang}, base]}
            in_lang = store.query(vector, pool, where)
        lists.append(in_lang)
    return lists


def _fill_dense(cands: list[Candidate], vector: Sequence[float], exact: ExactIndex | None) -> None:
    """A passage found only by BM25 still gets its similarity (from the stored vector when at hand)."""
    missing = [c for c in cands if c.dense is None]
    if not missing:
        return
    if exact is not None:
        v = np.asarray(vector, dtype=np.float32)
        v = v / (np.linalg.norm(v) or 1.0)
        for c in missing:
            row = exact.row(c.chunk_id)
            if row is not None:
                c.dense = float(exact.matrix[row] @ v)
    floor = {lang: min((c.dense for c in cands if c.dense is not None and c.lang == lang), default=0.0)
             for lang in LANGS}
    for c in missing:
        if c.dense is None:
            c.dense = floor.get(c.lang, 0.0)


def _stats(values: list[float]) -> tuple[float, float, float]:
    """Best, mean and spread of the similarities in one language's candidates."""
    if not values:
        return 0.0, 0.0, 1.0
    arr = np.asarray(values)
    return float(arr.max()), float(arr.mean()), float(arr.std()) or 1.0


def _rr(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / (1.0 + rank)


PASSAGE_FEATURES = (
    "dense", "dense_gap", "dense_z", "dense_rr", "bm25", "bm25_rr", "bm25tr", "bm25tr_rr", "fused", "coverage",
    "coverage_src", "cross", "cross_dense_gap", "cross_dense_rr", "cross_coverage", "refs", "log_len",
)


def passage_features(
    c: Candidate, query: QueryTerms, stats: dict[str, tuple[float, float, float]]
) -> dict[str, float]:
    """Scale-free where it can be: gaps to the best passage of the same language, how far a passage
    stands out from the others of its language, reciprocal ranks, BM25 relative to the best,
    coverage as a share of the question's weight."""
    cross = 1.0 if c.lang != query.lang else 0.0
    dense = c.dense or 0.0
    best, mean, spread = stats.get(c.lang, (dense, dense, 1.0))
    gap = dense - best
    cov = query.coverage(c.text, c.norm or None)
    return {
        "dense": dense, "dense_gap": gap, "dense_z": (dense - mean) / spread, "dense_rr": _rr(c.dense_rank),
        "bm25": c.bm25, "bm25_rr": _rr(c.bm25_rank), "bm25tr": c.bm25tr, "bm25tr_rr": _rr(c.bm25tr_rank),
        "fused": c.fused, "coverage": cov, "coverage_src": query.coverage(c.text, c.norm or None, translations=False),
        "cross": cross, "cross_dense_gap": cross * gap, "cross_dense_rr": cross * _rr(c.dense_rank),
        "cross_coverage": cross * cov, "refs": 1.0 if looks_like_references(c.text) else 0.0,
        "log_len": math.log1p(len(c.text)),
    }
