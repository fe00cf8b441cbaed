"""BM25 over words, derived from the Chroma collection and rebuilt when the collection changes.

Never persisted as a source of truth: built from the rows of a library view (``kb.view``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..text import normalize, words


@dataclass
class LexicalIndex:
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    metas: list[dict[str, Any]] = field(default_factory=list)
    norms: list[str] = field(default_factory=list)  # texts in the form words are matched in
    idf: dict[str, float] = field(default_factory=dict)
    _bm25: Any = None
    _row: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, rows: list[tuple[str, str, dict[str, Any]]]) -> LexicalIndex:
        import bm25s

        idx = cls()
        corpus: list[list[str]] = []
        df: Counter[str] = Counter()
        for cid, text, meta in rows:
            idx.ids.append(cid)
            idx.texts.append(text)
            idx.metas.append(meta)
            idx.norms.append(normalize(text))
            toks = words(idx.norms[-1], normalized=True)
            corpus.append(toks or ["\u0000"])
            df.update(set(toks))
        n = max(len(rows), 1)
        idx.idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        idx._row = {cid: i for i, cid in enumerate(idx.ids)}
        if rows:
            idx._bm25 = bm25s.BM25()
            idx._bm25.index(corpus, show_progress=False)
        return idx

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, query_words: list[str], mask: np.ndarray | None = None) -> np.ndarray:
        if self._bm25 is None or not query_words:
            return np.zeros(len(self.ids), dtype=np.float32)
        known = [w for w in query_words if w in self.idf]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        s = np.asarray(self._bm25.get_scores(known), dtype=np.float32)
        if mask is not None:
            s = np.where(mask, s, 0.0)
        return s

    def mask_for(self, doc_ids: set[str] | None) -> np.ndarray | None:
        if not doc_ids:
            return None
        return np.array([m.get("doc_id") in doc_ids for m in self.metas], dtype=bool)

    def row(self, chunk_id: str) -> int | None:
        return self._row.get(chunk_id)

    def weight(self, word: str) -> float:
        """IDF of a word; unseen words weigh like the rarest seen ones."""
        return self.idf.get(word, math.log(1 + (len(self.ids) + 0.5) / 0.5) if self.ids else 1.0)
