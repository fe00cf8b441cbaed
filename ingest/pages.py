"""A PDF page as an image with the sentences an answer used highlighted where they are printed.

Sentences are found by their characters, not guessed: the page's text layer (pypdfium2 gives each
character's box) is normalised the way citations are (NFKC, no whitespace, no line-end hyphens),
the sentence is looked up in it, and the boxes of exactly the matched characters are merged line
by line. A page read by OCR is read again the same way as at ingest and its line boxes are used,
with positions inside a line in proportion to the characters. A sentence not found is reported,
never placed approximately: a wrong highlight is worse than none.

A table row is quoted as written at ingest, with its context and column headers
("Ashgrove Foods · Table 1 · Region: West; 2023: 23.4", ``ingest.tables``), none of which is
printed on the row's line. Such a row is found by its cell values instead: all of them, in
order, within one line band, with nothing else printed in that band between or around them
(``_row_chars``); anything less is reported not found.

Our own code rather than a library's search (``FPDFText_FindStart``): that matches only exact
text, and the cited sentences went through cleaning (joined lines, full-width forms).
"""

from __future__ import annotations

import contextlib
import functools
import io
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .tables import row_values

DISPLAY_WIDTH = 1000  # pixels of a page image in the viewer (sharp on a 2x screen at 500 px wide)
_OCR_SCALE = 2.0  # as at ingest (``ingest.ocr``), so a re-read finds the same lines
_lock = threading.Lock()  # pdfium is not thread-safe


Box = tuple[float, float, float, float]  # left, top, right, bottom as fractions of the page


@dataclass
class PageHighlights:
    page: int
    pages: int
    boxes: list[Box] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # sentences not found on the page

    @property
    def found(self) -> bool:
        return not self.missing


def _squash(text: str) -> tuple[str, list[int]]:
    """Normalised characters and, for each, the index of the original character it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in "-\u00ad\x02" and (i + 1 >= len(text) or text[i + 1] in "\r\n"):
            continue  # a hyphen that breaks a word at a line end
        for n in unicodedata.normalize("NFKC", ch):
            if not n.isspace() and n != "\ufffe":
                out.append(n.casefold())
                index.append(i)
    return "".join(out), index


@dataclass
class _PageText:
    squashed: str
    index: list[int]  # squashed position -> position in ``boxes``
    boxes: list[Box]  # one per character of the page text, as fractions of the page
    pages: int


@contextlib.contextmanager
def _opened(path: str) -> Iterator[Any]:
    """The PDF open under the lock (pdfium is not thread-safe), closed after."""
    import pypdfium2 as pdfium

    with _lock:
        pdf = pdfium.PdfDocument(path)
        try:
            yield pdf
        finally:
            pdf.close()


@functools.lru_cache(maxsize=64)
def _text_layer(path: str, mtime: float, page_no: int) -> _PageText:
    with _opened(path) as pdf:
        page = pdf[page_no - 1]
        width, height = page.get_size()
        textpage = page.get_textpage()
        n = textpage.count_chars()
        chars = [textpage.get_text_range(i, 1) or " " for i in range(n)]
        boxes = []
        for i in range(n):
            left, bottom, right, top = textpage.get_charbox(i)
            boxes.append((left / width, 1 - top / height, right / width, 1 - bottom / height))
        pages = len(pdf)
    text = "".join(c[:1] for c in chars)
    squashed, index = _squash(text)
    return _PageText(squashed, index, boxes, pages)


@functools.lru_cache(maxsize=16)
def _ocr_layer(path: str, mtime: float, page_no: int) -> _PageText:
    """The page read by OCR again: each line's characters spread evenly over its box."""
    import numpy as np

    from ingest.ocr import ocr_engine

    with _opened(path) as pdf:
        image = pdf[page_no - 1].render(scale=_OCR_SCALE).to_pil().convert("RGB")
        pages = len(pdf)
    result = ocr_engine()(np.asarray(image))
    chars: list[str] = []
    boxes: list[Box] = []
    if result is not None and result.boxes is not None:
        for quad, line in zip(result.boxes, result.txts, strict=False):
            x0, x1 = float(quad[:, 0].min()) / image.width, float(quad[:, 0].max()) / image.width
            y0, y1 = float(quad[:, 1].min()) / image.height, float(quad[:, 1].max()) / image.height
            step = (x1 - x0) / max(1, len(line))
            for k, ch in enumerate(line):
                chars.append(ch)
                boxes.append((x0 + k * step, y0, x0 + (k + 1) * step, y1))
            chars.append("\n")
            boxes.append((x1, y0, x1, y1))
    squashed, index = _squash("".join(chars))
    return _PageText(squashed, index, boxes, pages)


def _lines(boxes: list[Box]) -> list[Box]:
    """Character boxes merged into one rectangle per printed line."""
    merged: list[list[float]] = []
    for left, top, right, bottom in boxes:
        if right <= left or bottom <= top:
            continue  # generated characters (line breaks) have empty boxes
        last = merged[-1] if merged else None
        # Same line: vertical overlap with it (punctuation boxes are small and sit low, so their
        # centres are off) and no jump back to the left margin.
        overlap = min(bottom, last[3]) - max(top, last[1]) if last else 0.0
        if last and overlap > 0.3 * min(bottom - top, last[3] - last[1]) and left >= last[0] - 0.01:
            last[0], last[1], last[2], last[3] = min(last[0], left), min(last[1], top), max(last[2], right), max(
                last[3], bottom)
        else:
            merged.append([left, top, right, bottom])
    return [(a, b, c, d) for a, b, c, d in merged]


def locate(path: Path, page_no: int, sentences: list[str], ocr: bool) -> PageHighlights:
    """Where on the page each sentence is printed; ``missing`` lists those that are not there."""
    mtime = path.stat().st_mtime
    layer = _ocr_layer(str(path), mtime, page_no) if ocr else _text_layer(str(path), mtime, page_no)
    out = PageHighlights(page_no, layer.pages)
    for sentence in sentences:
        needle, _ = _squash(sentence)
        at = layer.squashed.find(needle) if needle else -1
        found = range(at, at + len(needle)) if at >= 0 else _row_chars(layer, row_values(sentence))
        if not found:
            out.missing.append(sentence)
            continue
        chars = sorted({layer.index[i] for i in found})
        out.boxes.extend(_lines([layer.boxes[i] for i in chars]))
    return out


def _row_chars(layer: _PageText, cells: list[str]) -> list[int]:
    """Squashed positions of a table row found by its cell values: each value after the one before,
    all within the line band of the first, and no other character of that band between, before or
    after them (so "2.3" is not found inside "12.3", nor a row inside a longer line). [] if not so."""
    needles = [n for n in (_squash(c)[0] for c in cells) if n]
    if len(needles) < 2:
        return []
    text = layer.squashed
    at = text.find(needles[0])
    while at >= 0:
        band = _band(layer, range(at, at + len(needles[0])))
        if band is not None and not _in_band(layer, at - 1, band):
            found = _rest_of_row(layer, needles, at, band)
            if found is not None and not _in_band(layer, found[-1] + 1, band):
                return found
        at = text.find(needles[0], at + 1)
    return []


def _rest_of_row(layer: _PageText, needles: list[str], at: int, band: tuple[float, float]) -> list[int] | None:
    found = list(range(at, at + len(needles[0])))
    pos = found[-1] + 1
    for needle in needles[1:]:
        nxt = layer.squashed.find(needle, pos)
        if nxt < 0 or any(_in_band(layer, i, band) for i in range(pos, nxt)):
            return None
        span = range(nxt, nxt + len(needle))
        if not all(_in_band(layer, i, band) for i in span):
            return None
        found.extend(span)
        pos = span[-1] + 1
    return found


def _band(layer: _PageText, positions: range) -> tuple[float, float] | None:
    """The vertical extent (top, bottom) of the characters at these squashed positions, a quarter
    of its height wider each way (a comma or a period sits lower than the letters and digits)."""
    boxes = [b for b in (layer.boxes[layer.index[i]] for i in positions) if b[3] > b[1]]
    if not boxes:
        return None
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    pad = (bottom - top) / 4
    return top - pad, bottom + pad


def _in_band(layer: _PageText, pos: int, band: tuple[float, float]) -> bool:
    """The character at squashed ``pos`` is printed in the band: its vertical centre lies inside."""
    if pos < 0 or pos >= len(layer.index):
        return False
    box = layer.boxes[layer.index[pos]]
    if box[3] <= box[1]:
        return False
    return band[0] <= (box[1] + box[3]) / 2 <= band[1]


def page_count(path: Path) -> int:
    return _page_count(str(path), path.stat().st_mtime)


@functools.lru_cache(maxsize=256)
def _page_count(path: str, mtime: float) -> int:
    with _opened(path) as pdf:
        return len(pdf)


@functools.lru_cache(maxsize=32)
def _page_image(path: str, mtime: float, page_no: int) -> Any:
    with _opened(path) as pdf:
        page = pdf[page_no - 1]
        return page.render(scale=DISPLAY_WIDTH / page.get_width()).to_pil().convert("RGB")


HIGHLIGHT_FILL = (255, 213, 0, 96)  # translucent yellow, the text stays readable
HIGHLIGHT_EDGE = (230, 120, 0, 255)


def page_png(path: Path, page_no: int, boxes: list[Box], crop: bool = False) -> bytes:
    """The page rendered (cached) with the highlight rectangles drawn on it, as PNG.

    ``crop``: only the band of the page around the highlights (the top of the page without any),
    for the Sources panel, where a whole page would be too small to read."""
    from PIL import Image, ImageDraw

    base = _page_image(str(path), path.stat().st_mtime, page_no)
    image = base
    if boxes:
        overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        w, h = base.size
        for left, top, right, bottom in boxes:
            rect = (left * w - 2, top * h - 2, right * w + 2, bottom * h + 2)
            draw.rectangle(rect, fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_EDGE, width=2)
        image = Image.alpha_composite(base.convert("RGBA"), overlay).convert("RGB")
    if crop:
        top = max(0.0, min(b[1] for b in boxes) - 0.05) if boxes else 0.0
        bottom = min(1.0, max(b[3] for b in boxes) + 0.05) if boxes else 0.3
        if bottom - top < 0.22:
            top = max(0.0, min(top, 1.0 - 0.22))
            bottom = top + 0.22
        image = image.crop((0, int(top * image.height), image.width, int(bottom * image.height)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
