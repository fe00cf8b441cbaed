"""A Chinese PDF written by a real PDF writer (fpdf2 with a CJK TrueType font) from one seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from kb import KnowledgeBase

from .conftest import SEEDS

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def _paragraphs() -> list[str]:
    text = (SEEDS / "003_c3fa23c84cad2f17.txt").read_text(encoding="utf-8")
    paras = [p.strip() for p in text.split("\n\n") if len(p.strip()) > 150 and "。" in p]
    return paras[2:5]


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_chinese_pdf_pages_and_text(kb: KnowledgeBase, tmp_path: Path) -> None:
    if not FONT.exists():
        pytest.fail(f"{FONT} is missing: run `make system-deps` (Debian package fonts-wqy-microhei)")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_font("wqy", size=11)
    paras = _paragraphs()
    for para in paras:
        pdf.add_page()
        pdf.multi_cell(0, 7, para)
    path = tmp_path / "论文 节选.pdf"
    pdf.output(str(path))

    report = ingest_paths(kb, [path])
    assert report.count("added") == 1, report.to_dict()
    doc = kb.documents()[0]
    assert doc.pages == 3 and doc.lang == "zh"
    rows = [(c.chunk_id, c.text, c.meta.to_store()) for c in kb.store.scan()]
    assert {m["page"] for _, _, m in rows} == {1, 2, 3}
    for page, para in enumerate(paras, start=1):
        on_page = _squash("".join(t for _, t, m in sorted(rows, key=lambda r: r[2]["ordinal"]) if m["page"] == page))
        first_sentence = _squash(para.split("。")[0])
        assert first_sentence in on_page, (page, first_sentence[:40])

    answer = kb.answer(paras[1].split("。")[0][:30])
    assert not answer.refused
    assert answer.citations[0].page == 2


@pytest.mark.parametrize(("pdf_title", "expected"), [("生成式AI与电影工业", "生成式AI与电影工业"),
                                                     ("Microsoft Word - draft3.docx", None)])
def test_a_pdfs_own_title_names_the_document(kb: KnowledgeBase, tmp_path: Path, pdf_title: str,
                                             expected: str | None) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_font("wqy", size=11)
    pdf.set_title(pdf_title)
    pdf.add_page()
    pdf.multi_cell(0, 7, _paragraphs()[0])
    path = tmp_path / "scan_0001.pdf"
    pdf.output(str(path))
    assert ingest_paths(kb, [path]).count("added") == 1
    title = kb.documents()[0].title
    if expected:
        assert title == expected
    else:  # a tool's placeholder is not a title: the first line of the text is used instead
        assert title != pdf_title and title.strip()
