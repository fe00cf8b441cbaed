"""How a citation names its source, in the reader's language: the document's title and its place
(page or section) first, the file name second. The Sources panel, the API's "Sources:" trailer and
the CLI all say it the same way, so a reader meets "Hollywood shuts out Sora, p. 3" rather than
``001_d087a9b4bca2ef81.txt``."""

from __future__ import annotations

from pathlib import PurePath

from kb import Citation

from .i18n import t


def citation_location(c: Citation, lang: str) -> str:
    """"p. 3", "§ Results", "p. 3, read by OCR" (or their Chinese forms); empty when unknown. A
    section that only repeats the title (a document's first heading is often its title) says nothing."""
    section = c.section if c.section and c.section.strip() != c.title.strip() else None
    where = t(lang, "page", page=c.page) if c.page is not None else f"§ {section}" if section else ""
    if c.ocr:
        return f"{where}{_comma(lang)}{t(lang, 'read_by_ocr')}" if where else t(lang, "read_by_ocr")
    return where


def source_name(c: Citation) -> str:
    """The document's short name (the file name, or as much of the path as tells it apart)."""
    return c.name or PurePath(c.file).name or c.doc_id


def citation_heading(c: Citation, lang: str) -> str:
    """"Title, p. 3": the title (the file name when the document has none) and the place."""
    where = citation_location(c, lang)
    title = c.title.strip() or source_name(c)
    return f"{title}{_comma(lang)}{where}" if where else title


def citation_file(c: Citation) -> str:
    """The file name to show after the heading; empty when the heading already names the file."""
    name = source_name(c)
    return "" if name == (c.title.strip() or name) else name


def citation_line(c: Citation, lang: str) -> str:
    """One line: "Title, p. 3 (report.pdf)"; Chinese: "标题，第 3 页（report.pdf）"."""
    file = citation_file(c)
    if not file:
        return citation_heading(c, lang)
    return f"{citation_heading(c, lang)}（{file}）" if lang == "zh" else f"{citation_heading(c, lang)} ({file})"


def _comma(lang: str) -> str:
    return "，" if lang == "zh" else ", "
