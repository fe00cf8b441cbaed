"""Chroma as the single source of truth: chunks with their vectors, and the document registry.

The registry is a second collection with one record per document. It is written *after* a
document's chunks, so a crash mid-write leaves a document whose registry hash is missing or
stale, and the next ingest rewrites it; chunk ids are deterministic (``doc_id::ordinal``) so a
rewrite upserts instead of duplicating.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from ..errors import NotFoundError, StoreError
from ..records import Chunk, DocumentInfo
from ..settings import Settings
from .identity import ID_SCHEME

_PAGE = 2000
# One question reads the change token several times (lexical, exact and store caches); within
# this many seconds the last answer stands, so a question costs one round trip, not ten.
RECHECK_SECONDS = 0.25
_GENERATION = "__generation__"  # registry record whose token changes on every write
T = TypeVar("T")


def _clean_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Chroma metadata takes str/int/float/bool only: drop ``None``."""
    return {k: v for k, v in meta.items() if v is not None}


def _client(settings: Settings) -> Any:
    """The Chroma client the settings point at: a server's, or the embedded store's (created)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if settings.chroma_url:
        return _http_client(settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir),
                                     settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False))


def library_names(settings: Settings) -> list[str]:
    """The libraries stored where the settings point (each is a collection plus its registry)."""
    if not settings.chroma_url and not (settings.chroma_dir / "chroma.sqlite3").exists():
        return []
    try:
        names = {c.name for c in _client(settings).list_collections()}
    except Exception as exc:  # noqa: BLE001 - chromadb raises its own hierarchy plus Rust errors
        raise StoreError(f"cannot list the libraries in {settings.chroma_url or settings.chroma_dir}: {exc}") from exc
    base, out = settings.collection, []
    for name in names:
        if name.endswith("__docs") or name + "__docs" not in names:
            continue  # a registry, or something that is not one of our libraries
        if name == base:
            out.append("default")
        elif name.startswith(base + "."):
            out.append(name[len(base) + 1:])
    return sorted(out)


def _http_client(settings: Settings) -> Any:
    """A client for a Chroma server, after a bounded reachability check (never a hang)."""
    import urllib.error
    import urllib.request
    from urllib.parse import urlparse

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    url = (settings.chroma_url or "").rstrip("/")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise StoreError(f"KB_CHROMA_URL must look like http://host:port, not '{url}'")
    headers = {}
    if settings.chroma_token is not None:
        headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
    try:
        req = urllib.request.Request(url + "/api/v2/heartbeat", headers=headers)
        with urllib.request.urlopen(req, timeout=settings.chroma_timeout):
            pass
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"cannot reach the Chroma server at {url} ({reason}); is it running?") from exc
    return chromadb.HttpClient(
        host=parsed.hostname, port=parsed.port or (443 if parsed.scheme == "https" else 80),
        ssl=parsed.scheme == "https", headers=headers, tenant=settings.chroma_tenant,
        database=settings.chroma_database, settings=ChromaSettings(anonymized_telemetry=False),
    )


def _locked(method: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(method)
    def wrapper(self: ChunkStore, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class ChunkStore:
    def __init__(self, settings: Settings, embed_model: str, embed_dim: int, create: bool = True) -> None:
        """``create=False``: a library that does not exist yet is an error, and nothing is created."""
        self._settings = settings
        self._embed = (embed_model, embed_dim)
        self._create = create
        self._scheme = ID_SCHEME  # read from the store on opening; only ``set_id_scheme`` changes it
        self._seen: str | None = None
        self._checked: tuple[float, str] | None = None
        # One lock around every Chroma call: a reload replaces the client under other threads.
        self._lock = threading.RLock()
        self._open()

    def _open(self) -> None:
        settings = self._settings
        embed_model, embed_dim = self._embed
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
        try:
            self._client = _client(settings)
            known = {c.name for c in self._client.list_collections()} if not self._create else set()
            if not self._create and settings.library_collection not in known:
                raise missing
            meta = {"embed_model": embed_model, "embed_dim": embed_dim}
            # embedding_function=None: we always pass vectors, and Chroma's default function
            # would try to download a model.
            self.chunks = self._client.get_or_create_collection(
                settings.library_collection,
                configuration={"hnsw": {"space": "cosine"}},
                metadata=meta,
                embedding_function=None,
            )
            self.registry = self._client.get_or_create_collection(
                settings.library_collection + "__docs", metadata={"role": "registry"}, embedding_function=None
            )
        except (StoreError, NotFoundError):
            raise
        except OSError as exc:
            raise StoreError(f"cannot open the store in {where}: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - chromadb raises its own hierarchy plus Rust errors
            raise StoreError(f"cannot open the Chroma store at {where}: {exc}") from exc
        self._scheme = self._read_scheme()
        stored = self.chunks.metadata or {}
        if stored.get("embed_model") not in (None, embed_model) or stored.get("embed_dim") not in (None, embed_dim):
            raise StoreError(
                f"collection '{settings.library_collection}' was built with {stored.get('embed_model')} "
                f"({stored.get('embed_dim')} dims), not {embed_model} ({embed_dim} dims); "
                "re-ingest into a new KB_COLLECTION or KB_DATA_DIR"
            )

    # --- registry -------------------------------------------------------------------------
    @_locked
    def documents(self) -> dict[str, DocumentInfo]:
        out: dict[str, DocumentInfo] = {}
        for rid, meta in self._iter(self.registry, include=["metadatas"]):
            if rid == _GENERATION:
                continue
            m = dict(meta or {})
            out[rid] = DocumentInfo(
                doc_id=rid,
                file=str(m.get("file", "")),
                title=str(m.get("title", rid)),
                lang=str(m.get("lang", "")),
                pages=int(m["pages"]) if "pages" in m else None,
                chunks=int(m.get("chunks", 0)),
                content_hash=str(m.get("content_hash", "")),
                ingested_at=str(m.get("ingested_at", "")),
                date=m.get("date"),
                source_url=m.get("source_url"),
                file_sha256=str(m.get("file_sha256", "")),
                source=str(m.get("source", "")),
                unit=str(m.get("unit", "pages")),
            )
        return out

    @_locked
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

    @_locked
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

    @_locked
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
                             documents=[""], metadatas=[{"token": uuid.uuid4().hex, "id_scheme": self._scheme}])

    def id_scheme(self) -> int:
        """The document-id scheme the library was written with (see ``kb.identity``)."""
        return self._scheme

    def _read_scheme(self) -> int:
        got = self.registry.get(ids=[_GENERATION], include=["metadatas"])
        if got["ids"]:
            return int(((got.get("metadatas") or [{}])[0] or {}).get("id_scheme", 1))
        return 1 if self.registry.count() else ID_SCHEME

    @_locked
    def set_id_scheme(self, scheme: int) -> None:
        self._scheme = scheme
        self._mark_own_write()

    # --- writes ---------------------------------------------------------------------------
    @_locked
    def put_document(self, info: DocumentInfo, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]],
                     text_hashes: Sequence[str]) -> None:
        ids = [c.chunk_id for c in chunks]
        for i in range(0, len(ids), _PAGE):
            part = chunks[i : i + _PAGE]
            self.chunks.upsert(
                ids=ids[i : i + _PAGE],
                embeddings=[list(v) for v in vectors[i : i + _PAGE]],  # type: ignore[arg-type]
                documents=[c.text for c in part],
                metadatas=[self._chunk_meta(c, info, h)
                           for c, h in zip(part, text_hashes[i : i + _PAGE], strict=True)],
            )
        keep = set(ids)
        stale = [cid for cid, _ in self._iter(self.chunks, where={"doc_id": info.doc_id}) if cid not in keep]
        if stale:
            self.chunks.delete(ids=stale)
        self._register(info)
        self._mark_own_write()

    @_locked
    def register(self, info: DocumentInfo) -> None:
        self._register(info)
        self._mark_own_write()

    @_locked
    def copy_chunks(self, rows: Sequence[tuple[str, str, dict[str, Any], Sequence[float]]]) -> None:
        """Write chunks with their stored vectors as they are (a migration or a move: nothing embedded)."""
        for i in range(0, len(rows), _PAGE):
            part = rows[i : i + _PAGE]
            self.chunks.upsert(ids=[r[0] for r in part], documents=[r[1] for r in part],
                               metadatas=[_clean_meta(r[2]) for r in part],
                               embeddings=[list(r[3]) for r in part])  # type: ignore[arg-type]

    @_locked
    def registry_records(self) -> list[tuple[str, dict[str, Any]]]:
        return [(rid, dict(m or {})) for rid, m in self._iter(self.registry, include=["metadatas"])
                if rid != _GENERATION]

    def _register(self, info: DocumentInfo) -> None:
        meta = _clean_meta({**info.to_dict(), "id_scheme": ID_SCHEME})
        meta.pop("name", None)  # derived from the other documents when listed
        self.registry.upsert(ids=[info.doc_id], embeddings=[[1.0]],  # type: ignore[arg-type]
                             documents=[info.title], metadatas=[meta])

    @_locked
    def delete_document(self, doc_id: str) -> int:
        """Registry entry first, so a crash halfway leaves orphans that ``prune`` clears, not a ghost."""
        self.registry.delete(ids=[doc_id])
        ids = [cid for cid, _ in self._iter(self.chunks, where={"doc_id": doc_id})]
        for i in range(0, len(ids), _PAGE):
            self.chunks.delete(ids=ids[i : i + _PAGE])
        self._mark_own_write()
        return len(ids)

    @_locked
    def delete_orphans(self) -> int:
        """Chunks whose document has no registry entry (an interrupted first ingest)."""
        known = set(self.documents())
        rows = self._iter(self.chunks, include=["metadatas"])
        orphans = [cid for cid, m in rows if (m or {}).get("doc_id") not in known]
        for i in range(0, len(orphans), _PAGE):
            self.chunks.delete(ids=orphans[i : i + _PAGE])
        self._mark_own_write()
        return len(orphans)

    # --- reads ----------------------------------------------------------------------------
    @_locked
    def query(
        self, vector: Sequence[float], n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, str, dict[str, Any], float]]:
        """Nearest chunks as ``(id, text, metadata, cosine similarity)``."""
        count = self.chunks.count()
        if count == 0:
            return []
        args: dict[str, Any] = {
            "query_embeddings": [list(vector)], "n_results": min(n, count), "where": where,
            "include": ["documents", "metadatas", "distances"],
        }
        try:
            res = self.chunks.query(**args)
        except Exception:  # noqa: BLE001 - a write by another process between sync() and now
            self.reload()
            res = self.chunks.query(**args)
        ids = res["ids"][0]
        docs = (res.get("documents") or [[]])[0] or []
        metas = (res.get("metadatas") or [[]])[0] or []
        dists = (res.get("distances") or [[]])[0] or []
        rows = zip(ids, docs, metas, dists, strict=False)
        return [(i, d or "", dict(m or {}), 1.0 - float(x)) for i, d, m, x in rows]

    def all_chunks(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        with self._lock:
            rows = list(self._all_chunks())
        yield from rows

    def _all_chunks(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for res in self._pages(self.chunks, ["documents", "metadatas"]):
            ids = res["ids"]
            docs = res.get("documents") or [""] * len(ids)
            metas = res.get("metadatas") or [{}] * len(ids)
            for cid, doc, meta in zip(ids, docs, metas, strict=False):
                yield cid, doc or "", dict(meta or {})

    @_locked
    def scan(self, vectors: bool) -> tuple[list[str], list[str], list[dict[str, Any]], list[Any]]:
        """Every chunk's id, text and metadata, and with ``vectors`` its stored vector blocks, in one read."""
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        blocks: list[Any] = []
        include = ["documents", "metadatas", "embeddings"] if vectors else ["documents", "metadatas"]
        for res in self._pages(self.chunks, include):
            n = len(res["ids"])
            ids.extend(res["ids"])
            texts.extend(t or "" for t in (res.get("documents") or [""] * n))
            metas.extend(dict(m or {}) for m in (res.get("metadatas") or [{}] * n))
            if vectors and n:
                blocks.append(res["embeddings"])
        return ids, texts, metas, blocks

    @_locked
    def document_chunks(
        self, doc_id: str, unit: bool = True
    ) -> tuple[list[str], list[str], list[dict[str, Any]], Any]:
        """One document's chunks in reading order: ids, texts, metadata and vectors (unit length by default)."""
        import numpy as np

        res = self.chunks.get(where={"doc_id": doc_id}, include=["documents", "metadatas", "embeddings"])
        embeddings = res.get("embeddings")
        rows = sorted(zip(res["ids"], res.get("documents") or [], res.get("metadatas") or [],
                          [] if embeddings is None else list(embeddings), strict=False),
                      key=lambda r: int((r[2] or {}).get("ordinal", 0)))
        vectors = np.asarray([r[3] for r in rows], dtype=np.float32).reshape(len(rows), -1)
        if unit:
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        return [r[0] for r in rows], [r[1] or "" for r in rows], [dict(r[2] or {}) for r in rows], vectors

    @_locked
    def document_texts(self, doc_id: str) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """One document's chunk ids, texts and metadata in reading order (no vectors)."""
        res = self.chunks.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        rows = sorted(zip(res["ids"], res.get("documents") or [], res.get("metadatas") or [], strict=False),
                      key=lambda r: int((r[2] or {}).get("ordinal", 0)))
        return [r[0] for r in rows], [r[1] or "" for r in rows], [dict(r[2] or {}) for r in rows]

    @_locked
    def count(self) -> int:
        return int(self.chunks.count())

    @_locked
    def stored_vectors(self, hashes: Sequence[str]) -> dict[str, list[float]]:
        """Vectors already stored for these embedded texts (a moved, copied or re-chunked file's)."""
        out: dict[str, list[float]] = {}
        wanted = sorted(set(hashes))
        for i in range(0, len(wanted), 500):
            res = self.chunks.get(where={"text_hash": {"$in": wanted[i : i + 500]}},
                                  include=["metadatas", "embeddings"])
            embeddings = res.get("embeddings")
            for meta, vec in zip(res.get("metadatas") or [], [] if embeddings is None else embeddings,
                                 strict=False):
                out.setdefault(str((meta or {}).get("text_hash")), [float(x) for x in vec])
        return out

    @staticmethod
    def _chunk_meta(c: Chunk, info: DocumentInfo, text_hash: str) -> dict[str, Any]:
        return _clean_meta({
            "doc_id": c.doc_id, "ordinal": c.ordinal, "lang": c.lang, "start": c.start, "end": c.end,
            "page": c.page, "section": c.section, "file": info.file, "title": info.title,
            "content_hash": info.content_hash, "text_hash": text_hash, "ocr": True if c.ocr else None,
        })

    @staticmethod
    def _iter(
        col: Any, where: dict[str, Any] | None = None, include: list[str] | None = None
    ) -> Iterator[tuple[str, Any]]:
        for res in ChunkStore._pages(col, include or [], where):
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
