"""A quoted PDF table row found on its page by its cell values (``ingest.pages.locate``), since its
context and column headers are not printed on the row's line; and never placed when the values are
not all there, in order, in one line band (generated PDFs, no model)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks.layout_docs import FONT, make_report
from benchmarks.layout_writers import write_report_pdf
from ingest.clean import clean_markup
from ingest.loaders import load_file
from ingest.pages import locate
from ingest.tables import row_values


@pytest.fixture(scope="module", params=["en", "zh"])
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Path, int, list[str], object]:
    """A report PDF, the page of its table, the table's rows as ingest writes them, the report."""
    if not FONT.exists():
        pytest.fail(f"{FONT} is missing: run `make system-deps` (Debian package fonts-wqy-microhei)")
    rng = random.Random(11)
    rep = make_report("Ashgrove Foods" if request.param == "en" else "青松食品", request.param, rng)
    path = tmp_path_factory.mktemp("rows") / "report.pdf"
    write_report_pdf(rep, path, rng)
    for no, page in enumerate(load_file(path, 10**8).pages, start=1):
        rows = [ln for ln in clean_markup(page).split("\n") if rep.caption + " · " in ln]
        if rows:
            return path, no, rows, rep
    raise AssertionError("no table rows read from the report")


def test_row_values_reads_back_what_table_lines_wrote() -> None:
    assert row_values("Ashgrove Foods · Table 1: Revenue (m) · Region: West; 2021: 12.3; 2023: 23.4") == [
        "West", "12.3", "23.4"]
    assert row_values("表1 · 地区: 西部; 2021年: 90.2") == ["西部", "90.2"]
    assert row_values("West; 2021: 12.3") == ["West", "12.3"]  # a header cell left empty
    assert row_values("Ashgrove Foods was founded in 1968.") == []
    assert row_values("Region: West") == []  # one cell: not a row to look for


def test_each_quoted_row_is_highlighted_on_its_own_line(report) -> None:  # type: ignore[no-untyped-def]
    path, page, rows, rep = report
    assert len(rows) == len(rep.table)
    tops = []
    for row in rows:
        found = locate(path, page, [row], ocr=False)
        assert found.found and len(found.boxes) == 1, (row, found)
        left, top, right, bottom = found.boxes[0]
        assert bottom - top < 0.03 and right - left > 0.2  # one line, across the row's cells
        tops.append(top)
    assert tops == sorted(tops)  # the table's rows, top to bottom, as written


def test_a_row_not_printed_as_quoted_is_not_highlighted(report) -> None:  # type: ignore[no-untyped-def]
    path, page, rows, rep = report
    first, second = rows[0], rows[1]
    label = row_values(first)[0]
    value_1, value_2 = row_values(second)[1], row_values(first)[1]
    wrong = [
        first.replace(value_2, value_1),  # one cell taken from the next row: not in one line band
        first.replace(value_2, value_2[1:]),  # a cell that is only part of the printed one ("2.3" in "12.3")
        first.replace(label, label[:-1]),  # the label cut short
        first.rsplit("; ", 1)[0].replace(value_2, "X") + "; " + first.rsplit("; ", 1)[1],  # a value not there
    ]
    for row in wrong:
        found = locate(path, page, [row], ocr=False)
        assert not found.found and not found.boxes, row
    other = page + 1 if page == 1 else page - 1  # the right row on the wrong page
    assert not locate(path, other, [first], ocr=False).boxes
    swapped = "; ".join([first.rsplit("; ", 3)[0], *reversed(first.rsplit("; ", 3)[1:])])  # cells out of order
    assert not locate(path, page, [swapped], ocr=False).boxes
