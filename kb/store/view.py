"""One in-memory view of a library: ids, texts, metadata, BM25 and (in small libraries) vectors.

Why one: the BM25 index and the vector matrix used to be two caches filled by two full scans of
Chroma, each checking for changes on its own, so one question could read two versions of the
library (and its query terms a third). A view is built by one paged read when the library
changes, and a question holds the same view from its first step to its last. Nothing here is
a source of truth: every view is rebuilt from Chroma.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .chroma import ChunkStore
from .dense import ExactIndex
from .lexical import LexicalIndex


@dataclass(frozen=True)
class LibraryView:
    lexical: LexicalIndex  # every chunk's id, text, metadata, matching form and BM25
    dense: ExactIndex | None  # unit vectors for exact search; None above the limit (Chroma's HNSW then)
    fingerprint: str


class ViewCache:
    """The current ``LibraryView``, rebuilt when the store's fingerprint moves."""

    def __init__(self, store: ChunkStore, exact_limit: int) -> None:
        self._store = store
        self._exact_limit = exact_limit
        self._lock = threading.Lock()
        self._view: LibraryView | None = None

    def get(self) -> LibraryView:
        fp = self._store.sync()
        view = self._view
        if view is not None and view.fingerprint == fp:
            return view
        with self._lock:
            view = self._view
            if view is None or view.fingerprint != fp:
                view = self._view = self._build(fp)
        return view

    def _build(self, fp: str) -> LibraryView:
        with_vectors = self._store.count() <= self._exact_limit
        ids, texts, metas, blocks = self._store.scan(vectors=with_vectors)
        lexical = LexicalIndex.build(list(zip(ids, texts, metas, strict=True)))
        dense = ExactIndex(ids, metas, blocks) if with_vectors else None
        return LibraryView(lexical, dense, fp)
