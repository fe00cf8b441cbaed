"""Read a file into pages of text, per format, with clear reasons when it cannot be read."""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

from kb.errors import IngestError
from kb.text import CJK_RE

from .html_text import html_to_text
from .loaded import LoadedFile
from .office import load_docx, load_pptx, load_xlsx
from .pdf import load_pdf

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pptx", ".xlsx"}
SUPPORTED_NAMES = "PDF, TXT, MD, HTML, DOCX, PPTX, XLSX"
_LEGACY_OFFICE = {".doc": ".docx", ".ppt": ".pptx", ".xls": ".xlsx"}


def unsupported(suffix: str) -> str:
    """The reason a file type is refused, with the way out where there is one."""
    if suffix in _LEGACY_OFFICE:
        return (f"the old binary Office format '{suffix}' is not read; save the file as "
                f"'{_LEGACY_OFFICE[suffix]}' (Word, PowerPoint, Excel or LibreOffice can) and retry")
    return f"unsupported file type '{suffix or '(none)'}' (supported: {SUPPORTED_NAMES})"


_OFFICE = {".docx": load_docx, ".pptx": load_pptx, ".xlsx": load_xlsx}


def load_file(path: Path, max_bytes: int) -> LoadedFile:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(unsupported(suffix))
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    if size == 0:
        raise IngestError("empty file (0 bytes)")
    if size > max_bytes:
        raise IngestError(
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (KB_MAX_FILE_MB)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    if suffix == ".pdf":
        return load_pdf(data)
    if suffix in _OFFICE:
        return _OFFICE[suffix](data)
    text = decode_text(data)
    if suffix in {".html", ".htm"}:
        title, body = html_to_text(text)
        return LoadedFile(pages=[body], paged=False, meta={"title": title} if title else {})
    return LoadedFile(pages=[text], paged=False)


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
                raise IngestError(f"starts with a {codec.upper()} byte-order mark but is not valid {codec}") from exc
    if b"\x00" in data[:4096]:
        raise IngestError("looks like a binary file, not text (contains NUL bytes)")
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
        "cannot detect the text encoding (not UTF-8, UTF-16 or GB18030); save the file as UTF-8 and retry"
    )


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
