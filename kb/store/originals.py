"""A stored document's original file and its full text, for checking a citation in context.

Only documents the library holds are reachable, and only by doc id: no path given by a caller
ever reaches the disk, the path comes from the registry. The full text is rebuilt from the stored
chunks (Chroma is the source of truth; a file may have moved, changed or be on another machine):
each chunk's text sits at its character offsets in the cleaned document, so the rebuilt text has
the same offsets as the citations.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import NotFoundError
from ..records import DocumentInfo
from .chroma import ChunkStore
from .identity import on_this_machine


@dataclass
class Passage:
    """Where one chunk sits in the rebuilt text."""

    chunk_id: str
    start: int
    end: int
    page: int | None
    section: str | None
    ocr: bool


@dataclass
class DocumentText:
    info: DocumentInfo
    text: str
    passages: list[Passage]


class Originals:
    def __init__(self, store: ChunkStore, shared: bool) -> None:
        self._store = store
        self._shared = shared

    def document(self, doc_id: str) -> DocumentInfo:
        """The document with exactly this id (never a path or a name: callers are web requests)."""
        info = self._store.documents().get(doc_id)
        if info is None:
            raise NotFoundError(f"no document with id '{doc_id[:40]}' in the knowledge base")
        return info

    def file(self, doc_id: str) -> tuple[DocumentInfo, Path]:
        """The document's file on this machine (as it is now: it may have changed since ingest)."""
        info = self.document(doc_id)
        path = Path(info.file)
        if not on_this_machine(info.source, self._shared):
            raise NotFoundError(f"the original of '{info.title}' is on another machine ({info.source})")
        if not path.is_file():
            raise NotFoundError(f"the original of '{info.title}' is no longer at {info.file}; "
                                "ingest it again from where it is now")
        return info, path

    def text(self, doc_id: str) -> DocumentText:
        info = self.document(doc_id)
        ids, texts, metas = self._store.document_texts(doc_id)
        end = max((int(m.get("start", 0)) + len(t) for t, m in zip(texts, metas, strict=True)), default=0)
        buffer = ["\n"] * end  # gaps between chunks (blank lines, dropped markup) read as line breaks
        passages = []
        for chunk_id, text, meta in zip(ids, texts, metas, strict=True):
            start = int(meta.get("start", 0))
            buffer[start : start + len(text)] = list(text)
            passages.append(Passage(chunk_id, start, start + len(text), meta.get("page"), meta.get("section"),
                                    bool(meta.get("ocr"))))
        return DocumentText(info, "".join(buffer), passages)

    def ocr_pages(self, doc_id: str) -> frozenset[int]:
        """The pages of a document that were read by OCR."""
        _, _, metas = self._store.document_texts(doc_id)
        return frozenset(int(m["page"]) for m in metas if m.get("ocr") and m.get("page") is not None)
