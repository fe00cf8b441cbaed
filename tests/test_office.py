"""Word, PowerPoint and Excel files, made here with the libraries that write them, ingested and asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings


def _docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Regional results 2026"
    document.add_heading("Regional results", level=1)
    document.add_paragraph("The board reviewed the results of every region in the first quarter.")
    document.add_heading("Revenue by region", level=2)
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Region", "Revenue", "Manager"), ("East", "12.5 million euros", "Ana Lopez"),
                                       ("West", "8.1 million euros", "Tom Berg")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_heading("员工培训", level=2)
    document.add_paragraph("今年第二季度，公司为全体员工安排了为期三天的数据安全培训。")
    document.save(str(path))


def _pptx(path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])
    first.shapes.title.text = "Project Heron"
    first.placeholders[1].text = "A new warehouse robot for cold storage."
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "Timeline"
    box = second.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
    box.text_frame.text = "Pilot in two warehouses, then the full roll-out."
    second.notes_slide.notes_text_frame.text = (
        "The launch moves to March 2027 because the battery supplier delivers late.")
    deck.save(str(path))


def _xlsx(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(["Store", "City", "Units sold"])
    for i in range(2, 32):
        sheet.append([f"Store {i:02d}", "Lyon" if i != 25 else "Valparaiso", i * 10])
    book.save(str(path))


def test_word_table_rows_keep_their_header_and_cite_the_section(kb: KnowledgeBase, tmp_path: Path) -> None:
    _docx(tmp_path / "results.docx")
    report = ingest_paths(kb, [tmp_path / "results.docx"])
    assert report.count("added") == 1, report.to_dict()
    doc = kb.documents()[0]
    assert doc.title == "Regional results 2026"
    answer = kb.answer("What was the revenue of the East region?")
    assert "12.5" in answer.text, answer.text
    assert answer.citations[0].section == "Revenue by region"
    zh = kb.answer("公司给员工安排了多长时间的数据安全培训？")
    assert "三天" in zh.text and zh.citations[0].section == "员工培训"


def test_a_slides_speaker_notes_answer_and_cite_the_slide(kb: KnowledgeBase, tmp_path: Path) -> None:
    _pptx(tmp_path / "heron.pptx")
    assert ingest_paths(kb, [tmp_path / "heron.pptx"]).count("added") == 1
    answer = kb.answer("Why does the launch move to March 2027?")
    assert "battery supplier" in answer.text, answer.text
    assert answer.citations[0].section == "Slide 2: Timeline"
    assert kb.documents()[0].title == "Project Heron"
    assert (kb.documents()[0].pages, kb.documents()[0].unit) == (2, "slides")
    assert "Timeline" not in answer.citations[0].text  # the title is the section, not the passage's text


def test_a_spreadsheet_row_is_cited_by_sheet_and_rows(kb: KnowledgeBase, tmp_path: Path) -> None:
    _xlsx(tmp_path / "sales.xlsx")
    assert ingest_paths(kb, [tmp_path / "sales.xlsx"]).count("added") == 1
    answer = kb.answer("Which store is in Valparaiso?")
    assert "Store 25" in answer.text, answer.text
    assert answer.citations[0].section == "Sheet Sales, rows 22-31"
    assert kb.documents()[0].title == "Sales"
    assert (kb.documents()[0].pages, kb.documents()[0].unit) == (1, "sheets")


def test_damaged_locked_and_old_office_files_get_a_reason(kb: KnowledgeBase, tmp_path: Path) -> None:
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip archive at all")
    (tmp_path / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (tmp_path / "fine.md").write_text("# Fine\n\nThis file is fine and stays stored.\n", encoding="utf-8")
    report = ingest_paths(kb, [tmp_path])
    reasons = {Path(o.path).name: (o.status, o.reason or "") for o in report.outcomes}
    assert reasons["broken.docx"][0] == "failed" and "damaged" in reasons["broken.docx"][1]
    assert reasons["locked.xlsx"][0] == "failed" and "password-protected" in reasons["locked.xlsx"][1]
    assert reasons["fine.md"][0] == "added"
    assert [d.name for d in kb.documents()] == ["fine.md"]


def test_kb_docs_says_slides_and_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from kbcli.main import app
    from ui.render import documents_rows

    _pptx(tmp_path / "heron.pptx")
    _xlsx(tmp_path / "sales.xlsx")
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(tmp_path / "heron.pptx"), str(tmp_path / "sales.xlsx")]).exit_code == 0
    listed = runner.invoke(app, ["docs"], env={"COLUMNS": "200"})
    assert "2 slides" in listed.stdout and "1 sheet " in listed.stdout, listed.stdout
    docs = KnowledgeBase(Settings(data_dir=tmp_path / "data")).documents()
    assert sorted(row[3] for row in documents_rows(docs, "zh")) == ["1 个工作表", "2 张幻灯片"]


def _soffice() -> str:
    import shutil

    found = shutil.which("soffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make system-deps` installs it")
    return found


def test_old_binary_office_files_are_read_through_libreoffice(kb: KnowledgeBase, tmp_path: Path) -> None:
    import subprocess

    soffice = _soffice()
    _docx(tmp_path / "results.docx")
    _pptx(tmp_path / "heron.pptx")
    _xlsx(tmp_path / "sales.xlsx")
    old = tmp_path / "old"
    for name, fmt in (("results.docx", "doc"), ("heron.pptx", "ppt"), ("sales.xlsx", "xls")):
        subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", fmt, "--outdir", str(old), str(tmp_path / name)],
                       check=True, capture_output=True, timeout=180)
    (old / "broken.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    report = ingest_paths(kb, [old])
    status = {Path(o.path).name: (o.status, o.reason or "") for o in report.outcomes}
    assert {n for n, (s, _) in status.items() if s == "added"} == {"results.doc", "heron.ppt", "sales.xls"}, status
    assert status["broken.xls"][0] == "failed" and "LibreOffice could not convert" in status["broken.xls"][1]
    assert "12.5" in kb.answer("What was the revenue of the East region?").text
    slide = kb.answer("Why does the launch move to March 2027?")
    assert "battery supplier" in slide.text and slide.citations[0].section == "Slide 2: Timeline"
    assert kb.answer("Which store is in Valparaiso?").citations[0].section == "Sheet Sales, rows 22-31"


def test_old_office_files_without_libreoffice_name_the_fix(kb: KnowledgeBase, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))  # as on a machine without LibreOffice
    reason = ingest_paths(kb, [tmp_path / "old.doc"]).failed[0].reason
    assert reason == ("the old binary Office format '.doc' needs LibreOffice to be read: install it "
                      "(apt install libreoffice-nogui) or save the file as '.docx' and retry")
