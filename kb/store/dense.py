"""Exact dense search over a small collection, derived from the vectors stored in Chroma.

Chroma's HNSW index is approximate and its graph is built by parallel inserts, so two builds
of the same collection can rank the same question differently, and a filtered query can miss
a close passage. Below a few thousand chunks an exact scan costs well under a millisecond per
question, so results are exact and repeatable there; larger collections use Chroma's index
(the limit is the setting ``exact_limit``, ``KB_EXACT_LIMIT``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


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
        self.ordinals = np.array([int(m.get("ordinal", -1)) for m in metas])
        self._row = {cid: i for i, cid in enumerate(ids)}

    def row(self, chunk_id: str) -> int | None:
        return self._row.get(chunk_id)

    def twin(self, chunk_id: str, lang: str, nearby: int = 3, floor: float = 0.8) -> int | None:
        """Row of the ``lang`` passage that says what ``chunk_id`` says, in a bilingual document.

        Documents that alternate English and Chinese paragraphs hold each point twice, a few
        chunks apart. The twin is the nearby other-language chunk of the same document that is
        most similar to this one, and to which this one is the most similar in return.
        """
        row = self._row.get(chunk_id)
        if row is None:
            return None
        best = self._nearest(row, lang, nearby)
        if best is None or float(self.matrix[row] @ self.matrix[best]) < floor:
            return None
        return best if self._nearest(best, str(self.langs[row]), nearby) == row else None

    def _nearest(self, row: int, lang: str, nearby: int) -> int | None:
        near = np.flatnonzero((self.docs == self.docs[row]) & (self.langs == lang)
                              & (np.abs(self.ordinals - self.ordinals[row]) <= nearby))
        if near.size == 0:
            return None
        return int(near[np.argmax(self.matrix[near] @ self.matrix[row])])

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
