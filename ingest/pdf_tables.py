"""Ruled tables in a PDF, found by pdfplumber's table finder.

pdfplumber's finder (lines drawn on the page -> cells -> rows) is well kept and reads Chinese cells
as well as English ones; measured on the generated reports and the Chinese encyclopedia of
``benchmarks/bench_layout.py`` it found every ruled table with its rows and columns. It parses pages
with pdfminer, which is slow (tens of milliseconds a page), so it only runs on pages where pdfium
sees enough straight lines drawn to make a grid (``ruled_pages``). Tables without ruling lines,
and tables drawn as images, are read as text lines (``docs/formats.md``).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

_MIN_RULES = 6  # path objects a page needs before we look for a grid on it


@dataclass
class Table:
    """A table's box (points from the page's top left) and its cells, row by row."""

    left: float
    top: float
    right: float
    bottom: float
    rows: list[list[str]]

    def holds(self, box: tuple[float, float, float, float]) -> bool:
        """The character box's centre lies inside the table."""
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return self.left <= x <= self.right and self.top <= y <= self.bottom


def ruled_pages(pdf: object) -> list[int]:
    """Indexes of the pages with enough drawn paths to hold a ruled table."""
    import pypdfium2.raw as raw

    out = []
    for index in range(len(pdf)):  # type: ignore[arg-type]
        page = pdf[index]  # type: ignore[index]
        paths = sum(1 for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=1))
        if paths >= _MIN_RULES:
            out.append(index)
    return out


def find_tables(data: bytes, pages: list[int]) -> dict[int, list[Table]]:
    """The ruled tables of the given pages (0-based), each of at least two rows and two columns."""
    if not pages:
        return {}
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    found: dict[int, list[Table]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index in pages:
                tables = []
                for t in pdf.pages[index].find_tables():
                    rows = [[" ".join((c or "").split()) for c in row] for row in t.extract()]
                    rows = [r for r in rows if any(r)]
                    if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                        tables.append(Table(*t.bbox, rows=rows))
                if tables:
                    found[index] = tables
    except Exception:  # noqa: BLE001 - pdfminer fails on some files pdfium reads: keep the text as lines
        return found
    return found
