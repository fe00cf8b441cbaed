"""Exact dense search over a small collection, derived from the vectors stored in Chroma.

Chroma's HNSW index is approximate and its graph is built by parallel inserts, so two builds
of the same collection can rank the same question differently, and a filtered query can miss
a close passage. Below a few thousand chunks an exact scan costs well under a millisecond per
question, so results are exact and repeatable there; larger collections use Chroma's index.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .store import ChunkStore

EXACT_LIMIT = 5000  # chunks


class ExactIndex:
    """Unit-length vectors of every chunk, one row per chunk, with their languages and documents."""

    def __init__(self, ids: list[str], metas: list[dict[str, Any]], blocks: list[Any]) -> None:
        self.ids = ids
        self.metas = metas
        mat = np.vstack([np.asarray(b, dtype=np.float32) for b in blocks]) if blocks else np.zeros((0, 1), np.float32)
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        self.matrix = mat / np.where(norms == 0, 1.0, norms)
        self.langs = np.array([str(m.get("lang", "")) for m in metas])
        self.docs = np.array([str(m.get("doc_id", "")) for m in metas])

    def query(
        self, vector: Sequence[float], n: int, lang: str, doc_ids: set[str] | None, text: Callable[[str], str]
    ) -> list[tuple[str, str, dict[str, Any], float]]:
        if not self.ids:
            return []
        v = np.asarray(vector, dtype=np.float32)
        v = v / (np.linalg.norm(v) or 1.0)
        allowed = self.langs == lang
        if doc_ids:
            allowed &= np.isin(self.docs, sorted(doc_ids))
        rows = np.flatnonzero(allowed)
        if rows.size == 0:
            return []
        sims = self.matrix[rows] @ v
        top = rows[np.argsort(-sims, kind="stable")[:n]]
        return [(self.ids[i], text(self.ids[i]), self.metas[i], float(self.matrix[i] @ v)) for i in top]


class ExactCache:
    """The current ``ExactIndex``, rebuilt when the store's fingerprint moves; None when too large."""

    def __init__(self, store: ChunkStore, fingerprint: Callable[[], str]) -> None:
        self._store = store
        self._fingerprint = fingerprint
        self._lock = threading.Lock()
        self._index: ExactIndex | None = None
        self._seen: str | None = None

    def get(self) -> ExactIndex | None:
        fp = self._fingerprint()
        if fp != self._seen:
            with self._lock:
                if fp != self._seen:
                    small = self._store.count() <= EXACT_LIMIT
                    self._index = ExactIndex(*self._store.all_vectors()) if small else None
                    self._seen = fp
        return self._index
