"""A PDF page's printed lines with where they sit and how they are set (font size, weight).

The text layer alone (pypdf's ``extract_text``) says nothing about a line's size or place, so a
heading reads like the sentence after it and a running header like body text. pypdfium2 (already
used to render pages) gives each character's box, font size and weight in C, fast enough to read
every character of a 300-page book. Lines follow pdfium's reading order and its line breaks; the
characters of tables found on the page (``ingest.pdf_tables``) are left out, since their rows are
written from the table's cells.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

from .pdf_tables import Table

_BOLD_WEIGHT = 600


@dataclass
class Line:
    """One printed line; coordinates in points from the page's top left."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    size: float  # the font size most of its characters have
    bold: bool

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass
class PageLayout:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


class _LineBuilder:
    def __init__(self) -> None:
        self.chars: list[str] = []
        self.boxes: list[tuple[float, float, float, float]] = []
        self.sizes: list[float] = []
        self.bold = 0

    def add(self, ch: str, box: tuple[float, float, float, float] | None, size: float, bold: bool) -> None:
        self.chars.append(ch)
        if box is not None:
            self.boxes.append(box)
            self.sizes.append(round(size * 2) / 2)
            self.bold += bold

    def below(self, box: tuple[float, float, float, float]) -> bool:
        """The character sits under this line: pdfium joined two lines (it does so at a hyphen)."""
        if not self.boxes:
            return False
        bottom = max(b[3] for b in self.boxes[-3:])
        return box[1] >= bottom - 0.25 * (box[3] - box[1])

    def line(self) -> Line | None:
        text = " ".join("".join(self.chars).split())
        if not text or not self.boxes:
            return None
        sizes = sorted(self.sizes)
        return Line(text, min(b[0] for b in self.boxes), min(b[1] for b in self.boxes),
                    max(b[2] for b in self.boxes), max(b[3] for b in self.boxes),
                    sizes[len(sizes) // 2], self.bold * 2 > len(self.boxes))


def page_lines(page: object, tables: list[Table]) -> PageLayout:
    """The page's lines (outside ``tables``), each with its box, size and weight."""
    import pypdfium2.raw as raw

    width, height = page.get_size()  # type: ignore[attr-defined]
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    layout = PageLayout(width, height, tables=tables)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    builder = _LineBuilder()
    try:
        for i in range(textpage.count_chars()):
            ch = chr(raw.FPDFText_GetUnicode(textpage, i) or 32)
            if ch in "\r\n":
                if (line := builder.line()) is not None:
                    layout.lines.append(line)
                builder = _LineBuilder()
                continue
            box = None
            if not ch.isspace() and raw.FPDFText_GetCharBox(textpage, i, left, right, bottom, top):
                box = (left.value, height - top.value, right.value, height - bottom.value)
                if any(t.holds(box) for t in tables):
                    continue
            if box is not None and builder.below(box):
                if (line := builder.line()) is not None:
                    layout.lines.append(line)
                builder = _LineBuilder()
            size = raw.FPDFText_GetFontSize(textpage, i) if box else 0.0
            bold = bool(box) and raw.FPDFText_GetFontWeight(textpage, i) >= _BOLD_WEIGHT
            builder.add(ch, box, size, bold)
        if (line := builder.line()) is not None:
            layout.lines.append(line)
    finally:
        textpage.close()
    return layout
