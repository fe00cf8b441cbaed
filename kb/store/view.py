"""One in-memory view of a library: its chunks, documents, BM25 and each encoder's dense index.

Why one: derived indexes used to be caches filled by separate reads of Chroma, each checking for
changes on its own, so one question could read two versions of the library. A view is built by
one paged read when the library changes, and a question holds the same view from its first step
to its last, whatever the library's size: above the exact-search limit Chroma's index answers,
and only chunks of the view are taken from it, with their text and metadata from the view.
Nothing here is a source of truth: every view is rebuilt from Chroma.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ..records import DocumentInfo, StoredChunk
from ..search.glossary import Glossary
from .chroma import ChunkStore
from .dense import LANGS, DenseIndex
from .identity import named
from .lexical import LexicalIndex
from .reference import padded
from .sentence_index import SentenceIndex


@dataclass(frozen=True)
class LibraryView:
    chunks: list[StoredChunk]  # every chunk, in the order of the indexes' rows
    row_of: dict[str, int]  # chunk id -> row
    lexical: LexicalIndex
    dense: DenseIndex  # the main encoder's, per chunk
    sentences: dict[str, SentenceIndex]  # each further encoder's, per sentence
    documents: dict[str, DocumentInfo]  # the registry at the same version, with short names
    glossary: Glossary  # term pairs the documents state ("变分自编码器 (VAE)")
    fingerprint: str

    def __len__(self) -> int:
        return len(self.chunks)

    def indexes(self) -> list[tuple[str, DenseIndex | SentenceIndex]]:
        """Every encoder's index, the main one first."""
        return [(self.dense.encoder, self.dense), *self.sentences.items()]

    def row(self, chunk_id: str) -> int | None:
        return self.row_of.get(chunk_id)

    def document_rows(self, doc_id: str) -> list[int]:
        """A document's rows in reading order."""
        rows = [i for i, c in enumerate(self.chunks) if c.meta.doc_id == doc_id]
        return sorted(rows, key=lambda i: self.chunks[i].meta.ordinal)


class ViewCache:
    """The current ``LibraryView``, rebuilt when the store's fingerprint moves."""

    def __init__(self, store: ChunkStore, exact_limit: int, shared: bool = False) -> None:
        self._store = store
        self._shared = shared
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
        chunks = self._store.scan()
        exact = len(chunks) <= self._exact_limit
        dense = DenseIndex.build(self._store.primary, chunks, self._store, exact)
        sentences = {name: SentenceIndex.build(name, chunks, col, exact) for name, col in self._store.sentences.items()}
        models = {vs.name: vs.model_id for vs in self._store.vector_sets}
        indexes: list[tuple[str, DenseIndex | SentenceIndex]] = [(dense.encoder, dense), *sentences.items()]
        for name, index in indexes:  # a small library's scale is steadied by reference passages
            index.samples = padded(index.samples, models[name], LANGS)
        rows = {c.chunk_id: i for i, c in enumerate(chunks)}
        docs = {d.doc_id: d for d in named(list(self._store.documents().values()), self._shared)}
        glossary = Glossary.build(c.text for c in chunks)
        return LibraryView(chunks, rows, LexicalIndex.build(chunks), dense, sentences, docs, glossary, fp)
