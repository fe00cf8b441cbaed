"""BM25 over words, derived from the Chroma collection and rebuilt when the collection changes.

Never persisted as a source of truth: built from the chunks of a library view (``kb.store.view``),
its rows in the view's order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..records import StoredChunk
from ..text import normalize, words


@dataclass
class LexicalIndex:
    norms: list[str] = field(default_factory=list)  # texts in the form words are matched in
    docs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    idf: dict[str, float] = field(default_factory=dict)
    _bm25: Any = None
    # Base forms of the library's English words ("closes" -> "close"), made on first use by
    # ``kb.search.query``, which owns the stemmer: whether a question's word is one the library uses.
    english_stems: frozenset[str] | None = None

    @classmethod
    def build(cls, chunks: Sequence[StoredChunk]) -> LexicalIndex:
        import bm25s

        idx = cls()
        corpus: list[list[str]] = []
        df: Counter[str] = Counter()
        for c in chunks:
            idx.norms.append(normalize(c.text))
            toks = words(idx.norms[-1], normalized=True)
            corpus.append(toks or ["\u0000"])
            df.update(set(toks))
        idx.docs = np.array([c.meta.doc_id for c in chunks], dtype=object)
        n = max(len(chunks), 1)
        idx.idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        if chunks:
            idx._bm25 = bm25s.BM25()
            idx._bm25.index(corpus, show_progress=False)
        return idx

    def __len__(self) -> int:
        return len(self.norms)

    def scores(self, query_words: list[str], mask: np.ndarray | None = None) -> np.ndarray:
        if self._bm25 is None or not query_words:
            return np.zeros(len(self), dtype=np.float32)
        known = [w for w in query_words if w in self.idf]
        if not known:
            return np.zeros(len(self), dtype=np.float32)
        s = np.asarray(self._bm25.get_scores(known), dtype=np.float32)
        if mask is not None:
            s = np.where(mask, s, 0.0)
        return s

    def mask_for(self, doc_ids: frozenset[str] | None) -> np.ndarray | None:
        if not doc_ids:
            return None
        return np.isin(self.docs, list(doc_ids))

    def weight(self, word: str) -> float:
        """IDF of a word; unseen words weigh like the rarest seen ones."""
        return self.idf.get(word, math.log(1 + (len(self) + 0.5) / 0.5) if len(self) else 1.0)
