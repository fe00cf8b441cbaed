"""Plain data passed between the core, the ingestion pipeline, the CLI and the UI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple


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
    furniture: list[int] = field(default_factory=list)  # sentence positions never quoted (set when stored)

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

    @classmethod
    def from_store(cls, doc_id: str, d: Mapping[str, Any] | None) -> DocumentInfo:
        """A registry record as Chroma holds it (flat scalars; fields added later may be missing)."""
        m = dict(d or {})
        return cls(
            doc_id=doc_id, file=str(m.get("file", "")), title=str(m.get("title", doc_id)), lang=str(m.get("lang", "")),
            pages=int(m["pages"]) if "pages" in m else None, chunks=int(m.get("chunks", 0)),
            content_hash=str(m.get("content_hash", "")), ingested_at=str(m.get("ingested_at", "")),
            date=m.get("date"), source_url=m.get("source_url"), file_sha256=str(m.get("file_sha256", "")),
            source=str(m.get("source", "")), unit=str(m.get("unit", "pages")),
        )


@dataclass
class ChunkMeta:
    """What the store keeps beside a chunk's text and vectors: where it comes from and how to cite it.

    Chroma holds metadata as flat dicts of scalars; this record is the one place that knows the
    keys, so no other module reads a chunk's fields by name out of a dict.
    """

    doc_id: str
    ordinal: int
    lang: str
    start: int = 0
    end: int = 0
    page: int | None = None
    section: str | None = None
    file: str = ""
    title: str = ""
    content_hash: str = ""
    text_hash: str = ""  # hash of the exact text the models embedded (vectors are re-used by it)
    ocr: bool = False
    furniture: str = ""  # positions of sentences never quoted (bylines, disclaimers...), "0,3"

    @property
    def furniture_positions(self) -> frozenset[int]:
        return frozenset(int(p) for p in self.furniture.split(",") if p)

    @classmethod
    def from_store(cls, d: Mapping[str, Any] | None) -> ChunkMeta:
        d = d or {}
        page = d.get("page")
        section = d.get("section")
        return cls(
            doc_id=str(d.get("doc_id", "")), ordinal=int(d.get("ordinal", -1)), lang=str(d.get("lang", "")),
            start=int(d.get("start", 0)), end=int(d.get("end", 0)), page=None if page is None else int(page),
            section=None if section is None else str(section), file=str(d.get("file", "")),
            title=str(d.get("title", "")), content_hash=str(d.get("content_hash", "")),
            text_hash=str(d.get("text_hash", "")), ocr=bool(d.get("ocr")), furniture=str(d.get("furniture", "")),
        )

    def to_store(self) -> dict[str, Any]:
        """Chroma's form: scalars only, ``None`` and a false ``ocr`` left out (older libraries lack them)."""
        d = {k: v for k, v in asdict(self).items() if v is not None}
        if not self.ocr:
            d.pop("ocr")
        if not self.furniture:
            d.pop("furniture")
        return d


@dataclass
class StoredChunk:
    """A chunk as the library holds it: id, text and typed metadata."""

    chunk_id: str
    text: str
    meta: ChunkMeta

    @property
    def lang(self) -> str:
        return self.meta.lang


@dataclass
class Hit:
    """A retrieved chunk with its fused relevance (0..1) and the retriever scores behind it."""

    chunk_id: str
    text: str
    meta: ChunkMeta
    score: float
    dense: float | None = None
    lexical: float | None = None
    features: dict[str, float] = field(default_factory=dict)  # what the passage model weighed
    sentences: dict[str, dict[int, float]] = field(default_factory=dict)  # encoder -> sentence position -> sim

    def to_dict(self) -> dict[str, Any]:
        """A search result as `kb search --json` and the REST API give it."""
        m = self.meta
        return {"chunk_id": self.chunk_id, "doc_id": m.doc_id, "title": m.title, "file": m.file,
                "page": m.page, "section": m.section, "ocr": m.ocr, "score": round(self.score, 4),
                "text": self.text}


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
        return cls(n=n, doc_id=m.doc_id, file=m.file, title=m.title, page=m.page, section=m.section, text=hit.text,
                   score=hit.score, highlights=highlights, chunk_id=hit.chunk_id, ocr=m.ocr)


class Turn(NamedTuple):
    """One earlier exchange of a conversation: the one form history takes in ``kb`` (the UI's turns and
    an API's messages are converted to it at the edge)."""

    question: str
    answer: str  # the answer's text as the reader saw it


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
    # With a refusal, the passages searched that came nearest: none answers, but a reader sees what the
    # library holds on the subject (the partnership, when its price is what was asked) and can check.
    related: list[Citation] = field(default_factory=list)

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
        if self.related:
            out["related"] = [c.to_dict() for c in self.related]
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
