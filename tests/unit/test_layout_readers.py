"""Readers on generated files (no embedding model): PDF structure and tables, Word and Excel tables."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from benchmarks.layout_docs import FONT, make_report
from benchmarks.layout_writers import write_docx, write_report_pdf, write_xlsx, write_zh_book
from ingest.clean import clean_markup
from ingest.loaders import load_file


def _text(path: Path) -> list[str]:
    return [clean_markup(p) for p in load_file(path, 10**8).pages]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], object]:
    if not FONT.exists():
        pytest.fail(f"{FONT} is missing: run `make system-deps` (Debian package fonts-wqy-microhei)")
    path = tmp_path_factory.mktemp("book") / "百科.pdf"
    doc = write_zh_book(path, random.Random(3), 14)
    return _text(path), doc


def test_pdf_headings_become_sections_and_furniture_goes(book) -> None:  # type: ignore[no-untyped-def]
    pages, doc = book
    assert len(pages) >= 3
    text = "\n\n".join(pages)
    assert "中华百科全书" not in text and not re.search(r"第\s*\d+\s*页", text)
    headings = re.findall(r"^#+ (.+)$", text, re.M)
    assert headings == [h for h, _ in doc.sections]
    for heading, _ in doc.sections:  # the heading is a line of its own, never glued to its text
        assert not re.search(re.escape(heading) + r"\n(?!\n)", text)


def test_pdf_numbers_are_never_split(book) -> None:  # type: ignore[no-untyped-def]
    pages, doc = book
    text = "\n\n".join(pages)
    for number in doc.numbers:
        assert number in text, number


def test_pdf_ruled_tables_are_rows_with_their_context(book) -> None:  # type: ignore[no-untyped-def]
    pages, doc = book
    text = "\n\n".join(pages)
    for q in doc.questions:
        city = q.question.split("市")[0] + "市"
        row = [ln for ln in text.split("\n") if city in ln and f"区域: {q.row};" in ln]
        assert len(row) == 1 and q.value in row[0], (q, row)
        assert "各区常住人口（万人）" in row[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_pdf_and_docx_tables_name_company_section_and_caption(tmp_path: Path, lang: str) -> None:
    rng = random.Random(5)
    rep = make_report("Ashgrove Foods" if lang == "en" else "青松食品", lang, rng)
    write_report_pdf(rep, tmp_path / "r.pdf", rng)
    write_docx(rep, tmp_path / "r.docx", rng)
    region = next(iter(rep.table))
    for name in ("r.pdf", "r.docx"):
        text = "\n\n".join(_text(tmp_path / name))
        rows = [ln for ln in text.split("\n") if ln.endswith(rep.table[region]["2023"]) and region in ln]
        assert len(rows) == 1, (name, text[:2000])
        assert rep.company in rows[0] and rep.caption in rows[0] and rep.sections[1][0] in rows[0], rows[0]
        assert "Annual Report 2023 ·" not in text.split("\n")[0] or name.endswith("docx")
        heads = re.findall(r"^#+ (.+)$", text, re.M)
        assert [h for h, _ in rep.sections] == [h for h in heads if h in {s for s, _ in rep.sections}]


def test_justified_pdf_has_single_spaces_and_whole_words(tmp_path: Path) -> None:
    from benchmarks.layout_writers import write_en_justified

    doc = write_en_justified(tmp_path / "field.pdf", random.Random(2))
    text = "\n\n".join(_text(tmp_path / "field.pdf"))
    assert "  " not in text and not re.search(r"[a-z]-\s+[a-z]", text)
    for _, sents in doc.sections:
        for s in sents:
            assert s in text.replace("\n", " "), s


def test_spreadsheet_title_row_is_the_caption_not_the_header(tmp_path: Path) -> None:
    rep = make_report("Bramble Dairy", "en", random.Random(1))
    write_xlsx(rep, tmp_path / "Bramble_Dairy_revenue.xlsx", titled=True)
    text = _text(tmp_path / "Bramble_Dairy_revenue.xlsx")[0]
    first = [ln for ln in text.split("\n") if "Region: North" in ln][0]
    # the sheet name "Revenue" is said by the caption already
    assert first.startswith("Bramble Dairy revenue · Revenue by region (million euros) · Region: North; 2021:")


@pytest.mark.parametrize("repeated", [True, False])
def test_a_pdf_table_continued_on_the_next_page_keeps_its_caption_and_header(tmp_path: Path, repeated: bool) -> None:
    """A ruled table broken by a page break is one table: the rows on the next page are written with
    its caption and column headers (whether the header row is printed again there or not)."""
    from fpdf import FPDF, FontFace
    from fpdf.enums import TableHeadingsDisplay

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_font("wqy", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6.5, "临江市各区的常住人口逐年变化，见下表。" * 20, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6.5, "表3 临江市各区常住人口（万人）", new_x="LMARGIN", new_y="NEXT")
    districts = [f"第{i}区" for i in range(1, 41)]
    repeat = TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE if repeated else TableHeadingsDisplay.NONE
    with pdf.table(col_widths=(30, 22, 22), width=74, align="LEFT", headings_style=FontFace(emphasis=None),
                   repeat_headings=repeat) as table:
        for cells in [["区域", "2022年", "2023年"]] + [[d, f"{i}.5", f"{i}.7"] for i, d in enumerate(districts, 10)]:
            row = table.row()
            for c in cells:
                row.cell(c)
    pdf.multi_cell(0, 6.5, "此后各区人口继续增长。", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "t.pdf"))
    pages = _text(tmp_path / "t.pdf")
    assert len(pages) == 2 and "第40区" in pages[1] and "第1区" in pages[0]  # the table does break
    rows = [ln for p in pages for ln in p.split("\n") if "区域: 第" in ln]
    assert len(rows) == len(districts)
    for i, (row, district) in enumerate(zip(rows, districts, strict=True), 10):
        assert row == f"表3 临江市各区常住人口（万人） · 区域: {district}; 2022年: {i}.5; 2023年: {i}.7", row
    assert "区域; 2022年" not in "\n".join(pages) and "表4" not in "\n".join(pages)
