"""One-time upgrade of libraries written by earlier versions: document ids and vector keys.

Version 1 named a document ``<folder name>/<relative path>``, so two same-named folders shared
ids; documents now take their id from the file's real path (``kb.store.identity``). Each old
document is copied under its new id with its stored vectors (nothing is embedded), the new
registry entry is written, and only then the old entry and chunks are deleted: a run interrupted
at any point is finished by the next, and no document is ever dropped.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..records import StoredChunk
from ..text import for_embedding
from .chroma import ChunkStore
from .identity import ID_SCHEME, document_id, file_sha256, source_key, text_hash


def outdated(store: ChunkStore) -> list[str]:
    """Registry ids written under an older identity scheme."""
    return [rid for rid, meta in store.registry_records() if int((meta or {}).get("id_scheme", 1)) < ID_SCHEME]


def migrate(store: ChunkStore, shared: bool) -> int:
    """Move every old-scheme document to its new id; returns how many moved."""
    moved = 0
    docs = store.documents()
    for old_id in outdated(store):
        info = docs.get(old_id)
        if info is None:
            continue
        key = source_key(info.file, shared)
        new_id = document_id(key)
        path = Path(info.file)
        sha = file_sha256(path) if path.is_file() else ""
        if new_id != old_id:
            old = store.document_chunks(old_id)
            rows = []
            for c in old:
                meta = replace(c.meta, doc_id=new_id)
                # Version 1 embedded text as written; a vector is re-usable where that is what
                # the model reads now (any text without traditional characters).
                if for_embedding(c.text) == c.text:
                    meta.text_hash = text_hash(c.text)
                rows.append(StoredChunk(f"{new_id}::{meta.ordinal:05d}", c.text, meta))
            found = store.vectors_of([c.chunk_id for c in old])
            # Libraries of this age had no sentence vectors: those are completed after opening.
            store.copy_chunks(rows, [found[c.chunk_id].tolist() for c in old], {})
        info.doc_id, info.source, info.file_sha256 = new_id, key, sha
        store.register(info)
        if new_id != old_id:
            store.delete_document(old_id)
        moved += 1
    return moved
