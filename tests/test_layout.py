"""Documents read as laid out, end to end: generated PDF, Word and Excel reports of several
companies with the same table columns, in Chinese and English, ingested and asked.

A table question must be answered with its cell's row from the right company's document (a row
without its context matches every company's table); a heading is the citation's section, never
the start of the answer; a quoted PDF sentence is still found on its page image.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks.layout_docs import FONT, company_names, make_report, report_questions
from benchmarks.layout_writers import write_docx, write_report_pdf, write_xlsx, write_zh_book
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeBase, list, Path]:  # type: ignore[type-arg]
    if not FONT.exists():
        pytest.fail(f"{FONT} is missing: run `make system-deps` (Debian package fonts-wqy-microhei)")
    root = tmp_path_factory.mktemp("layout")
    docs = root / "docs"
    docs.mkdir()
    rng = random.Random(11)
    questions = []
    for lang in ("en", "zh"):
        names = iter(company_names(lang, 6, rng))
        for fmt in ("docx", "pdf", "xlsx"):
            for _ in range(2):
                rep = make_report(next(names), lang, rng)
                path = docs / f"{rep.company.replace(' ', '_')}_report.{fmt}"
                if fmt == "docx":
                    write_docx(rep, path, rng)
                elif fmt == "pdf":
                    write_report_pdf(rep, path, rng)
                else:
                    write_xlsx(rep, path, titled=False)
                questions += [(fmt, q) for q in report_questions(rep, path.name, rng, 2)]
    book = write_zh_book(docs / "百科.pdf", rng, 12)
    questions += [("pdf", q) for q in book.questions]
    kb = KnowledgeBase(Settings(data_dir=root / "data", debug=True))
    report = ingest_paths(kb, [docs])
    assert not report.failed, report.to_dict()
    return kb, questions, docs


def test_table_questions_are_answered_with_the_right_companys_row(library) -> None:  # type: ignore[no-untyped-def]
    kb, questions, _ = library
    names = {Path(d.file).name: d.doc_id for d in kb.documents()}
    wrong = []
    for fmt, q in questions:
        answer = kb.answer(q.question)
        right = not answer.refused and q.value in answer.text and any(
            c.doc_id == names[q.doc] and any(q.row in h and q.value in h for h in c.highlights)
            for c in answer.citations)
        if not right:
            wrong.append((fmt, q.question, answer.text[:160]))
    assert len(wrong) <= len(questions) // 10, wrong


def test_headings_are_sections_never_the_start_of_an_answer(library) -> None:  # type: ignore[no-untyped-def]
    kb, _, _ = library
    for question, section in (("目前公司共有员工多少人，设有多少家工厂？", "一、公司概况"),
                              ("Who is the chief executive and when did she join?", "1. Company overview")):
        answer = kb.answer(question)
        assert not answer.refused, answer.text
        assert answer.citations[0].section == section
        assert not answer.text.startswith(section) and "公司概况" not in answer.text and "overview" not in answer.text


def test_a_quoted_pdf_sentence_is_found_on_its_page(library) -> None:  # type: ignore[no-untyped-def]
    from ingest.pages import locate

    kb, _, _ = library
    answer = kb.answer("《斋文集》有哪些刻本流传？")
    cited = [c for c in answer.citations if c.file.endswith(".pdf") and c.page]
    assert cited, answer.text
    found = locate(Path(cited[0].file), cited[0].page or 1, cited[0].highlights, ocr=False)
    assert found.boxes and not found.missing, (cited[0].highlights, found.missing)


def test_a_quoted_pdf_table_row_is_found_on_its_page(library) -> None:  # type: ignore[no-untyped-def]
    """A row is quoted with its context, which the page does not print: it is found by its cells,
    one highlight on the row's line, whichever company's row the answer quoted."""
    from ingest.pages import locate

    kb, questions, _ = library
    rows = 0
    for fmt, q in questions:
        if fmt != "pdf":
            continue
        for c in kb.answer(q.question).citations:
            quoted = [h for h in c.highlights if " · " in h and "; " in h]
            if c.file.endswith(".pdf") and c.page and quoted:
                found = locate(Path(c.file), c.page, quoted, ocr=False)
                assert not found.missing and len(found.boxes) == len(quoted), (quoted, found)
                rows += len(quoted)
    assert rows >= 10
