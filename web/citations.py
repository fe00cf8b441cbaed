"""How a citation names its place, in the reader's language: the Sources panel, the API's
"Sources:" trailer and the CLI all say it the same way."""

from __future__ import annotations

from kb import Citation

from .i18n import t


def citation_location(c: Citation, lang: str) -> str:
    """"p. 3", "§ Results", "p. 3, read by OCR" (or their Chinese forms); empty when unknown."""
    where = t(lang, "page", page=c.page) if c.page is not None else f"§ {c.section}" if c.section else ""
    if c.ocr:
        return f"{where}{'，' if lang == 'zh' else ', '}{t(lang, 'read_by_ocr')}" if where else t(lang, "read_by_ocr")
    return where
