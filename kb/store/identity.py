"""What makes two files the same document, and the short names users see.

A document is one file: its identity is the file's real path (links and ``..`` resolved), so
the same file reached as ``seeds/a.txt``, ``/home/me/seeds/a.txt`` or through its parent folder
is one document, and two files that share a name in folders that share a name are two. On a
Chroma server shared by several machines the same path on two machines is two files, so there
the identity also names the machine (its host name). The id is a hash of that key: stable,
safe in URLs and Chroma ids, and independent of how the user spelled the path.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterable
from pathlib import Path, PurePath

from ..records import DocumentInfo

ID_SCHEME = 2  # 1: "<folder name>/<relative path>" (collided across same-named folders)


def source_key(path: Path | str, shared: bool) -> str:
    """The real path, prefixed by this machine's name when the store is shared (``KB_CHROMA_URL``)."""
    real = os.path.realpath(os.path.expanduser(str(path)))
    return f"{socket.gethostname()}:{real}" if shared else real


def on_this_machine(key: str, shared: bool) -> bool:
    """Whether a document's file is one this machine can look at (always, without a shared store)."""
    return not shared or key.startswith(socket.gethostname() + ":")


def document_id(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def display_names(files: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``doc_id -> name``: the shortest tail of each file's path that no other document shares.

    ``report.txt`` when it is the only one; ``projA/docs/report.txt`` and
    ``projB/docs/report.txt`` when two folders hold one.
    """
    parts = {doc: PurePath(file).parts or (doc,) for doc, file in files}
    depth = dict.fromkeys(parts, 1)
    pending = set(parts)
    while pending:
        tails: dict[tuple[str, ...], list[str]] = {}
        for doc in parts:
            tails.setdefault(parts[doc][-depth[doc]:], []).append(doc)
        pending = {doc for group in tails.values() if len(group) > 1 for doc in group
                   if depth[doc] < len(parts[doc])}
        for doc in pending:
            depth[doc] += 1
    return {doc: "/".join(p[-depth[doc]:]).replace("//", "/") for doc, p in parts.items()}


def file_sha256(path: Path) -> str:
    """The hash of a file's bytes: two files with the same one are duplicates."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def text_hash(text: str) -> str:
    """Key of a stored vector: the exact text the model embedded (see ``kb.text.for_embedding``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def named(docs: list[DocumentInfo], shared: bool) -> list[DocumentInfo]:
    """Documents with their short names (``DocumentInfo.name``), sorted by name."""
    names = display_names((d.doc_id, d.source.partition(":")[2] if shared and ":" in d.source else d.file)
                          for d in docs)
    for d in docs:
        d.name = names.get(d.doc_id, d.file)
    return sorted(docs, key=lambda d: (d.name.casefold(), d.doc_id))
