"""Table rows written so that one row read alone still says what it is about.

Every reader (Word, PowerPoint, Excel, PDF, Markdown) hands its tables here. A row becomes one
line that names its context, then each cell with its column header:

    Ashgrove Foods · Revenue by region (million euros) · Region: West; 2023: 23.4

Why the context: a library holds many tables with the same columns (every company's revenue by
region); a row that only says "Region: West; 2023: 23.4" matches every one of them, and a question
about one company's cell is answered from another's. Each line is its own paragraph, so it is one
sentence for the answer: a question about a cell is answered with its row, not the whole table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from kb.text import CJK_RE

CONTEXT_SEPARATOR = " · "
# "Table 3: …", "Tab. 2", "表 1 …", "表一", "图表2": a line that names the table it stands next to.
CAPTION_RE = re.compile(r"^\s*(?:table|tab\.|表|图表)\s*[0-9一二三四五六七八九十]+", re.I)


def is_caption(text: str) -> bool:
    return bool(CAPTION_RE.match(text)) and len(text) <= 120


def squash_space(text: str) -> str:
    return " ".join(text.split())


def context_line(parts: Sequence[str | None]) -> str:
    """Context parts joined, each once: a part already said by an earlier one is left out
    (the section is often the caption's words, the title the sheet's name)."""
    kept: list[str] = []
    for part in parts:
        part = squash_space(part or "")
        folded = part.casefold()
        if part and not any(folded in k.casefold() for k in kept):
            kept = [k for k in kept if k.casefold() not in folded]
            kept.append(part)
    return CONTEXT_SEPARATOR.join(kept)


def default_caption(number: int, sample: str) -> str:
    """A table without a caption is named by its number, in the document's language."""
    return f"表{number}" if CJK_RE.search(sample) else f"Table {number}"


def row_text(header: Sequence[str], row: Sequence[str]) -> str:
    return "; ".join(f"{h}: {v}" if h else v for h, v in zip(header, row, strict=False) if v)


def row_values(line: str) -> list[str]:
    """The cell values of a row as ``table_lines`` writes it, in order, its context and column
    headers left out ("Ashgrove Foods · Table 1 · Region: West; 2023: 23.4" -> ["West", "23.4"]);
    [] for a line that is not a row of at least two cells. Used to find the row where it is printed:
    on the page a row shows its values only."""
    body = line.rsplit(CONTEXT_SEPARATOR, 1)[-1]
    parts = [p.strip() for p in body.split("; ")]
    if len(parts) < 2 or not all(parts):
        return []
    return [p.split(": ", 1)[1].strip() if ": " in p else p for p in parts]


def split_title_row(rows: list[list[str]]) -> tuple[str, list[list[str]]]:
    """A first row with a single filled cell above wider rows is the table's title, not its header
    (spreadsheets often start with "Revenue by region (million euros)" in A1)."""
    if len(rows) >= 3:
        filled = [c for c in rows[0] if c.strip()]
        if len(filled) == 1 and sum(1 for c in rows[1] if c.strip()) >= 2:
            return squash_space(filled[0]), rows[1:]
    return "", rows


def table_lines(rows: list[list[str]], context: str = "") -> Iterator[str]:
    """The first row is the header; every other row is written with it, after ``context``."""
    rows = [[squash_space(c) for c in r] for r in rows if any(c.strip() for c in r)]
    if not rows:
        return
    lead = context + CONTEXT_SEPARATOR if context else ""
    header = rows[0]
    if len(rows) == 1:
        yield lead + "; ".join(c for c in header if c)
        return
    for row in rows[1:]:
        line = row_text(header, row)
        if line:
            yield lead + line
