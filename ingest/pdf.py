"""PDF text per page, with the failure modes users meet named plainly.

pypdf opens the file (encryption, damage and their messages, the title); pdfium reads each page's
lines with their size and place and pdfplumber its ruled tables (``pdf_layout``, ``pdf_tables``),
from which ``pdf_structure`` writes headings, paragraphs and table rows and drops page furniture.
A file pdfium cannot read keeps pypdf's text layer, as before.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from kb.errors import IngestError

from .clean import useful_pdf_title
from .loaded import LoadedFile
from .ocr import OnPage, need_ocr, ocr_available, ocr_pdf_pages
from .pdf_layout import PageLayout, page_lines
from .pdf_structure import structured_pages
from .pdf_tables import find_tables, ruled_pages

_DIGITS_RE = re.compile(r"\d+")


def strip_running_lines(pages: list[str]) -> list[str]:
    """Drop page headers and footers: lines at the top or bottom of a page that recur (digits
    aside, so "Page 3 of 12" matches "Page 4 of 12") on at least half of the pages."""
    if len(pages) < 3:
        return pages

    def key(line: str) -> str:
        return _DIGITS_RE.sub("#", line.strip())

    counts: dict[str, int] = {}
    for page in pages:
        lines = [ln for ln in page.splitlines() if ln.strip()]
        for k in {key(ln) for ln in lines[:3] + lines[-3:]}:
            counts[k] = counts.get(k, 0) + 1
    running = {k for k, c in counts.items() if c >= max(3, len(pages) // 2) and len(k) <= 80}
    if not running:
        return pages
    out = []
    for page in pages:
        lines = page.splitlines()
        edge = {i for i, ln in enumerate(lines) if ln.strip()}
        ordered = sorted(edge)
        ends = set(ordered[:3] + ordered[-3:])
        kept = "\n".join(ln for i, ln in enumerate(lines) if not (i in ends and key(ln) in running))
        # A page made only of the repeated line (the same slide or label on every page) is
        # content, not a header: keep it whole.
        out.append(kept if kept.strip() else page)
    return out


def _pypdf_text(page: Any) -> str:
    try:
        return page.extract_text() or ""
    except Exception:  # noqa: BLE001 - one broken page should not lose the others
        return ""


def read_layouts(data: bytes, pages: int) -> list[PageLayout] | None:
    """Every page's lines and ruled tables by pdfium; None when pdfium cannot read the file the
    way pypdf did (then pypdf's text is used, as before structure was read)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - pdfium refuses some files pypdf repairs
        return None
    try:
        if len(pdf) != pages:
            return None
        tables = find_tables(data, ruled_pages(pdf))
        return [page_lines(pdf[i], tables.get(i, [])) for i in range(pages)]
    except Exception:  # noqa: BLE001 - a damaged page: the text layer as pypdf reads it
        return None
    finally:
        pdf.close()


def _text_of(layout: PageLayout) -> str:
    """A page's plain text, to decide whether it needs OCR."""
    rows = ["; ".join(r) for t in layout.tables for r in t.rows]
    return "\n".join([ln.text for ln in layout.lines] + rows)


def _structured(layouts: list[PageLayout], pages: list[str], ocr_pages: set[int], title: str) -> list[str]:
    """Pages with a text layer as structure reads them; pages read by OCR as OCR read them, with
    their own running lines dropped."""
    for number in ocr_pages:
        layouts[number - 1] = PageLayout(layouts[number - 1].width, layouts[number - 1].height)
    out = structured_pages(layouts, title)
    read = sorted(n - 1 for n in ocr_pages)
    for index, text in zip(read, strip_running_lines([pages[i] for i in read]), strict=True):
        out[index] = text
    return out


# A page with fewer visible characters than this in its text layer is read by OCR (a scan with a
# stamped page number or "Scanned by ..." line has a few).
_MIN_TEXT_CHARS = 20


def _visible(text: str) -> int:
    return sum(not ch.isspace() for ch in text)


def _garbled(text: str) -> bool:
    """Mostly U+FFFD: a text layer whose font has no usable character map."""
    visible = _visible(text)
    return bool(visible) and text.count("\ufffd") / visible > 0.3


def _needs_ocr(text: str) -> bool:
    return _visible(text) < _MIN_TEXT_CHARS or _garbled(text)


def load_pdf(data: bytes, ocr: bool = True, on_ocr_page: OnPage | None = None) -> LoadedFile:
    """Pages from the text layer; pages without one (scans) or with a broken one read by OCR."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise IngestError("not a PDF file (no %PDF header)", "not_pdf")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - pypdf raises several types for bad crypto
                raise IngestError("PDF is encrypted and needs a password", "pdf_encrypted") from exc
            if not ok:
                raise IngestError("PDF is encrypted and needs a password", "pdf_encrypted")
        meta: dict[str, str] = {}
        info = reader.metadata
        if info is not None and info.title and str(info.title).strip():
            meta["pdf_title"] = str(info.title).strip()
        layouts = read_layouts(data, len(reader.pages))
        pages = [_text_of(lay) for lay in layouts] if layouts else [_pypdf_text(page) for page in reader.pages]
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise IngestError("PDF is encrypted and needs a password", "pdf_encrypted") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:120]}"
        raise IngestError(f"damaged or truncated PDF ({detail})", "pdf_damaged", detail=detail) from exc
    except OSError as exc:
        raise IngestError(f"damaged or truncated PDF ({exc})", "pdf_damaged", detail=exc) from exc
    except Exception as exc:  # noqa: BLE001 - pypdf surfaces arbitrary errors on hostile files
        detail = f"{type(exc).__name__}: {str(exc)[:120]}"
        raise IngestError(f"unreadable PDF ({detail})", "pdf_damaged", detail=detail) from exc
    if not pages:
        raise IngestError("PDF has no pages", "pdf_no_pages")
    scanned = [i for i, p in enumerate(pages) if _needs_ocr(p)]
    ocr_pages: set[int] = set()
    if scanned and ocr and ocr_available():
        for index, text in ocr_pdf_pages(data, scanned, on_ocr_page).items():
            if _visible(text) > _visible(pages[index].replace("\ufffd", "")):
                pages[index] = text
                ocr_pages.add(index + 1)
    if layouts:
        pages = _structured(layouts, pages, ocr_pages, useful_pdf_title(meta.get("pdf_title")) or "")
    else:
        pages = strip_running_lines(pages)
    if not any(p.strip() for p in pages):
        if ocr_pages or not scanned:
            raise IngestError("no extractable text", "no_text")
        if not ocr:
            raise IngestError("no extractable text (a scanned PDF; OCR is turned off by KB_OCR=false)", "scan_ocr_off")
        if ocr_available():
            raise IngestError("no text found, not even by OCR (blank pages or pictures without words)",
                              "scan_no_text")
        raise need_ocr("no extractable text (a scanned PDF)", "scan_no_ocr")
    if _garbled("".join(pages)):
        if not ocr_available():
            raise need_ocr("text layer is unreadable (broken font encoding)", "garbled_no_ocr")
        raise IngestError("text layer is unreadable (broken font encoding)", "garbled")
    return LoadedFile(pages=pages, paged=True, meta=meta, ocr_pages=frozenset(ocr_pages))
