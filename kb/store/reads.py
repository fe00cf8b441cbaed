"""Reading a library's chunks and main vectors out of Chroma (``ChunkStore`` is these plus the writes).

Apart from the writes so that each file stays one job; every read holds the store's lock, since a
reload (another process wrote) replaces the client under other threads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from ..records import ChunkMeta, StoredChunk
from .sentence_vectors import vectors_by_text_hash

if TYPE_CHECKING:
    import threading

    from .sentence_vectors import SentenceCollection


@dataclass(frozen=True)
class VectorSet:
    """One encoder's vectors: ``name`` keys features and collections, ``model_id``/``dim`` guard against mixing.

    The first set of a store is the main encoder's (a vector per chunk); the others are per sentence.
    """

    name: str
    model_id: str
    dim: int


T = TypeVar("T")
_PAGE = 2000


def locked(method: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(method)
    def wrapper(self: ChunkReads, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class ChunkReads:
    chunks: Any
    sentences: dict[str, SentenceCollection]
    vector_sets: list[VectorSet]
    _lock: threading.RLock
    _complete: str  # the encoders every stored chunk has vectors of, "main,use"

    def reload(self) -> None: ...

    def complete(self, encoder: str) -> bool:
        """Whether every stored chunk has this encoder's vectors."""
        return encoder in self._complete.split(",")

    # --- reads ----------------------------------------------------------------------------
    @locked
    def query(self, vector: Sequence[float], n: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Nearest chunk ids by the main encoder's index, with their cosine similarity."""
        col = self.chunks
        count = col.count()
        if count == 0:
            return []
        args: dict[str, Any] = {"query_embeddings": [list(vector)], "n_results": min(n, count), "where": where,
                                "include": ["distances"]}
        try:
            res = col.query(**args)
        except Exception:  # noqa: BLE001 - a write by another process between sync() and now
            self.reload()
            res = self.chunks.query(**args)
        dists = (res.get("distances") or [[]])[0] or []
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], dists, strict=False)]

    @locked
    def scan(self) -> list[StoredChunk]:
        """Every chunk's id, text and metadata, in one paged read."""
        out: list[StoredChunk] = []
        for res in self._pages(self.chunks, ["documents", "metadatas"]):
            n = len(res["ids"])
            for cid, text, meta in zip(res["ids"], res.get("documents") or [""] * n,
                                       res.get("metadatas") or [{}] * n, strict=False):
                out.append(StoredChunk(cid, text or "", ChunkMeta.from_store(meta)))
        return out

    @locked
    def all_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every main vector with its chunk id (for exact search in small libraries)."""
        ids: list[str] = []
        blocks = []
        for res in self._pages(self.chunks, ["embeddings"]):
            ids.extend(res["ids"])
            blocks.append(np.asarray(res["embeddings"], dtype=np.float32))
        return ids, (np.vstack(blocks) if blocks else np.zeros((0, self.vector_sets[0].dim), np.float32))

    @locked
    def vectors_of(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Some chunks' main vectors, by id (those it holds)."""
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(chunk_ids), 500):
            res = self.chunks.get(ids=list(chunk_ids[i : i + 500]), include=["embeddings"])
            embeddings = res.get("embeddings")
            for cid, vec in zip(res["ids"], [] if embeddings is None else embeddings, strict=False):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    @locked
    def document_chunks(self, doc_id: str) -> list[StoredChunk]:
        """One document's chunks in reading order."""
        res = self.chunks.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        rows = [StoredChunk(cid, text or "", ChunkMeta.from_store(meta))
                for cid, text, meta in zip(res["ids"], res.get("documents") or [], res.get("metadatas") or [],
                                           strict=False)]
        return sorted(rows, key=lambda c: c.meta.ordinal)

    @locked
    def count(self) -> int:
        return int(self.chunks.count())

    @locked
    def stored_vectors(self, hashes: Sequence[str]) -> dict[str, list[float]]:
        """Main vectors already stored for these embedded texts (a moved, copied or re-chunked file's)."""
        return vectors_by_text_hash(self.chunks, hashes)

    @locked
    def missing_vectors(self, encoder: str) -> list[StoredChunk]:
        """Chunks a further encoder has no vectors for (a library written before it existed)."""
        if self.complete(encoder) or not self.chunks.count():
            return []  # opening a complete library reads nothing more
        have = self.sentences[encoder].chunks_with_vectors()
        return [c for c in self.scan() if c.chunk_id not in have]


    @staticmethod
    def _iter(col: Any, where: dict[str, Any] | None = None, include: list[str] | None = None
              ) -> Iterator[tuple[str, Any]]:
        for res in ChunkReads._pages(col, include or [], where):
            yield from zip(res["ids"], res.get("metadatas") or [None] * len(res["ids"]), strict=False)

    @staticmethod
    def _pages(col: Any, include: list[str], where: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """A collection read ``_PAGE`` records at a time (one huge ``get`` would hold it all in memory)."""
        offset = 0
        while True:
            res = col.get(where=where, limit=_PAGE, offset=offset, include=include)
            if not res["ids"]:
                return
            yield res
            offset += len(res["ids"])
