"""Chroma as the single source of truth: chunks with their vectors, and the document registry.

A library is a few collections: the chunks with the main encoder's vectors (``<name>``), one
collection per further encoder holding a vector per sentence of each chunk (``<name>__<encoder>``,
``kb.store.sentence_vectors``), and the registry with one record per document (``<name>__docs``). The
registry is written *after* a document's chunks and vectors, so a crash mid-write leaves a
document whose registry hash is missing or stale, and the next ingest rewrites it; chunk ids are
deterministic (``doc_id::ordinal``) so a rewrite upserts instead of duplicating.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any, TypeVar

from ..errors import NotFoundError, StoreError
from ..records import Chunk, ChunkMeta, DocumentInfo, StoredChunk
from ..settings import Settings
from .client import REGISTRY_SUFFIX, connect
from .identity import ID_SCHEME
from .reads import ChunkReads, VectorSet, locked
from .sentence_vectors import SentenceCollection, SentenceVectors, record_id

_PAGE = 2000
# One question reads the change token several times (lexical, exact and store caches); within
# this many seconds the last answer stands, so a question costs one round trip, not ten.
RECHECK_SECONDS = 0.25
_GENERATION = "__generation__"  # registry record whose token changes on every write
T = TypeVar("T")


def _clean_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Chroma metadata takes str/int/float/bool only: drop ``None``."""
    return {k: v for k, v in meta.items() if v is not None}


_CHUNK_KEYS = tuple(f.name for f in fields(ChunkMeta))
_DOCUMENT_KEYS = tuple(f.name for f in fields(DocumentInfo))


def _replacing(meta: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """Chroma's upsert merges the new metadata into a record's old one, so a key the new record lacks
    would keep the old value (furniture marks at positions that now hold other sentences, a section,
    page or date the text no longer has); every missing key is sent as ``None``, which clears it."""
    return {**dict.fromkeys(keys), **_clean_meta(meta)}


class ChunkStore(ChunkReads):
    def __init__(self, settings: Settings, vector_sets: Sequence[VectorSet], create: bool = True) -> None:
        """``vector_sets[0]`` is the main encoder (the chunk collection's own vectors); the others are per sentence.

        ``create=False``: a library that does not exist yet is an error, and nothing is created.
        """
        self._settings = settings
        self.vector_sets = list(vector_sets)
        self._create = create
        self._scheme = ID_SCHEME  # read from the store on opening; only ``set_id_scheme`` changes it
        self._complete = ""  # the encoders every stored chunk has vectors of (read on opening)
        self._seen: str | None = None
        self._checked: tuple[float, str] | None = None
        # One lock around every Chroma call: a reload replaces the client under other threads.
        self._lock = threading.RLock()
        self._open()

    @property
    def primary(self) -> str:
        return self.vector_sets[0].name

    def _open(self) -> None:
        settings = self._settings
        where = settings.chroma_url or str(settings.chroma_dir)
        missing = NotFoundError(f"there is no knowledge base in {where} yet; add documents with `kb ingest PATH`"
                                if settings.library == "default" else
                                f"there is no library '{settings.library}' in {where}; create it with "
                                f"`kb --library {settings.library} ingest PATH` (see `kb libraries`)")
        if not settings.chroma_url:
            for folder in (settings.chroma_dir, *settings.chroma_dir.parents):
                if folder.exists() and not folder.is_dir():  # a file where a data folder should be
                    raise StoreError(f"cannot open the store in {where}: {folder} is a file, not a folder "
                                     "(check KB_DATA_DIR)")
        if not self._create and not settings.chroma_url and not (settings.chroma_dir / "chroma.sqlite3").exists():
            raise missing
        name = settings.library_collection
        try:
            self._client = connect(settings)
            known = {c.name for c in self._client.list_collections()} if not self._create else set()
            if not self._create and name not in known:
                raise missing
            # embedding_function=None: we always pass vectors, and Chroma's default function
            # would try to download a model.
            self.collections = {
                vs.name: self._client.get_or_create_collection(
                    name if i == 0 else f"{name}__{vs.name}", configuration={"hnsw": {"space": "cosine"}},
                    metadata={"embed_model": vs.model_id, "embed_dim": vs.dim}, embedding_function=None)
                for i, vs in enumerate(self.vector_sets)
            }
            self.sentences = {vs.name: SentenceCollection(self.collections[vs.name], vs.dim, self._lock)
                              for vs in self.vector_sets[1:]}
            self.registry = self._client.get_or_create_collection(
                name + REGISTRY_SUFFIX, metadata={"role": "registry"}, embedding_function=None)
        except (StoreError, NotFoundError):
            raise
        except OSError as exc:
            raise StoreError(f"cannot open the store in {where}: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - chromadb raises its own hierarchy plus Rust errors
            raise StoreError(f"cannot open the Chroma store at {where}: {exc}") from exc
        self.chunks = self.collections[self.primary]
        self._scheme, self._complete = self._read_marks()
        for vs in self.vector_sets:
            stored = self.collections[vs.name].metadata or {}
            if stored.get("embed_model") not in (None, vs.model_id) or stored.get("embed_dim") not in (None, vs.dim):
                raise StoreError(
                    f"collection '{self.collections[vs.name].name}' was built with {stored.get('embed_model')} "
                    f"({stored.get('embed_dim')} dims), not {vs.model_id} ({vs.dim} dims); "
                    "re-ingest into a new KB_COLLECTION or KB_DATA_DIR")

    # --- registry -------------------------------------------------------------------------
    @locked
    def documents(self) -> dict[str, DocumentInfo]:
        records = self._iter(self.registry, include=["metadatas"])
        return {rid: DocumentInfo.from_store(rid, meta) for rid, meta in records if rid != _GENERATION}

    @locked
    def sync(self) -> str:
        """The current fingerprint, after reloading if another process changed the collection.

        Embedded Chroma keeps each process's vector index in memory: a process that did not
        make a write cannot find the new vectors until it reopens the store.
        """
        now = time.monotonic()
        if self._checked is not None and now - self._checked[0] < RECHECK_SECONDS:
            return self._checked[1]
        fp = self.fingerprint()
        if self._seen is not None and fp != self._seen:
            self.reload()
            fp = self.fingerprint()
        self._seen = fp
        self._checked = (now, fp)
        return fp

    @locked
    def reload(self) -> None:
        from chromadb.api.shared_system_client import SharedSystemClient

        if self._settings.chroma_url:
            return  # a server always answers with the current data
        ident = getattr(self._client, "_identifier", None)
        if ident is not None:
            system = SharedSystemClient._identifier_to_system.pop(ident, None)
            SharedSystemClient._identifier_to_refcount.pop(ident, None)
            if system is not None:
                system.stop()
        self._open()

    def _mark_own_write(self) -> None:
        self._checked = None
        self._bump()
        if self._seen is not None:
            self._seen = self.fingerprint()

    @locked
    def fingerprint(self) -> str:
        """Changes whenever a document is added, replaced or removed (for derived indexes).

        Every write sets a fresh random token in one registry record, so checking for changes
        costs one read by id, however many documents there are.
        """
        got = self.registry.get(ids=[_GENERATION], include=["metadatas"])
        metas = got.get("metadatas") or [{}]
        token = str((metas[0] or {}).get("token", "")) if got["ids"] else ""
        return hashlib.sha1(f"{token}\0{self.chunks.count()}\0{self.registry.count()}".encode()).hexdigest()

    def _bump(self) -> None:
        self.registry.upsert(ids=[_GENERATION], embeddings=[[1.0]],  # type: ignore[arg-type]
                             documents=[""], metadatas=[{"token": uuid.uuid4().hex, "id_scheme": self._scheme,
                                                         "encoders": self._complete}])

    def id_scheme(self) -> int:
        """The document-id scheme the library was written with (see ``kb.store.identity``)."""
        return self._scheme

    def _read_marks(self) -> tuple[int, str]:
        """The id scheme and the encoders every chunk has vectors of; a new library has all of them."""
        got = self.registry.get(ids=[_GENERATION], include=["metadatas"])
        every = ",".join(vs.name for vs in self.vector_sets)
        if got["ids"]:
            meta = (got.get("metadatas") or [{}])[0] or {}
            return int(meta.get("id_scheme", 1)), str(meta.get("encoders", self.primary))
        return (1, self.primary) if self.registry.count() else (ID_SCHEME, every)

    @locked
    def mark_complete(self, encoder: str) -> None:
        if not self.complete(encoder):
            self._complete = ",".join(filter(None, [*self._complete.split(","), encoder]))
            self._mark_own_write()

    @locked
    def set_id_scheme(self, scheme: int) -> None:
        self._scheme = scheme
        self._mark_own_write()

    @locked
    def registry_records(self) -> list[tuple[str, dict[str, Any]]]:
        return [(rid, dict(m or {})) for rid, m in self._iter(self.registry, include=["metadatas"])
                if rid != _GENERATION]

    # --- writes ---------------------------------------------------------------------------
    @locked
    def put_document(self, info: DocumentInfo, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]],
                     text_hashes: Sequence[str], sentences: Mapping[str, SentenceVectors]) -> None:
        """Chunks with the main vectors and each further encoder's sentence vectors, stale records of the
        document dropped, then the registry."""
        metas = [self.chunk_meta(c, info, h) for c, h in zip(chunks, text_hashes, strict=True)]
        stored = [StoredChunk(c.chunk_id, c.text, m) for c, m in zip(chunks, metas, strict=True)]
        self._write(stored, vectors, sentences)
        keep = {c.chunk_id for c in chunks}
        stale = [cid for cid, _ in self._iter(self.chunks, where={"doc_id": info.doc_id}) if cid not in keep]
        for i in range(0, len(stale), _PAGE):
            self.chunks.delete(ids=stale[i : i + _PAGE])
        for name, col in self.sentences.items():
            if name in sentences:
                col.drop_stale(info.doc_id, {record_id(c.chunk_id, pos) for c, sents in zip(chunks, sentences[name],
                                                                                             strict=True)
                                             for pos in range(len(sents))})
        self._register(info)
        self._mark_own_write()

    @locked
    def register(self, info: DocumentInfo) -> None:
        self._register(info)
        self._mark_own_write()

    @locked
    def copy_chunks(self, chunks: Sequence[StoredChunk], vectors: Sequence[Sequence[float]],
                    sentences: Mapping[str, SentenceVectors]) -> None:
        """Write chunks with their stored vectors as they are (a migration or a move: nothing embedded)."""
        self._write(chunks, vectors, sentences)

    @locked
    def put_sentence_vectors(self, encoder: str, chunks: Sequence[StoredChunk], vectors: SentenceVectors) -> None:
        """One further encoder's vectors for chunks already stored (completing an older library)."""
        self.sentences[encoder].write(chunks, vectors)
        self._mark_own_write()

    def _write(self, chunks: Sequence[StoredChunk], vectors: Sequence[Sequence[float]],
               sentences: Mapping[str, SentenceVectors]) -> None:
        for i in range(0, len(chunks), _PAGE):
            part = chunks[i : i + _PAGE]
            self.chunks.upsert(ids=[c.chunk_id for c in part], documents=[c.text for c in part],
                               embeddings=[list(v) for v in vectors[i : i + _PAGE]],  # type: ignore[arg-type]
                               metadatas=[_replacing(c.meta.to_store(), _CHUNK_KEYS) for c in part])
        for name, col in self.sentences.items():
            if name in sentences:
                col.write(chunks, sentences[name])

    def _register(self, info: DocumentInfo) -> None:
        meta = {**info.to_dict(), "id_scheme": ID_SCHEME}
        meta.pop("name", None)  # derived from the other documents when listed
        meta = _replacing(meta, _DOCUMENT_KEYS)
        self.registry.upsert(ids=[info.doc_id], embeddings=[[1.0]],  # type: ignore[arg-type]
                             documents=[info.title], metadatas=[meta])

    @locked
    def delete_document(self, doc_id: str) -> int:
        """Registry entry first, so a crash halfway leaves orphans that ``prune`` clears, not a ghost."""
        self.registry.delete(ids=[doc_id])
        ids = [cid for cid, _ in self._iter(self.chunks, where={"doc_id": doc_id})]
        for i in range(0, len(ids), _PAGE):
            self.chunks.delete(ids=ids[i : i + _PAGE])
        for col in self.sentences.values():
            col.delete_document(doc_id)
        self._mark_own_write()
        return len(ids)

    @locked
    def delete_orphans(self) -> int:
        """Chunks whose document has no registry entry (an interrupted first ingest)."""
        known = set(self.documents())
        ids = [cid for cid, m in self._iter(self.chunks, include=["metadatas"]) if (m or {}).get("doc_id") not in known]
        for i in range(0, len(ids), _PAGE):
            self.chunks.delete(ids=ids[i : i + _PAGE])
        for col in self.sentences.values():
            col.delete_orphans(known)
        self._mark_own_write()
        return len(ids)

    @staticmethod
    def chunk_meta(c: Chunk, info: DocumentInfo, text_hash: str) -> ChunkMeta:
        return ChunkMeta(doc_id=c.doc_id, ordinal=c.ordinal, lang=c.lang, start=c.start, end=c.end, page=c.page,
                         section=c.section, file=info.file, title=info.title, content_hash=info.content_hash,
                         text_hash=text_hash, ocr=c.ocr, furniture=",".join(map(str, c.furniture)))
