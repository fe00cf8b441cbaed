"""Word, PowerPoint and Excel files as Markdown-shaped text, so they share the cleaning, chunking
and citations of every other document.

Why Markdown: the chunker already turns headings into sections, and a section is what a citation
names. So a Word heading becomes a section; each slide becomes a section "Slide N: its title"
(speaker notes under it); each sheet is cut into sections of rows "Sheet S, rows a-b". Table rows
are written with their header ("Region: East; Revenue: 12.5"), so one row read alone still says
what its numbers are, and a question about a cell finds it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from kb.errors import IngestError

from .loaded import LoadedFile

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


def _row_text(header: list[str], row: list[str]) -> str:
    return "; ".join(f"{h}: {v}" if h else v for h, v in zip(header, row, strict=False) if v)


def _table_lines(rows: list[list[str]]) -> Iterator[str]:
    """The first row is the header; every other row is written with it."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return
    header = [c.strip() for c in rows[0]]
    if len(rows) == 1:
        yield "; ".join(c for c in header if c)
        return
    for row in rows[1:]:
        line = _row_text(header, [c.strip() for c in row])
        if line:
            yield line


def load_docx(data: bytes) -> LoadedFile:
    _opened(data, "Word")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise IngestError(f"cannot read this Word file: it is damaged ({type(exc).__name__})", "office_damaged",
                          kind="Word", detail=type(exc).__name__) from None
    parts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if not text:
                continue
            style = (block.style.name if block.style is not None else "") or ""
            level = _heading_level(style)
            parts.append(f"{'#' * level} {text}" if level else text)
        elif isinstance(block, Table):
            rows = [[_squash_space(cell.text) for cell in row.cells] for row in block.rows]
            parts.extend(_table_lines(rows))
    title = (document.core_properties.title or "").strip()
    return LoadedFile(pages=["\n\n".join(parts)], paged=False, meta={"title": title} if title else {})


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    if style.startswith("Heading "):
        number = style.removeprefix("Heading ").strip()
        return min(int(number), 6) if number.isdigit() else 0
    return 0


def _squash_space(text: str) -> str:
    return " ".join(text.split())


def load_pptx(data: bytes) -> LoadedFile:
    _opened(data, "PowerPoint")
    from pptx import Presentation

    try:
        deck = Presentation(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001
        raise IngestError(f"cannot read this PowerPoint file: it is damaged ({type(exc).__name__})",
                          "office_damaged", kind="PowerPoint", detail=type(exc).__name__) from None
    parts: list[str] = []
    first_title = ""
    for number, slide in enumerate(deck.slides, start=1):
        title_shape = slide.shapes.title
        title = _squash_space(title_shape.text_frame.text if title_shape is not None else "")
        first_title = first_title or title
        parts.append(f"# Slide {number}: {title}" if title else f"# Slide {number}")
        for shape in slide.shapes:
            if title_shape is not None and shape.shape_id == title_shape.shape_id:
                continue  # already the section's name (python-pptx hands out new proxies: no `is`)
            parts.extend(_shape_text(shape))
        frame = slide.notes_slide.notes_text_frame if slide.has_notes_slide else None
        notes = _squash_space(frame.text) if frame is not None else ""
        if notes:
            parts.append(f"Speaker notes: {notes}")
    # The document's title: its own, else the first slide's (not "Slide 1: …", the first heading)
    title = (deck.core_properties.title or "").strip() or first_title
    return LoadedFile(pages=["\n\n".join(parts)], paged=False, meta={"title": title} if title else {},
                      parts=(len(deck.slides), "slides"))


def _shape_text(shape: Any) -> Iterator[str]:
    if getattr(shape, "has_table", False) and shape.has_table:
        rows = [[_squash_space(cell.text) for cell in row.cells] for row in shape.table.rows]
        yield from _table_lines(rows)
    elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        for paragraph in shape.text_frame.paragraphs:
            text = _squash_space("".join(run.text for run in paragraph.runs))
            if text:
                yield text
    elif getattr(shape, "shapes", None) is not None:  # a group
        for inner in shape.shapes:
            yield from _shape_text(inner)


def load_xlsx(data: bytes) -> LoadedFile:
    _opened(data, "Excel")
    import openpyxl

    try:
        # data_only: a formula cell is read as the value Excel last computed and saved
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise IngestError(f"cannot read this Excel file: it is damaged ({type(exc).__name__})", "office_damaged",
                          kind="Excel", detail=type(exc).__name__) from None
    parts: list[str] = []
    try:
        for sheet in book.worksheets:
            rows = [(i, [_cell(v) for v in row]) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
            rows = [(i, r) for i, r in rows if any(r)]
            if not rows:
                continue
            (_, header), body = rows[0], rows[1:]
            if not body:
                parts.append(f"# Sheet {sheet.title}")
                parts.extend(_table_lines([header]))
                continue
            for start in range(0, len(body), ROWS_PER_SECTION):
                block = body[start : start + ROWS_PER_SECTION]
                parts.append(f"# Sheet {sheet.title}, rows {block[0][0]}-{block[-1][0]}")
                parts.extend(line for _, r in block if (line := _row_text(header, r)))
    finally:
        book.close()
    # The workbook's own title, else its first sheet's name (not "Sheet S, rows a-b", the first heading)
    own = (book.properties.title or "").strip() if book.properties is not None else ""
    title = own or (book.worksheets[0].title if book.worksheets else "")
    return LoadedFile(pages=["\n\n".join(parts)], paged=False, meta={"title": title} if title else {},
                      parts=(len(book.worksheets), "sheets"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _squash_space(str(value))
