"""Plain data passed between the core, the ingestion pipeline, the CLI and the UI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Chunk:
    """One citable passage. ``start``/``end`` are character offsets into the cleaned document text."""

    doc_id: str
    ordinal: int
    text: str
    lang: str
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    ocr: bool = False  # the text was read from an image by OCR (may hold recognition errors)

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}::{self.ordinal:05d}"


@dataclass
class DocumentInfo:
    """One ingested document, as listed by ``kb docs``."""

    doc_id: str
    file: str
    title: str
    lang: str
    pages: int | None  # how many ``unit``s the file has (PDF pages, slides, sheets); None for running text
    chunks: int
    content_hash: str
    ingested_at: str
    date: str | None = None
    source_url: str | None = None
    file_sha256: str = ""  # hash of the file's bytes: a file with the same one is a duplicate
    source: str = ""  # identity key: the real path (with the host name on a shared server)
    name: str = ""  # short readable name (shortest unique path tail), set when listed
    unit: str = "pages"  # what ``pages`` counts: "pages", "slides" or "sheets"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Hit:
    """A retrieved chunk with its fused relevance (0..1) and the retriever scores behind it."""

    chunk_id: str
    text: str
    meta: dict[str, Any]
    score: float
    dense: float | None = None
    lexical: float | None = None
    features: dict[str, float] = field(default_factory=dict)  # what the passage model weighed

    def to_dict(self) -> dict[str, Any]:
        """A search result as `kb search --json` and the REST API give it."""
        m = self.meta
        return {"chunk_id": self.chunk_id, "doc_id": m.get("doc_id"), "title": m.get("title"), "file": m.get("file"),
                "page": m.get("page"), "section": m.get("section"), "ocr": bool(m.get("ocr")),
                "score": round(self.score, 4), "text": self.text}


@dataclass
class Citation:
    n: int
    doc_id: str
    file: str
    title: str
    page: int | None
    section: str | None
    text: str
    score: float
    highlights: list[str] = field(default_factory=list)
    chunk_id: str = ""
    name: str = ""  # the document's short name (see ``DocumentInfo.name``)
    ocr: bool = False  # the passage was read by OCR: check it against the original


    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_hit(cls, n: int, hit: Hit, highlights: list[str]) -> Citation:
        m = hit.meta
        return cls(
            n=n, doc_id=str(m.get("doc_id", "")), file=str(m.get("file", "")), title=str(m.get("title", "")),
            page=int(m["page"]) if "page" in m else None, section=m.get("section"), text=hit.text,
            score=hit.score, highlights=highlights, chunk_id=hit.chunk_id, ocr=bool(m.get("ocr")),
        )


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    language: str
    refused: bool
    mode: str = "extractive"
    notice: str | None = None  # why the LLM did not answer, when it was asked to
    searched: str | None = None  # the stand-alone question retrieval used, when a follow-up was rewritten
    unsupported: list[str] = field(default_factory=list)  # LLM sentences no passage supports

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "answer": self.text,
            "language": self.language,
            "refused": self.refused,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
        }
        if self.notice:
            out["notice"] = self.notice
        if self.searched:
            out["searched"] = self.searched
        if self.unsupported:
            out["unsupported"] = self.unsupported
        return out


STATUSES = ("added", "updated", "moved", "unchanged", "duplicate", "removed", "failed")


@dataclass
class FileOutcome:
    """What ingestion did with one file: one of ``STATUSES`` (or "skipped"), with why when it matters.

    ``embedded`` counts the chunks that needed the model; the others re-used a stored vector.
    """

    path: str
    status: str
    doc_id: str | None = None
    chunks: int = 0
    reason: str | None = None
    embedded: int = 0
    duplicate_of: str | None = None  # the stored document a duplicate repeats (its name)
    reason_code: str | None = None  # ``reason`` by name, for translations (``IngestError.code``)
    reason_params: dict[str, str] = field(default_factory=dict)  # the details ``reason`` spells out


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": {s: self.count(s) for s in STATUSES},
            "chunks_embedded": sum(o.embedded for o in self.outcomes),
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
            "files": [asdict(o) for o in self.outcomes],
        }
