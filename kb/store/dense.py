"""Dense search by the main encoder over a library view, and its library-wide similarity scale.

Small libraries are searched exactly: Chroma's HNSW index is approximate and its graph is built by
parallel inserts, so two builds of the same collection can rank the same question differently, and
a filtered query can miss a close passage. Below a few thousand chunks an exact scan costs well
under a millisecond per question, so results are exact and repeatable there; larger libraries use
Chroma's index (the limit is ``KB_EXACT_LIMIT``), and only chunks of the view are kept from it.

Calibration: how similar a question is to its best passage means little on its own (a multilingual
model gives an unrelated question 0.8 in one language pair and a related one 0.75 in another). Set
against the question's similarity to the library's passages at large, it does: a fixed sample of
each language's passages (all of them up to ``SAMPLE``) gives the mean and spread, the same on a
50-passage library and a 100k one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..records import StoredChunk

if TYPE_CHECKING:
    from .chroma import ChunkStore

LANGS = ("zh", "en")
SAMPLE = 2048  # passages per language the library-wide similarity scale is measured on


def unit(vector: Sequence[float] | np.ndarray) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32)
    return v / (float(np.linalg.norm(v)) or 1.0)


@dataclass(frozen=True)
class Scale:
    """A question's similarity to a language's passages at large: mean and spread."""

    mean: float
    spread: float

    def z(self, similarity: float) -> float:
        return (similarity - self.mean) / self.spread


@dataclass
class DenseIndex:
    """The main encoder's vectors for the view's chunks: exact rows (small libraries) or the store's index."""

    encoder: str
    langs: np.ndarray  # per view row
    docs: np.ndarray
    ordinals: np.ndarray
    row_of: dict[str, int]
    matrix: np.ndarray | None  # unit vectors per view row (exact mode); rows without a vector are zero
    present: np.ndarray  # per view row: the encoder has a vector for it
    samples: dict[str, np.ndarray] = field(default_factory=dict)  # lang -> unit vectors of the sample
    store: ChunkStore | None = None  # approximate mode

    @classmethod
    def build(cls, encoder: str, chunks: Sequence[StoredChunk], store: ChunkStore, exact: bool) -> DenseIndex:
        langs = np.array([c.meta.lang for c in chunks])
        docs = np.array([c.meta.doc_id for c in chunks])
        ordinals = np.array([c.meta.ordinal for c in chunks])
        row_of = {c.chunk_id: i for i, c in enumerate(chunks)}
        sample_ids = {lang: sample_of([c.chunk_id for c in chunks if c.meta.lang == lang]) for lang in LANGS}
        if exact:
            ids, mat = store.all_vectors()
            matrix = np.zeros((len(chunks), mat.shape[1] if mat.size else 1), np.float32)
            present = np.zeros(len(chunks), bool)
            for cid, vec in zip(ids, mat, strict=True):
                row = row_of.get(cid)
                if row is not None:
                    matrix[row] = unit(vec)
                    present[row] = True
            samples = {lang: matrix[[row_of[c] for c in cids if present[row_of[c]]]]
                       for lang, cids in sample_ids.items()}
            return cls(encoder, langs, docs, ordinals, row_of, matrix, present, samples)
        wanted = [c for cids in sample_ids.values() for c in cids]
        found = store.vectors_of(wanted)
        samples = {lang: np.array([unit(found[c]) for c in cids if c in found], np.float32).reshape(-1, _dim(found))
                   for lang, cids in sample_ids.items()}
        present = np.ones(len(chunks), bool)  # assumed; the index answers only for what it holds
        return cls(encoder, langs, docs, ordinals, row_of, None, present, samples, store)

    @property
    def exact(self) -> bool:
        return self.matrix is not None

    def search(self, vector: np.ndarray, n: int, lang: str, doc_ids: frozenset[str] | None) -> list[tuple[int, float]]:
        """The ``n`` nearest view rows of one language as ``(row, similarity)``."""
        if self.matrix is not None:
            allowed = (self.langs == lang) & self.present
            if doc_ids:
                allowed &= np.isin(self.docs, sorted(doc_ids))
            rows = np.flatnonzero(allowed)
            if rows.size == 0:
                return []
            sims = self.matrix[rows] @ vector
            top = np.argsort(-sims, kind="stable")[:n]
            return [(int(rows[i]), float(sims[i])) for i in top]
        assert self.store is not None
        where: dict[str, object] = {"lang": lang}
        if doc_ids:
            where = {"$and": [where, {"doc_id": {"$in": sorted(doc_ids)}}]}
        found = self.store.query(vector.tolist(), n, where)
        return [(self.row_of[cid], sim) for cid, sim in found if cid in self.row_of]

    def similarities(self, vector: np.ndarray, rows: Sequence[int], chunk_ids: Sequence[str]) -> list[float | None]:
        """Similarity of given view rows (passages another list found); None where no vector is stored."""
        if self.matrix is not None:
            return [float(self.matrix[r] @ vector) if self.present[r] else None for r in rows]
        assert self.store is not None
        found = self.store.vectors_of(list(chunk_ids))
        return [float(unit(found[c]) @ vector) if c in found else None for c in chunk_ids]

    def scale(self, vector: np.ndarray, lang: str) -> Scale:
        sample = self.samples.get(lang)
        if sample is None or len(sample) < 2:
            return Scale(0.0, 1.0)
        sims = sample @ vector
        return Scale(float(sims.mean()), float(sims.std()) or 1.0)

    def twin(self, row: int, lang: str, nearby: int, floor: float) -> int | None:
        """View row of the ``lang`` passage that says what ``row`` says, in a bilingual document.

        Documents that alternate English and Chinese paragraphs hold each point twice, a few
        chunks apart. The twin is the nearby other-language chunk of the same document that is
        most similar to this one, and to which this one is the most similar in return.
        """
        around = np.flatnonzero((self.docs == self.docs[row]) & self.present
                                & (np.abs(self.ordinals - self.ordinals[row]) <= 2 * nearby))
        vecs = {r: v for r, v in zip(around.tolist(), self.vectors(around), strict=True) if v.any()}
        if row not in vecs:
            return None
        best = self._nearest(row, lang, nearby, vecs)
        if best is None or float(vecs[row] @ vecs[best]) < floor:
            return None
        return best if self._nearest(best, str(self.langs[row]), nearby, vecs) == row else None

    def _nearest(self, row: int, lang: str, nearby: int, vecs: dict[int, np.ndarray]) -> int | None:
        here = int(self.ordinals[row])
        near = [r for r in vecs if self.langs[r] == lang and abs(int(self.ordinals[r]) - here) <= nearby]
        if not near:
            return None
        return max(near, key=lambda r: (float(vecs[r] @ vecs[row]), -r))

    def vectors(self, rows: np.ndarray | Sequence[int], chunk_ids: Sequence[str] | None = None) -> np.ndarray:
        """Unit vectors of some view rows (zero where none is stored): from memory, or read by id."""
        rows = np.asarray(rows, dtype=int)
        if self.matrix is not None:
            return self.matrix[rows]
        assert self.store is not None
        if chunk_ids is None:
            by_row = {r: cid for cid, r in self.row_of.items()}
            chunk_ids = [by_row[int(r)] for r in rows]
        found = self.store.vectors_of(list(chunk_ids))
        dim = _dim(found)
        return np.array([unit(found[c]) if c in found else np.zeros(dim, np.float32) for c in chunk_ids],
                        np.float32).reshape(len(chunk_ids), dim)


def sample_of(chunk_ids: list[str]) -> list[str]:
    """A fixed sample: the ids whose hash is smallest, so adding a document changes it only a little."""
    if len(chunk_ids) <= SAMPLE:
        return chunk_ids
    return by_hash(chunk_ids)[:SAMPLE]


def by_hash(chunk_ids: list[str]) -> list[str]:
    """Ids in the order of their hash: a fixed order that no document's position or name decides."""
    return sorted(chunk_ids, key=lambda c: hashlib.blake2b(c.encode(), digest_size=8).digest())


def _dim(found: dict[str, np.ndarray]) -> int:
    return len(next(iter(found.values()))) if found else 1
