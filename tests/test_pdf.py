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
    rows = [r for r in kb.store.all_chunks()]
    assert {m["page"] for _, _, m in rows} == {1, 2, 3}
    for page, para in enumerate(paras, start=1):
        on_page = _squash("".join(t for _, t, m in sorted(rows, key=lambda r: r[2]["ordinal"]) if m["page"] == page))
        first_sentence = _squash(para.split("。")[0])
        assert first_sentence in on_page, (page, first_sentence[:40])

    answer = kb.answer(paras[1].split("。")[0][:30])
    assert not answer.refused
    assert answer.citations[0].page == 2
