"""What every format's reader returns, in its own module so readers and the dispatcher in
``loaders`` do not import each other."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LoadedFile:
    """A file's text, page by page (one page for non-PDF formats), before cleaning."""

    pages: list[str]
    paged: bool  # True for PDFs: page numbers are meaningful for citations
    meta: dict[str, str] = field(default_factory=dict)
    parts: tuple[int, str] | None = None  # (count, unit) for files made of slides or sheets
    ocr_pages: frozenset[int] = frozenset()  # 1-based pages read by OCR (page 1 for a single image)
