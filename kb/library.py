"""The library side of a knowledge base: its documents, their chunks and vectors, and the view a
question reads. Writes go through here (one lock); the asking side (``kb.asking``) only reads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from .answering.boilerplate import furniture_positions
from .embed.base import Embedder
from .embed.encoders import Encoders
from .errors import NotFoundError
from .records import Chunk, DocumentInfo, StoredChunk
from .settings import Settings, disable_telemetry
from .store.chroma import ChunkStore
from .store.identity import ID_SCHEME, named, source_key, text_hash
from .store.migrate import migrate
from .store.originals import Originals
from .store.view import ViewCache
from .text import for_embedding, sentences_of

Progress = Callable[[int, int], None]  # (done, total)


class Library:
    """Ingested documents over one Chroma library: each chunk embedded by every encoder."""

    def __init__(self, settings: Settings, create: bool = True, embedder: Embedder | None = None,
                 encoders: Encoders | None = None) -> None:
        """Open (or, with ``create``, start) the library the settings point at.

        ``create=False`` is for commands that only read: a library that does not exist is a
        ``NotFoundError`` and nothing is written. A library from an earlier version is upgraded
        once on opening (``migrated`` says how many documents moved to new ids).
        """
        disable_telemetry()
        self.settings = settings
        self.encoders = encoders or Encoders.build(settings, embedder)
        self.store = ChunkStore(settings, self.encoders.vector_sets(), create=create)
        self.migrated = 0
        if self.store.id_scheme() < ID_SCHEME:
            self.migrated = migrate(self.store, shared=bool(settings.chroma_url))
            self.store.set_id_scheme(ID_SCHEME)
        self.view = ViewCache(self.store, settings.exact_limit, shared=bool(settings.chroma_url))
        self.originals = Originals(self.store, shared=bool(settings.chroma_url))
        self._write_lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        """The main encoder (the one the settings choose)."""
        return self.encoders.main

    def documents(self) -> list[DocumentInfo]:
        """Every document, by name; ``name`` is the shortest tail of its path no other document shares."""
        return named(list(self.store.documents().values()), bool(self.settings.chroma_url))

    def find_document(self, ref: str) -> DocumentInfo:
        """A document by id, by its file's path (any spelling of it), or by a name no other document shares."""
        docs = {d.doc_id: d for d in self.documents()}
        if ref in docs:
            return docs[ref]
        key = source_key(ref, shared=bool(self.settings.chroma_url))
        matches = [d for d in docs.values() if d.source == key or d.file == ref]
        if not matches:
            tail = ref.strip("/")
            matches = [d for d in docs.values() if d.name == tail or d.file.endswith("/" + tail)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(sorted(d.name for d in matches)[:5])
            raise NotFoundError(f"'{ref}' matches {len(matches)} documents ({names}); give more of the path "
                                "or the doc id (see `kb docs`)")
        raise NotFoundError(f"no document '{ref}' in the knowledge base (see `kb docs`)")

    def remove(self, ref: str) -> DocumentInfo:
        doc = self.find_document(ref)
        with self._write_lock:
            self.store.delete_document(doc.doc_id)
        return doc

    def delete_orphans(self) -> int:
        """Remove chunks whose document has no registry entry (left by an interrupted first ingest)."""
        with self._write_lock:
            return self.store.delete_orphans()

    def put_document(
        self, info: DocumentInfo, chunks: Sequence[Chunk], on_embedded: Callable[[int], None] | None = None
    ) -> int:
        """Write a document's chunks, then its registry entry; returns how many chunks were embedded.

        A chunk (or sentence) whose exact embedded text is stored already (a moved, renamed or
        re-chunked file) takes that vector instead of a model call.
        """
        for c in chunks:
            c.furniture = furniture_positions(c.text)
        texts = [for_embedding(c.text) for c in chunks]
        hashes = [text_hash(t) for t in texts]
        known = self.store.stored_vectors(hashes)
        todo = [i for i, h in enumerate(hashes) if h not in known]
        size = self.settings.embed_batch_size
        for start in range(0, len(todo), size):
            batch = todo[start : start + size]
            for i, vec in zip(batch, self.encoders.main.get_text_embedding_batch([texts[i] for i in batch]),
                              strict=True):
                known[hashes[i]] = list(vec)
            if on_embedded:
                on_embedded(len(batch))
        if on_embedded and len(chunks) > len(todo):
            on_embedded(len(chunks) - len(todo))
        sentences = {name: self._sentence_vectors(name, [c.text for c in chunks]) for name in self.store.sentences}
        with self._write_lock:
            self.store.put_document(info, chunks, [known[h] for h in hashes], hashes, sentences)
        return len(todo)

    def _sentence_vectors(self, encoder: str, texts: Sequence[str]) -> list[list[tuple[str, list[float]]]]:
        """Per chunk, each sentence's (text hash, vector) from a further encoder; stored ones re-used."""
        per_chunk = [[for_embedding(s.strip()) for s in sentences_of(t)] for t in texts]
        hashes = [[text_hash(s) for s in sents] for sents in per_chunk]
        known = self.store.sentences[encoder].stored([h for hs in hashes for h in hs])
        todo = {h: s for sents, hs in zip(per_chunk, hashes, strict=True) for s, h in zip(sents, hs, strict=True)
                if h not in known}
        items = list(todo.items())
        size = self.settings.embed_batch_size
        model = self.encoders.by_name[encoder]
        for start in range(0, len(items), size):
            part = items[start : start + size]
            for (h, _), vec in zip(part, model.get_text_embedding_batch([s for _, s in part]), strict=True):
                known[h] = list(vec)
        return [[(h, known[h]) for h in hs] for hs in hashes]

    def missing_vectors(self) -> dict[str, list[StoredChunk]]:
        """Chunks some encoder has no vectors for: a library written before that encoder was added."""
        return {name: missing for name in self.store.sentences if (missing := self.store.missing_vectors(name))}

    def complete_vectors(self, progress: Progress | None = None) -> int:
        """Embed what ``missing_vectors`` lists (once, for an older library); returns how many chunks."""
        missing = self.missing_vectors()
        total = sum(len(m) for m in missing.values())
        done = 0
        size = self.settings.embed_batch_size
        for name, chunks in missing.items():
            for start in range(0, len(chunks), size):
                part = chunks[start : start + size]
                vectors = self._sentence_vectors(name, [c.text for c in part])
                with self._write_lock:
                    self.store.put_sentence_vectors(name, part, vectors)
                done += len(part)
                if progress:
                    progress(done, total)
        for name in self.store.sentences:
            if not self.store.complete(name):
                with self._write_lock:
                    self.store.mark_complete(name)
        return total
