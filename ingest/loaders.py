"""Read a file into pages of text, per format, with clear reasons when it cannot be read."""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

from kb.errors import IngestError
from kb.records import FileOutcome
from kb.text import CJK_RE

from .html_text import html_to_text
from .legacy import LEGACY_OFFICE, convert_legacy, soffice_path
from .loaded import LoadedFile
from .ocr import OnPage, need_ocr, ocr_available, ocr_image_file
from .office import load_docx, load_pptx, load_xlsx
from .pdf import load_pdf

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"}
SUPPORTED_SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pptx", ".xlsx",
                      *IMAGE_SUFFIXES, *LEGACY_OFFICE}
SUPPORTED_NAMES = "PDF, TXT, MD, HTML, DOCX, PPTX, XLSX, PNG, JPEG, TIFF, WebP, DOC/PPT/XLS (with LibreOffice)"


def unsupported(suffix: str) -> IngestError:
    """The reason a file type is refused, with the way out where there is one."""
    return IngestError(f"unsupported file type '{suffix or '(none)'}' (supported: {SUPPORTED_NAMES})",
                       "unsupported", suffix=suffix or "(none)", supported=SUPPORTED_NAMES)


def refused(path: str, error: IngestError, status: str = "failed", doc_id: str | None = None) -> FileOutcome:
    """What ingestion reports for a file it could not take: the reason in words and by code."""
    return FileOutcome(path, status, doc_id, reason=str(error), reason_code=error.code, reason_params=error.params)


_OFFICE = {".docx": load_docx, ".pptx": load_pptx, ".xlsx": load_xlsx}


def load_file(path: Path, max_bytes: int, ocr: bool = True, on_ocr_page: OnPage | None = None) -> LoadedFile:
    """Read one file by its type; ``on_ocr_page(done, total)`` follows pages read by OCR."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise unsupported(suffix)
    if suffix in LEGACY_OFFICE and soffice_path() is None:
        raise IngestError(f"the old binary Office format '{suffix}' needs LibreOffice to be read: install it "
                          f"(apt install libreoffice-nogui) or save the file as '{LEGACY_OFFICE[suffix]}' and retry",
                          "needs_libreoffice", suffix=suffix, modern=LEGACY_OFFICE[suffix])
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}", "unreadable", detail=exc.strerror or exc) from exc
    if size == 0:
        raise IngestError("empty file (0 bytes)", "empty")
    if size > max_bytes:
        raise IngestError(
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1048576:.3g} MB limit (KB_MAX_FILE_MB)",
            "too_large", size=f"{size / 1e6:.1f}", limit=f"{max_bytes / 1048576:.3g}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}", "unreadable", detail=exc.strerror or exc) from exc
    if suffix == ".pdf":
        return load_pdf(data, ocr, on_ocr_page)
    if suffix in IMAGE_SUFFIXES:
        return _load_image(data, ocr, on_ocr_page)
    name = readable_name(path)
    if suffix in LEGACY_OFFICE:
        return _OFFICE[LEGACY_OFFICE[suffix]](convert_legacy(path, suffix), name)
    if suffix in _OFFICE:
        return _OFFICE[suffix](data, name)
    text = decode_text(data)
    if suffix in {".html", ".htm"}:
        title, body = html_to_text(text)
        return LoadedFile(pages=[body], paged=False, meta={"title": title} if title else {})
    return LoadedFile(pages=[text], paged=False)


def readable_name(path: Path) -> str:
    """The file's name as words ("ashgrove_foods-2023.xlsx" -> "ashgrove foods 2023"): a table's
    context when the file has no title of its own."""
    return " ".join(path.stem.replace("_", " ").replace("-", " ").split())


def _load_image(data: bytes, ocr: bool, on_page: OnPage | None) -> LoadedFile:
    """An image is a document of its own, read by OCR; a multi-page TIFF keeps its page numbers."""
    if not ocr:
        raise IngestError("an image is read by OCR, which is turned off (KB_OCR=false)", "image_ocr_off")
    if not ocr_available():
        raise need_ocr("an image is read by OCR", "image_no_ocr")
    texts = ocr_image_file(data, on_page)
    if not any(t.strip() for t in texts):
        raise IngestError("no text found in the image (OCR read nothing)", "image_no_text")
    paged = len(texts) > 1
    read = frozenset(i for i, t in enumerate(texts, start=1) if t.strip())
    return LoadedFile(pages=texts, paged=paged, ocr_pages=read if paged else frozenset({1}))


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> str:
    """Decode by evidence, not by guessing one codec: BOM, then strict UTF-8, then GB18030, then detection.

    GB18030 (a superset of GBK and GB2312) is tried before statistical detection because
    detectors confuse short GBK texts with other double-byte codecs; its result is kept only if
    it reads as Chinese text.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise IngestError(f"starts with a {codec.upper()} byte-order mark but is not valid {codec}",
                                  "bad_bom", codec=codec.upper()) from exc
    if b"\x00" in data[:4096]:
        raise IngestError("looks like a binary file, not text (contains NUL bytes)", "binary")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _reads_as_text(text, want_cjk=True):
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    logging.getLogger("charset_normalizer").setLevel(logging.ERROR)
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if text and _reads_as_text(text, want_cjk=False):
            return text
    raise IngestError(
        "cannot detect the text encoding (not UTF-8, UTF-16 or GB18030); save the file as UTF-8 and retry",
        "unknown_encoding")


def _reads_as_text(text: str, want_cjk: bool) -> bool:
    """True when nearly every character is printable and, for GB18030, mostly common Chinese."""
    if not text:
        return False
    sample = text[:20_000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    if bad / len(sample) > 0.01:
        return False
    if want_cjk:
        non_ascii = [ch for ch in sample if ord(ch) > 127]
        if not non_ascii:
            return True
        common = sum(
            1 for ch in non_ascii if CJK_RE.match(ch) or 0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFFEF
        )
        return common / len(non_ascii) > 0.8
    return True
