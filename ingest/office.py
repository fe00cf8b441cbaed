"""Word, PowerPoint and Excel files as Markdown-shaped text, so they share the cleaning, chunking
and citations of every other document.

Why Markdown: the chunker already turns headings into sections, and a section is what a citation
names. So a Word heading becomes a section; each slide becomes a section "Slide N: its title"
(speaker notes under it); each sheet is cut into sections of rows "Sheet S, rows a-b". Table rows
are written with their header and context ("Results 2026 · Table 1 · Region: East; Revenue:
12.5", see ``ingest.tables``), so one row read alone still says what its numbers are and whose.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from kb.errors import IngestError

from .loaded import LoadedFile
from .tables import context_line, default_caption, is_caption, split_title_row, table_lines

ROWS_PER_SECTION = 20  # spreadsheet rows under one "Sheet S, rows a-b" heading
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an encrypted Office file is an OLE container, not a zip


def _opened(data: bytes, kind: str) -> None:
    """Name the usual reasons an Office file cannot be read before a library raises its own."""
    if data.startswith(_OLE_MAGIC):
        raise IngestError(f"cannot read this {kind} file: it is password-protected (or in the old binary "
                          "format); save it without a password as .docx/.pptx/.xlsx and retry", "office_password",
                          kind=kind)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(f"cannot read this {kind} file: it is damaged (not a valid Office Open XML package)",
                          "office_not_ooxml", kind=kind)


def load_docx(data: bytes, name: str = "") -> LoadedFile:
    """Paragraphs with headings as Markdown headings; each table row with its context (title,
    section, caption) so a row read alone names its table. ``name``: the file's, for a title."""
    _opened(data, "Word")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise IngestError(f"cannot read this Word file: it is damaged ({type(exc).__name__})", "office_damaged",
                          kind="Word", detail=type(exc).__name__) from None
    own_title = (document.core_properties.title or "").strip()
    return LoadedFile(pages=["\n\n".join(_docx_parts(document, own_title, name))], paged=False,
                      meta={"title": own_title} if own_title else {})


def _docx_parts(document: Any, title: str, name: str) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    parts: list[str] = []
    section = previous = ""
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = _squash_space(block.text)
            if not text:
                continue
            level = _heading_level(block)
            if level:
                title = title or text
                section = text
                parts.append(f"{'#' * level} {text}")
            else:
                parts.append(text)
            previous = text
        elif isinstance(block, Table):
            tables += 1
            rows = [[_squash_space(cell.text) for cell in row.cells] for row in block.rows]
            sample = title + section + "".join(rows[0] if rows else [])
            caption = previous if is_caption(previous) else default_caption(tables, sample)
            parts.extend(table_lines(rows, context_line([title or name, section, caption])))
            previous = ""
    return parts


_HEADING_STYLE_RE = re.compile(r"^(?:heading|标题|überschrift|titre)\s*([1-9])$", re.I)


def _heading_level(paragraph: Any) -> int:
    """The level a paragraph's style (or a style it is based on) or its outline level gives it."""
    style = paragraph.style
    for _ in range(4):  # a custom style based on "Heading 2" is a heading too
        if style is None:
            break
        name = (style.name or "").strip()
        if name in {"Title", "标题"}:
            return 1
        m = _HEADING_STYLE_RE.match(name)
        if m:
            return min(int(m.group(1)), 6)
        style = style.base_style
    level = paragraph._p.xpath("./w:pPr/w:outlineLvl/@w:val")
    return min(int(level[0]) + 1, 6) if level and level[0].isdigit() and int(level[0]) < 9 else 0


def _squash_space(text: str) -> str:
    return " ".join(text.split())


def load_pptx(data: bytes, name: str = "") -> LoadedFile:
    _opened(data, "PowerPoint")
    from pptx import Presentation

    try:
        deck = Presentation(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001
        raise IngestError(f"cannot read this PowerPoint file: it is damaged ({type(exc).__name__})",
                          "office_damaged", kind="PowerPoint", detail=type(exc).__name__) from None
    parts: list[str] = []
    own_title = (deck.core_properties.title or "").strip()
    first_title = ""
    for number, slide in enumerate(deck.slides, start=1):
        title_shape = slide.shapes.title
        title = _squash_space(title_shape.text_frame.text if title_shape is not None else "")
        first_title = first_title or title
        parts.append(f"# Slide {number}: {title}" if title else f"# Slide {number}")
        context = context_line([own_title or first_title or name, title or f"Slide {number}"])
        for shape in slide.shapes:
            if title_shape is not None and shape.shape_id == title_shape.shape_id:
                continue  # already the section's name (python-pptx hands out new proxies: no `is`)
            parts.extend(_shape_text(shape, context))
        frame = slide.notes_slide.notes_text_frame if slide.has_notes_slide else None
        notes = _squash_space(frame.text) if frame is not None else ""
        if notes:
            parts.append(f"Speaker notes: {notes}")
    # The document's title: its own, else the first slide's (not "Slide 1: …", the first heading)
    title = own_title or first_title
    return LoadedFile(pages=["\n\n".join(parts)], paged=False, meta={"title": title} if title else {},
                      parts=(len(deck.slides), "slides"))


def _shape_text(shape: Any, context: str) -> Iterator[str]:
    if getattr(shape, "has_table", False) and shape.has_table:
        rows = [[_squash_space(cell.text) for cell in row.cells] for row in shape.table.rows]
        yield from table_lines(rows, context)
    elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        for paragraph in shape.text_frame.paragraphs:
            text = _squash_space("".join(run.text for run in paragraph.runs))
            if text:
                yield text
    elif getattr(shape, "shapes", None) is not None:  # a group
        for inner in shape.shapes:
            yield from _shape_text(inner, context)


def load_xlsx(data: bytes, name: str = "") -> LoadedFile:
    """Each sheet's rows with the header row and their context (workbook, sheet, the title row
    above the header if any), in sections of ``ROWS_PER_SECTION`` rows."""
    _opened(data, "Excel")
    import openpyxl

    try:
        # data_only: a formula cell is read as the value Excel last computed and saved
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise IngestError(f"cannot read this Excel file: it is damaged ({type(exc).__name__})", "office_damaged",
                          kind="Excel", detail=type(exc).__name__) from None
    own = (book.properties.title or "").strip() if book.properties is not None else ""
    parts: list[str] = []
    try:
        for sheet in book.worksheets:
            parts.extend(_sheet_parts(sheet, own or name))
    finally:
        book.close()
    # The workbook's own title, else its first sheet's name (not "Sheet S, rows a-b", the first heading)
    title = own or (book.worksheets[0].title if book.worksheets else "")
    return LoadedFile(pages=["\n\n".join(parts)], paged=False, meta={"title": title} if title else {},
                      parts=(len(book.worksheets), "sheets"))


def _sheet_parts(sheet: Any, title: str) -> Iterator[str]:
    numbered = [(i, [_cell(v) for v in row]) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    numbered = [(i, r) for i, r in numbered if any(r)]
    if not numbered:
        return
    caption, kept = split_title_row([r for _, r in numbered])
    numbered = numbered[len(numbered) - len(kept):]
    context = context_line([title, sheet.title, caption])
    (_, header), body = numbered[0], numbered[1:]
    if not body:
        yield f"# Sheet {sheet.title}"
        yield from table_lines([header], context)
        return
    for start in range(0, len(body), ROWS_PER_SECTION):
        block = body[start : start + ROWS_PER_SECTION]
        yield f"# Sheet {sheet.title}, rows {block[0][0]}-{block[-1][0]}"
        yield from table_lines([header] + [r for _, r in block], context)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _squash_space(str(value))
