"""Candidate passages for a question and the features the passage model weighs.

Candidates come from ranked lists: dense search by each encoder, run separately per chunk language
(a multilingual encoder scores passages in the question's own language higher, so one list lets
same-language passages crowd out the other-language passage that holds the answer), BM25 on the
question's words, and BM25 on its dictionary translation. Each candidate keeps what every list
said of it; ``passage_features`` turns that into the numbers the fitted model weighs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..records import Hit, StoredChunk
from ..store.dense import LANGS, DenseIndex, Scale
from ..store.sentence_index import SentenceIndex
from ..text import looks_like_references
from ..tuning import RRF_K
from .query import Query


@dataclass
class Listing:
    """What one encoder's dense list said of a passage."""

    sim: float | None = None
    rank: int | None = None


@dataclass
class Candidate:
    chunk: StoredChunk
    row: int  # in the view
    norm: str = ""
    dense: dict[str, Listing] = field(default_factory=dict)  # encoder -> its listing
    bm25: float = 0.0
    bm25_rank: int | None = None
    bm25tr: float = 0.0
    bm25tr_rank: int | None = None
    fused: float = 0.0
    sentences: dict[str, dict[int, float]] = field(default_factory=dict)  # encoder -> sentence position -> sim
    features: dict[str, float] = field(default_factory=dict)
    prob: float = 0.0

    @property
    def chunk_id(self) -> str:
        return self.chunk.chunk_id

    @property
    def text(self) -> str:
        return self.chunk.text

    @property
    def lang(self) -> str:
        return self.chunk.meta.lang

    def sim(self, encoder: str) -> float | None:
        listing = self.dense.get(encoder)
        return listing.sim if listing else None

    def to_hit(self, main: str) -> Hit:
        return Hit(self.chunk_id, self.text, self.chunk.meta, round(self.prob, 4), self.sim(main), self.bm25 or None,
                   self.features, self.sentences)


def gather(query: Query, pool: int) -> list[Candidate]:
    """Every passage any list ranks in its top ``pool``, with its features computed."""
    view = query.view
    cands: dict[int, Candidate] = {}

    def candidate(row: int) -> Candidate:
        c = cands.get(row)
        if c is None:
            c = cands[row] = Candidate(view.chunks[row], row, view.lexical.norms[row])
        return c

    indexes = _indexes(query)
    for encoder, (index, vector) in indexes.items():
        for lang in LANGS:
            for rank, (row, sim) in enumerate(index.search(vector, pool, lang, query.doc_ids)):
                candidate(row).dense[encoder] = Listing(sim, rank)
                cands[row].fused += 1.0 / (RRF_K + rank + 1)
    mask = view.lexical.mask_for(query.doc_ids)
    for translated, words in ((False, query.terms.words), (True, query.terms.translated)):
        if not words:
            continue
        bm = view.lexical.scores(words, mask)
        if not bm.size or float(bm.max()) <= 0:
            continue
        n = min(pool, bm.size)
        part = np.argpartition(-bm, n - 1)[:n]  # O(n): a full sort of 100k scores costs more
        top = part[np.argsort(-bm[part])]
        best = float(bm[top[0]])
        for rank, row in enumerate(top):
            if bm[row] <= 0:
                break
            c = candidate(int(row))
            if translated:
                c.bm25tr, c.bm25tr_rank = float(bm[row]) / best, rank
            else:
                c.bm25, c.bm25_rank = float(bm[row]) / best, rank
            c.fused += 1.0 / (RRF_K + rank + 1)
    out = list(cands.values())
    spread: dict[str, dict[str, Spread]] = {}
    for encoder, (index, vector) in indexes.items():
        if isinstance(index, SentenceIndex):
            found = index.sentence_sims(vector, [c.row for c in out], [c.chunk_id for c in out])
            for c, sims in zip(out, found, strict=True):
                c.sentences[encoder] = sims
                if sims and c.sim(encoder) is None:
                    c.dense.setdefault(encoder, Listing()).sim = max(sims.values())
        else:
            _fill(out, encoder, vector, index)
        _floor(out, encoder)
        scales = query.scales.get(encoder, {})
        spread[encoder] = {lang: Spread.of([c.sim(encoder) or 0.0 for c in out if c.lang == lang],
                                           scales.get(lang, Scale(0.0, 1.0))) for lang in LANGS}
    by_doc: dict[str, float] = {}
    for c in out:
        by_doc[c.chunk.meta.doc_id] = by_doc.get(c.chunk.meta.doc_id, 0.0) + c.fused
    total = sum(by_doc.values()) or 1.0
    for c in out:
        c.features = passage_features(c, query, spread, by_doc[c.chunk.meta.doc_id] / total)
    return out


@dataclass(frozen=True)
class Spread:
    """One encoder's similarities among a language's candidates, and the library-wide scale."""

    best: float
    mean: float
    std: float
    library: Scale

    @classmethod
    def of(cls, sims: list[float], library: Scale) -> Spread:
        if not sims:
            return cls(0.0, 0.0, 1.0, library)
        arr = np.asarray(sims)
        return cls(float(arr.max()), float(arr.mean()), float(arr.std()) or 1.0, library)


def _indexes(query: Query) -> dict[str, tuple[DenseIndex | SentenceIndex, np.ndarray]]:
    """Each encoder's index over the view with the question's vector from that encoder."""
    view = query.view
    out: dict[str, tuple[DenseIndex | SentenceIndex, np.ndarray]] = {}
    for encoder, index in view.indexes():
        vector = query.vectors.get(encoder)
        if vector is not None:
            out[encoder] = (index, vector)
    return out


def _fill(cands: list[Candidate], encoder: str, vector: np.ndarray, index: DenseIndex) -> None:
    """A passage another list found still gets the main encoder's similarity (from its stored vector)."""
    missing = [c for c in cands if c.sim(encoder) is None]
    if missing:
        sims = index.similarities(vector, [c.row for c in missing], [c.chunk_id for c in missing])
        for c, sim in zip(missing, sims, strict=True):
            c.dense.setdefault(encoder, Listing()).sim = sim


def _floor(cands: list[Candidate], encoder: str) -> None:
    """A passage with no stored vector takes the lowest similarity listed in its language."""
    floor = {lang: min((s for c in cands if c.lang == lang and (s := c.sim(encoder)) is not None), default=0.0)
             for lang in LANGS}
    for c in cands:
        if c.sim(encoder) is None:
            c.dense.setdefault(encoder, Listing()).sim = floor.get(c.lang, 0.0)


def _rr(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / (1.0 + rank)


DENSE_FEATURES = ("", "_gap", "_z", "_rr", "_lib_z", "_lib_gap")
PASSAGE_FEATURES = (
    *(f"dense{s}" for s in DENSE_FEATURES), *(f"use{s}" for s in DENSE_FEATURES),
    "bm25", "bm25_rr", "bm25tr", "bm25tr_rr", "fused", "coverage", "coverage_src", "cross", "cross_dense_gap",
    "cross_dense_rr", "cross_use_gap", "cross_use_rr", "cross_coverage", "refs", "log_len", "doc_share",
)
FEATURE_PREFIX = {"main": "dense", "use": "use"}  # encoder name -> its features' prefix


def passage_features(c: Candidate, query: Query, spreads: dict[str, dict[str, Spread]],
                     doc_share: float = 0.0) -> dict[str, float]:
    """Scale-free where it can be: gaps to the best passage of the same language, how far a passage
    stands out from the other candidates of its language and from the library's passages at large,
    reciprocal ranks, BM25 relative to the best, coverage as a share of the question's weight."""
    cross = 1.0 if c.lang != query.lang else 0.0
    cov = query.terms.coverage(c.text, c.norm or None)
    f = {
        "bm25": c.bm25, "bm25_rr": _rr(c.bm25_rank), "bm25tr": c.bm25tr, "bm25tr_rr": _rr(c.bm25tr_rank),
        "fused": c.fused, "coverage": cov,
        "coverage_src": query.terms.coverage(c.text, c.norm or None, translations=False),
        "cross": cross, "cross_coverage": cross * cov, "refs": 1.0 if looks_like_references(c.text) else 0.0,
        "log_len": math.log1p(len(c.text)),
        # How much of what every list found comes from this passage's document: a passage of the
        # document the question is about outranks a stray match elsewhere.
        "doc_share": doc_share,
    }
    for encoder, by_lang in spreads.items():
        p = FEATURE_PREFIX.get(encoder, encoder)
        sim = c.sim(encoder) or 0.0
        s = by_lang.get(c.lang) or Spread(sim, sim, 1.0, Scale(0.0, 1.0))
        listing = c.dense.get(encoder)
        rr = _rr(listing.rank if listing else None)
        f.update({p: sim, f"{p}_gap": sim - s.best, f"{p}_z": (sim - s.mean) / s.std, f"{p}_rr": rr,
                  f"{p}_lib_z": s.library.z(sim), f"{p}_lib_gap": s.library.z(sim) - s.library.z(s.best),
                  f"cross_{p}_gap": cross * (sim - s.best), f"cross_{p}_rr": cross * rr})
    return f
