"""Dense search by a further encoder, whose vectors are per sentence (``kb.store.sentence_vectors``).

A passage's similarity is its best sentence's; the answer step also reads every sentence's own
similarity. Small libraries hold every sentence vector in memory (exact and repeatable, a few
milliseconds for 20k sentences); larger ones ask Chroma's index for the nearest sentences and read
the vectors of the candidate passages' sentences by chunk id. Only chunks of the view count.
Sentence positions stay valid because a change to how text is cut into sentences changes the
ingest pipeline's version, and every document is then read and stored again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..records import StoredChunk
from .dense import LANGS, Scale, sample_of
from .sentence_vectors import SentenceCollection, SentenceRows

SEARCH_FACTOR = 4  # nearest sentences asked for per passage wanted (a passage has 3-4 sentences)


@dataclass
class SentenceIndex:
    encoder: str
    langs: np.ndarray  # per view chunk row
    docs: np.ndarray
    row_of: dict[str, int]
    collection: SentenceCollection
    exact: SentenceRows | None = None  # every sentence (small libraries)
    chunk_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, int))  # per sentence: its view chunk row
    by_chunk: dict[int, np.ndarray] = field(default_factory=dict)  # view chunk row -> its sentence rows
    samples: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def build(cls, encoder: str, chunks: Sequence[StoredChunk], collection: SentenceCollection,
              exact: bool) -> SentenceIndex:
        langs = np.array([c.meta.lang for c in chunks])
        docs = np.array([c.meta.doc_id for c in chunks])
        row_of = {c.chunk_id: i for i, c in enumerate(chunks)}
        index = cls(encoder, langs, docs, row_of, collection)
        sample_ids = {lang: sample_of([c.chunk_id for c in chunks if c.meta.lang == lang]) for lang in LANGS}
        if exact:
            rows = collection.rows()
            keep = np.array([row_of.get(cid, -1) >= 0 for cid in rows.chunk_ids], bool)
            index.exact = SentenceRows([c for c, k in zip(rows.chunk_ids, keep, strict=True) if k],
                                       rows.positions[keep], [h for h, k in zip(rows.hashes, keep, strict=True) if k],
                                       rows.matrix[keep])
            index.chunk_rows = np.array([row_of[c] for c in index.exact.chunk_ids], int)
            order = np.argsort(index.chunk_rows, kind="stable")
            bounds = np.searchsorted(index.chunk_rows[order], np.arange(len(chunks) + 1))
            index.by_chunk = {r: order[bounds[r]:bounds[r + 1]] for r in range(len(chunks))
                              if bounds[r + 1] > bounds[r]}
            for lang, cids in sample_ids.items():
                rows_in = [row_of[c] for c in cids]
                sent_rows = [s for r in rows_in for s in index.by_chunk.get(r, [])]
                index.samples[lang] = index.exact.matrix[sent_rows] if sent_rows else np.zeros((0, 1), np.float32)
        else:
            for lang, cids in sample_ids.items():
                index.samples[lang] = collection.rows(cids[:512]).matrix
        return index

    def search(self, vector: np.ndarray, n: int, lang: str, doc_ids: frozenset[str] | None) -> list[tuple[int, float]]:
        """The ``n`` view rows of one language whose best sentence is nearest, as ``(row, similarity)``."""
        if self.exact is not None:
            allowed = self.langs[self.chunk_rows] == lang if self.chunk_rows.size else np.zeros(0, bool)
            if doc_ids:
                allowed &= np.isin(self.docs[self.chunk_rows], sorted(doc_ids))
            idx = np.flatnonzero(allowed)
            if idx.size == 0:
                return []
            sims = self.exact.matrix[idx] @ vector
            best: dict[int, float] = {}
            for i in np.argsort(-sims, kind="stable"):
                row = int(self.chunk_rows[idx[i]])
                if row not in best:
                    best[row] = float(sims[i])
                    if len(best) >= n:
                        break
            return list(best.items())
        where: dict[str, object] = {"lang": lang}
        if doc_ids:
            where = {"$and": [where, {"doc_id": {"$in": sorted(doc_ids)}}]}
        nearest: dict[int, float] = {}
        for cid, _, sim in self.collection.query(vector.tolist(), n * SEARCH_FACTOR, where):
            found = self.row_of.get(cid)
            if found is not None and found not in nearest:
                nearest[found] = sim
        return list(nearest.items())[:n]

    def sentence_sims(self, vector: np.ndarray, rows: Sequence[int], chunk_ids: Sequence[str]
                      ) -> list[dict[int, float]]:
        """For each given view row, its sentences' similarities by position (empty where none is stored)."""
        if self.exact is not None:
            out: list[dict[int, float]] = []
            for r in rows:
                sent_rows = self.by_chunk.get(r)
                if sent_rows is None:
                    out.append({})
                    continue
                sims = self.exact.matrix[sent_rows] @ vector
                out.append({int(p): float(s) for p, s in zip(self.exact.positions[sent_rows], sims, strict=True)})
            return out
        got = self.collection.rows(list(chunk_ids))
        sims = got.matrix @ vector if len(got.chunk_ids) else np.zeros(0)
        by_id: dict[str, dict[int, float]] = {}
        for cid, pos, sim in zip(got.chunk_ids, got.positions, sims, strict=True):
            by_id.setdefault(cid, {})[int(pos)] = float(sim)
        return [by_id.get(c, {}) for c in chunk_ids]

    def scale(self, vector: np.ndarray, lang: str) -> Scale:
        sample = self.samples.get(lang)
        if sample is None or len(sample) < 2:
            return Scale(0.0, 1.0)
        sims = sample @ vector
        return Scale(float(sims.mean()), float(sims.std()) or 1.0)
