"""A further encoder's vectors, one per sentence of each chunk, in a Chroma collection of their own.

Why per sentence: the second encoder's job is to say which *sentence* answers a question asked in
the other language, and a passage's relevance is its best sentence's. Sentences are cut exactly
as answers cut them (``kb.text.sentences_of``), so sentence ``pos`` of a chunk here is sentence
``pos`` of the same chunk when it is quoted; each record keeps the hash of its sentence's text, so
a vector is re-used for the same sentence anywhere and never applied to a different one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..records import StoredChunk

_PAGE = 2000
SentenceVectors = Sequence[Sequence[tuple[str, Sequence[float]]]]  # per chunk: (text hash, vector) per sentence


@dataclass
class SentenceRows:
    """Sentence records read back: their chunk, position, text hash and vectors (unit length)."""

    chunk_ids: list[str]
    positions: np.ndarray
    hashes: list[str]
    matrix: np.ndarray


def record_id(chunk_id: str, pos: int) -> str:
    return f"{chunk_id}#{pos:03d}"


class SentenceCollection:
    def __init__(self, collection: Any, dim: int, lock: threading.RLock) -> None:
        self.col = collection
        self.dim = dim
        self._lock = lock

    def write(self, chunks: Sequence[StoredChunk], vectors: SentenceVectors) -> None:
        ids, embeddings, metas = [], [], []
        for c, sents in zip(chunks, vectors, strict=True):
            for pos, (h, vec) in enumerate(sents):
                ids.append(record_id(c.chunk_id, pos))
                embeddings.append(list(vec))
                metas.append({"doc_id": c.meta.doc_id, "lang": c.meta.lang, "chunk_id": c.chunk_id, "pos": pos,
                              "text_hash": h})
        with self._lock:
            for i in range(0, len(ids), _PAGE):
                self.col.upsert(ids=ids[i : i + _PAGE], embeddings=embeddings[i : i + _PAGE],
                                metadatas=metas[i : i + _PAGE])

    def drop_stale(self, doc_id: str, keep: set[str]) -> None:
        """A rewritten document's records that its new chunks do not have."""
        with self._lock:
            stale = [rid for rid, _ in self._iter(where={"doc_id": doc_id}) if rid not in keep]
            self._delete(stale)

    def delete_document(self, doc_id: str) -> None:
        with self._lock:
            self._delete([rid for rid, _ in self._iter(where={"doc_id": doc_id})])

    def delete_orphans(self, known_docs: set[str]) -> None:
        with self._lock:
            records = self._iter(include=["metadatas"])
            self._delete([rid for rid, m in records if (m or {}).get("doc_id") not in known_docs])

    def stored(self, hashes: Sequence[str]) -> dict[str, list[float]]:
        """Vectors already stored for these sentence texts."""
        with self._lock:
            return vectors_by_text_hash(self.col, hashes)

    def chunks_with_vectors(self) -> set[str]:
        with self._lock:
            return {str((m or {}).get("chunk_id")) for _, m in self._iter(include=["metadatas"])}

    def query(self, vector: Sequence[float], n: int, where: dict[str, Any] | None = None
              ) -> list[tuple[str, int, float]]:
        """Nearest sentences as ``(chunk id, position, cosine similarity)``."""
        with self._lock:
            count = self.col.count()
            if count == 0:
                return []
            res = self.col.query(query_embeddings=[list(vector)], n_results=min(n, count), where=where,
                                 include=["metadatas", "distances"])
        metas = (res.get("metadatas") or [[]])[0] or []
        dists = (res.get("distances") or [[]])[0] or []
        return [(str(m.get("chunk_id")), int(m.get("pos", 0)), 1.0 - float(d))
                for m, d in zip(metas, dists, strict=False) if m]

    def rows(self, chunk_ids: Sequence[str] | None = None) -> SentenceRows:
        """Every record (``chunk_ids`` None) or those of some chunks."""
        cids: list[str] = []
        pos: list[int] = []
        hashes: list[str] = []
        blocks = []
        with self._lock:
            if chunk_ids is None:
                pages = list(self._pages(["metadatas", "embeddings"]))
            else:
                wanted = list(dict.fromkeys(chunk_ids))
                pages = [self.col.get(where={"chunk_id": {"$in": wanted[i : i + 500]}},
                                      include=["metadatas", "embeddings"]) for i in range(0, len(wanted), 500)]
        for res in pages:
            if not res["ids"]:
                continue
            for m in res.get("metadatas") or []:
                cids.append(str((m or {}).get("chunk_id")))
                pos.append(int((m or {}).get("pos", 0)))
                hashes.append(str((m or {}).get("text_hash", "")))
            blocks.append(np.asarray(res["embeddings"], dtype=np.float32))
        mat = np.vstack(blocks) if blocks else np.zeros((0, self.dim), np.float32)
        mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
        return SentenceRows(cids, np.asarray(pos, dtype=int), hashes, mat)

    def _delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), _PAGE):
            self.col.delete(ids=ids[i : i + _PAGE])

    def _iter(self, where: dict[str, Any] | None = None, include: list[str] | None = None
              ) -> Iterator[tuple[str, Any]]:
        for res in self._pages(include or [], where):
            yield from zip(res["ids"], res.get("metadatas") or [None] * len(res["ids"]), strict=False)

    def _pages(self, include: list[str], where: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            res = self.col.get(where=where, limit=_PAGE, offset=offset, include=include)
            if not res["ids"]:
                return
            yield res
            offset += len(res["ids"])


def vectors_by_text_hash(collection: Any, hashes: Sequence[str]) -> dict[str, list[float]]:
    """The vector stored for each of these text hashes in a collection (records carry ``text_hash``),
    so a text embedded once (moved, copied, re-chunked) is never embedded again."""
    out: dict[str, list[float]] = {}
    wanted = sorted(set(hashes))
    for i in range(0, len(wanted), 500):
        res = collection.get(where={"text_hash": {"$in": wanted[i : i + 500]}}, include=["metadatas", "embeddings"])
        embeddings = [] if res.get("embeddings") is None else res["embeddings"]
        for meta, vec in zip(res.get("metadatas") or [], embeddings, strict=False):
            out.setdefault(str((meta or {}).get("text_hash")), [float(x) for x in vec])
    return out
