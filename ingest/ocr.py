"""Text from page images: RapidOCR (PP-OCR detection and recognition for Chinese and English,
models inside the wheel, run on the ONNX runtime, no network), and pypdfium2 to render PDF pages.

Both are the optional ``ocr`` extra (about 190 MB, mostly OpenCV): without them a scan is refused
with the one command that adds them. The engine loads once per process (0.6 s) and is shared.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import logging
import statistics
from collections.abc import Callable
from typing import Any

from kb.errors import IngestError

OCR_INSTALL = "pip install 'kb-docqa[ocr]'  (in this checkout: make install)"
# Pages are rendered at 144 dpi: 10-point text is then ~20 px high, which the recogniser reads
# reliably; higher resolutions cost time and gain nothing measurable on our test pages.
_RENDER_SCALE = 2.0
# Image pixels read at once; larger images are scaled down first (a 50-megapixel photo would take
# minutes and gigabytes, and text on it is legible at this size).
_MAX_PIXELS = 12_000_000

OnPage = Callable[[int, int], None]


def ocr_available() -> bool:
    try:
        return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "pypdfium2"))
    except (ImportError, ValueError):  # a module set to None in sys.modules: treated as not installed
        return False


def need_ocr(what: str, code: str) -> IngestError:
    """``what`` could not be read without OCR; ``code`` names that reason (``IngestError.code``)."""
    return IngestError(f"{what}; OCR is not installed, add it with: {OCR_INSTALL}", code, install=OCR_INSTALL)


@functools.lru_cache(maxsize=1)
def ocr_engine() -> Any:
    from rapidocr import RapidOCR

    for name in ("RapidOCR", "rapidocr"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # No text-direction classifier: on long horizontal lines of English it flips about one line in
    # ten by 180 degrees and reads it as noise (character accuracy 0.75 -> 0.99 without it on our
    # pages, `benchmarks/bench_ocr.py`); upside-down lines are rare in scans.
    return RapidOCR(params={"Global.log_level": "critical", "Global.use_cls": False})


def read_image(image: Any) -> str:
    """The text of one page image, lines in reading order, paragraphs split at wide vertical gaps."""
    import numpy as np

    image = image.convert("RGB")
    if image.width * image.height > _MAX_PIXELS:
        factor = (_MAX_PIXELS / (image.width * image.height)) ** 0.5
        image = image.resize((max(1, int(image.width * factor)), max(1, int(image.height * factor))))
    result = ocr_engine()(np.asarray(image))
    if result is None or result.boxes is None or not result.txts:
        return ""
    return _paragraphs([(b[:, 1].min(), b[:, 1].max(), str(t)) for b, t in zip(result.boxes, result.txts,
                                                                               strict=False)])


def _paragraphs(lines: list[tuple[float, float, str]]) -> str:
    """Join OCR lines: a gap of more than ~0.8 line heights between lines starts a new paragraph."""
    lines = [ln for ln in lines if ln[2].strip()]
    if not lines:
        return ""
    height = statistics.median(bottom - top for top, bottom, _ in lines) or 1.0
    out: list[str] = []
    prev_bottom: float | None = None
    for top, bottom, text in lines:
        if prev_bottom is not None:
            out.append("\n\n" if top - prev_bottom > 0.8 * height else "\n")
        out.append(text.strip())
        prev_bottom = bottom
    return "".join(out)


def ocr_pdf_pages(data: bytes, pages: list[int], on_page: OnPage | None = None) -> dict[int, str]:
    """OCR the given pages (0-based) of a PDF; returns their text by page index."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"cannot render the PDF's pages for OCR ({exc})", "ocr_render_failed", detail=exc) from exc
    out: dict[int, str] = {}
    try:
        for done, index in enumerate(pages, start=1):
            page = pdf[index]
            try:
                out[index] = read_image(page.render(scale=_RENDER_SCALE).to_pil())
            finally:
                page.close()
            if on_page is not None:
                on_page(done, len(pages))
    finally:
        pdf.close()
    return out


def ocr_image_file(data: bytes, on_page: OnPage | None = None) -> list[str]:
    """Every frame of an image file (a multi-page TIFF has several), read by OCR."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = 200_000_000  # a bomb guard that still lets a 600-dpi A3 scan in
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:100]}"
        raise IngestError(f"damaged or unreadable image ({detail})", "damaged_image", detail=detail) from exc
    except Image.DecompressionBombError as exc:
        raise IngestError("image is too large to read (over 200 megapixels)", "image_too_large") from exc
    texts = []
    for done, frame in enumerate(frames, start=1):
        texts.append(read_image(frame))
        if on_page is not None:
            on_page(done, len(frames))
    return texts
