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
        chunks = self._store.document_chunks(doc_id)
        end = max((c.meta.start + len(c.text) for c in chunks), default=0)
        buffer = ["\n"] * end  # gaps between chunks (blank lines, dropped markup) read as line breaks
        passages = []
        for c in chunks:
            start = c.meta.start
            buffer[start : start + len(c.text)] = list(c.text)
            passages.append(Passage(c.chunk_id, start, start + len(c.text), c.meta.page, c.meta.section, c.meta.ocr))
        return DocumentText(info, "".join(buffer), passages)

    def ocr_pages(self, doc_id: str) -> frozenset[int]:
        """The pages of a document that were read by OCR."""
        chunks = self._store.document_chunks(doc_id)
        return frozenset(c.meta.page for c in chunks if c.meta.ocr and c.meta.page is not None)
