"""A PDF's pages as Markdown-shaped text: headings marked, page furniture gone, paragraphs whole,
tables as rows with their context.

Rules, each on what the page shows rather than on any one file:
- **Furniture**: a line in the top or bottom band of the page that recurs (digits aside) on at
  least 40 % of the pages (and on two at least) is a running header or footer; a page number ("第 3 页", "-36-",
  "Page 3 of 9", "3 / 9") in those bands is furniture on any page.
- **Headings**: a short line set at least 15 % larger than the body text (the size most
  characters have), or bold where the body is not, that does not end like a sentence. The larger
  the size, the higher the level. A heading wrapped over two lines is one heading.
- **Paragraphs**: lines are joined until a vertical gap, an indented line or a short line that
  ends a sentence; a line end inside a Chinese sentence or a number is joined without a space, a
  hyphenated word without its hyphen (the page highlight drops both, so quotes stay findable).
- **Tables** continued over a page break: a table that opens a page, right after the rows of one
  with as many columns on the page before, is that table's next part (same caption and header).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

from kb.text import CJK_RE

from .pdf_layout import Line, PageLayout
from .pdf_tables import Table
from .tables import context_line, default_caption, is_caption, table_lines

_BAND = 0.1  # top and bottom share of the page where headers, footers and page numbers sit
_RUNNING_SHARE = 0.4  # share of pages a line must recur on to be a running header or footer
_HEADING_RATIO = 1.15  # a heading is set this much larger than the body text
_MAX_HEADING_CHARS = 80
_PAGE_NUMBER_RE = re.compile(
    r"^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-–—]\s*\d+\s*[-–—]|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?"
    r"|\d+\s*/\s*\d+|\d{1,4})$",
    re.I,
)
_SENTENCE_END = tuple("。！？；，、,;:：.!?")
_DIGITS_RE = re.compile(r"\d+")


def structured_pages(layouts: list[PageLayout], title: str) -> list[str]:
    """Each page's text; ``title`` (the PDF's own, or "") names the tables' rows."""
    furniture = _furniture(layouts)
    body = _body_size(layouts, furniture)
    levels = _heading_levels(layouts, furniture, body)
    state = _State(title=title or _title_heading(layouts, levels))
    out = []
    for page_no, layout in enumerate(layouts):
        state.page = page_no
        lines = [ln for ln in layout.lines if (page_no, id(ln)) not in furniture]
        out.append("\n\n".join(_blocks(layout, lines, levels, state)))
    return out


class _State:
    """What the rows of a table are written with: the document's title, the last heading, and
    how many tables came before."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.section = ""
        self.tables = 0
        self.caption = ""  # the line just read, when it names a table (kept across a page break)
        # The header and name of the table whose rows were the last thing written: a table that
        # opens the next page with as many columns carries it on (``_rows``).
        self.open: tuple[list[str], str, int] | None = None
        self.page = 0

    def text(self, lines: list[Line]) -> str:
        """A paragraph is written: a table after it is a table of its own."""
        self.open = None
        return _joined(lines)


def _key(line: Line) -> str:
    return _DIGITS_RE.sub("#", "".join(line.text.split()))


def _in_band(line: Line, layout: PageLayout) -> bool:
    return line.bottom <= layout.height * _BAND or line.top >= layout.height * (1 - _BAND)


def _furniture(layouts: list[PageLayout]) -> set[tuple[int, int]]:
    """(page, id(line)) of running headers, footers and page numbers."""
    counts: Counter[str] = Counter()
    for layout in layouts:
        counts.update({_key(ln) for ln in layout.lines if _in_band(ln, layout)})
    need = max(2, math.ceil(len(layouts) * _RUNNING_SHARE))
    running = {k for k, c in counts.items() if c >= need}
    out = set()
    for page_no, layout in enumerate(layouts):
        for ln in layout.lines:
            if _in_band(ln, layout) and (_key(ln) in running or _PAGE_NUMBER_RE.match(ln.text.strip())):
                out.add((page_no, id(ln)))
    return out


def _body_size(layouts: list[PageLayout], furniture: set[tuple[int, int]]) -> float:
    sizes: Counter[float] = Counter()
    for page_no, layout in enumerate(layouts):
        for ln in layout.lines:
            if (page_no, id(ln)) not in furniture:
                sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_heading(line: Line, body: float, body_bold: bool) -> bool:
    text = line.text.strip()
    if not text or len(text) > _MAX_HEADING_CHARS or text.endswith(_SENTENCE_END):
        return False
    if not (CJK_RE.search(text) or re.search(r"[A-Za-z]{2}", text)):
        return False
    return line.size >= body * _HEADING_RATIO or (line.bold and not body_bold and line.size >= body * 0.95)


def _heading_levels(layouts: list[PageLayout], furniture: set[tuple[int, int]], body: float) -> dict[int, int]:
    """id(line) -> heading level (1 for the largest size), for the lines that are headings."""
    bold = Counter(ln.bold for lay in layouts for ln in lay.lines for _ in range(len(ln.text)))
    body_bold = bold[True] > bold[False]
    heads = [ln for p, lay in enumerate(layouts) for ln in lay.lines
             if (p, id(ln)) not in furniture and _is_heading(ln, body, body_bold)]
    ranks = sorted({(ln.size, ln.bold) for ln in heads}, reverse=True)
    return {id(ln): min(ranks.index((ln.size, ln.bold)) + 1, 4) for ln in heads}


def _title_heading(layouts: list[PageLayout], levels: dict[int, int]) -> str:
    """The document's title when the PDF names none: its one largest heading, on page 1 (in a
    book of articles all set alike, no heading is the title)."""
    top = [ln for lay in layouts for ln in lay.lines if levels.get(id(ln)) == 1]
    first = layouts[0].lines if layouts else []
    return top[0].text if len(top) == 1 and any(ln is top[0] for ln in first) else ""


def _blocks(layout: PageLayout, lines: list[Line], levels: dict[int, int], state: _State) -> Iterator[str]:
    """The page's headings, paragraphs and table rows in reading order."""
    tables = sorted(layout.tables, key=lambda t: t.top)
    para: list[Line] = []
    pitch = _pitch(lines)
    for i, line in enumerate(lines):
        while tables and tables[0].top < line.top:
            if para:
                yield state.text(para)
                para = []
            yield from _rows(tables.pop(0), state)
        level = levels.get(id(line))
        if level is not None:
            if para:
                yield state.text(para)
                para = []
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if nxt is not None and levels.get(id(nxt)) == level and nxt.top - line.bottom < line.height:
                # A heading wrapped over two lines: its second line carries on
                nxt.text = _join_two(line.text, nxt.text)
                continue
            state.section, state.caption, state.open = line.text, "", None
            yield "#" * level + " " + line.text
            continue
        caption = is_caption(line.text)
        if para and (caption or state.caption or _new_paragraph(para[-1], line, layout, pitch)):
            yield state.text(para)
            para = []
        para.append(line)
        state.caption = line.text if caption else ""
    if para:
        yield state.text(para)
    for table in tables:
        yield from _rows(table, state)


def _rows(table: Table, state: _State) -> Iterator[str]:
    """The table's rows with its context. A table that follows the rows of one with as many
    columns, with nothing between but a page break (no caption, text or heading; furniture is
    gone), is that table continued: it keeps its name and header, and a first row that repeats
    the header is not written again."""
    rows = table.rows
    if (state.open is not None and state.open[2] < state.page and not state.caption
            and len(rows[0]) == len(state.open[0])):
        header, name, _ = state.open
        if rows[0] != header:
            rows = [header, *rows]
    else:
        state.tables += 1
        header = rows[0]
        name = state.caption or default_caption(state.tables, state.title + state.section + "".join(header))
    state.caption = ""
    state.open = (header, name, state.page)
    yield from table_lines(rows, context_line([state.title, state.section, name]))


def _pitch(lines: list[Line]) -> float:
    """The usual distance from one line's top to the next one's on this page."""
    steps = sorted(b.top - a.top for a, b in zip(lines, lines[1:], strict=False)
                   if 0 < b.top - a.top < 3 * max(a.height, b.height))
    return steps[len(steps) // 4] if steps else 0.0  # a low quantile: most steps on a page may be gaps


def _new_paragraph(prev: Line, line: Line, layout: PageLayout, pitch: float) -> bool:
    step = line.top - prev.top
    if step < 0 or step > max(pitch * 1.3, prev.height * 1.2) + 1 or abs(line.size - prev.size) > 1:
        return True
    if line.left > prev.left + 1.5 * line.size and line.top > prev.top:
        return True  # an indented first line
    short = prev.right < layout.width * 0.6
    return short and prev.text.rstrip().endswith(tuple("。！？.!?”\"）)"))


def _joined(lines: list[Line]) -> str:
    text = lines[0].text
    for line in lines[1:]:
        text = _join_two(text, line.text)
    return text


def _join_two(before: str, after: str) -> str:
    """Two wrapped lines as one: no space inside Chinese text or a number cut in two, no
    hyphen inside a hyphenated word, one space between English words."""
    if not before or not after:
        return before + after
    a, b = before[-1], after[0]
    if a in "-\u00ad\x02" and len(before) > 1 and before[-2].isalpha() and b.islower():
        return before[:-1] + after
    cjk_a, cjk_b = bool(CJK_RE.match(a)) or a in "，。、；：）》”", bool(CJK_RE.match(b))
    if cjk_a or cjk_b or (a.isdigit() and b.isdigit() and CJK_RE.search(before)):
        return before + after
    return before + " " + after
