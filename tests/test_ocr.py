"""Scans and images read by OCR (RapidOCR, offline): made here by drawing Chinese and English text
with a CJK font onto page images, so the text on each page is known."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.scans import page_image, scanned_pdf
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings

from .conftest import REPO, ctrl_c_as_in_a_terminal

PAGE_1 = ["城市文化设施年度报告", "", "第一章 概况", "本报告介绍了二〇二五年全市文化设施的建设情况。", "全市共有博物馆十八座，剧院七座。"]
PAGE_2 = ["第二章 图书馆", "", "本市的公共图书馆共有四十二座，去年接待读者三百万人次。", "新馆的建设预算为五千万元，由文化局负责。", "",
          "The central library lends 1.2 million books a year."]


def test_a_scanned_pdf_is_read_and_cited_to_its_page(kb: KnowledgeBase, tmp_path: Path) -> None:
    scanned_pdf(tmp_path / "scan.pdf", [PAGE_1, PAGE_2])
    report = ingest_paths(kb, [tmp_path / "scan.pdf"])
    assert report.count("added") == 1, report.to_dict()
    assert (kb.documents()[0].pages, kb.documents()[0].title) == (2, "城市文化设施年度报告")  # not Pillow's "scan"
    zh = kb.answer("图书馆去年接待了多少读者？")
    assert "三百万" in zh.text, zh.text
    assert (zh.citations[0].page, zh.citations[0].ocr) == (2, True)
    en = kb.answer("How many books does the central library lend a year?")
    assert "1.2 million" in en.text, en.text
    assert (en.citations[0].page, en.citations[0].ocr) == (2, True)


def test_the_citation_says_read_by_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from kbcli.main import app
    from ui.render import sources_html

    scanned_pdf(tmp_path / "scan.pdf", [PAGE_1, PAGE_2])
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(tmp_path / "scan.pdf")]).exit_code == 0
    asked = runner.invoke(app, ["ask", "新馆的建设预算是多少？"], env={"COLUMNS": "200"})
    assert "五千万" in asked.stdout and "p. 2, read by OCR" in asked.stdout, asked.stdout
    answer = KnowledgeBase(Settings(data_dir=tmp_path / "data")).answer("新馆的建设预算是多少？")
    assert "第 2 页，OCR 识别" in sources_html([{"question": "新馆的建设预算是多少？", "answer": answer}], "zh")


def test_pages_with_a_text_layer_are_not_ocred(kb: KnowledgeBase, tmp_path: Path) -> None:
    from fpdf import FPDF

    picture = tmp_path / "page.png"
    page_image(PAGE_2).save(picture)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "The opening page has a real text layer: the museum opened in 1998 and holds 12,000 paintings.")
    pdf.add_page()
    pdf.image(str(picture), x=0, y=0, w=210)
    pdf.output(str(tmp_path / "mixed.pdf"))
    assert ingest_paths(kb, [tmp_path / "mixed.pdf"]).count("added") == 1
    chunks = kb.store.document_chunks(kb.documents()[0].doc_id)
    assert {(c.meta.page, c.meta.ocr) for c in chunks} == {(1, False), (2, True)}
    assert kb.answer("When did the museum open?").citations[0].ocr is False


def test_images_are_documents_of_their_own(kb: KnowledgeBase, tmp_path: Path) -> None:
    from PIL import Image

    page_image(["The harbour crane lifts 80 tonnes.", "", "码头的起重机每小时装卸三十个集装箱。"]).save(tmp_path / "crane.png")
    page_image(["The night ferry leaves at 22:40 from pier 3."]).convert("RGB").save(tmp_path / "ferry.jpg", quality=85)
    frames = [page_image(["Tide table, first page."]), page_image(["High tide on Sunday is at 06:15."])]
    frames[0].save(tmp_path / "tides.tiff", save_all=True, append_images=frames[1:])
    page_image(["Lighthouse keepers served until 1987."]).save(tmp_path / "keepers.webp")
    Image.new("RGB", (800, 600), (40, 120, 200)).save(tmp_path / "sky.png")  # no words at all
    (tmp_path / "cut.png").write_bytes((tmp_path / "crane.png").read_bytes()[:300])
    report = ingest_paths(kb, [tmp_path])
    status = {Path(o.path).name: (o.status, o.reason or "") for o in report.outcomes}
    assert {n for n, (s, _) in status.items() if s == "added"} == {"crane.png", "ferry.jpg", "tides.tiff",
                                                                   "keepers.webp"}, status
    assert status["sky.png"] == ("failed", "no text found in the image (OCR read nothing)")
    assert status["cut.png"][0] == "failed" and "damaged or unreadable image" in status["cut.png"][1]
    crane = kb.answer("码头的起重机每小时装卸多少个集装箱？")
    assert "三十" in crane.text and crane.citations[0].ocr and crane.citations[0].page is None
    assert "22:40" in kb.answer("When does the night ferry leave?").text
    tide = kb.answer("When is high tide on Sunday?")
    assert "06:15" in tide.text and tide.citations[0].page == 2
    assert "1987" in kb.answer("Until when did lighthouse keepers serve?").text


def test_ocr_turned_off_or_not_installed_says_how_to_get_it(tmp_path: Path) -> None:
    scanned_pdf(tmp_path / "scan.pdf", [PAGE_1])
    off = ingest_paths(KnowledgeBase(Settings(data_dir=tmp_path / "a", ocr=False)), [tmp_path / "scan.pdf"])
    assert off.failed[0].reason == "no extractable text (a scanned PDF; OCR is turned off by KB_OCR=false)"
    # Without the `ocr` extra: the same code path as a machine that never installed it.
    hide = ("import sys; sys.modules['rapidocr'] = None; sys.argv = ['kb', 'ingest', '--json', sys.argv[1]]; "
            "from kbcli.main import main; main()")
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "b")}
    done = subprocess.run([sys.executable, "-c", hide, str(tmp_path / "scan.pdf")], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert json.loads(done.stdout)["files"][0]["reason"] == (
        "no extractable text (a scanned PDF); OCR is not installed, add it with: "
        "pip install 'kb-docqa[ocr]'  (in this checkout: make install)")


def test_a_scan_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    scanned_pdf(tmp_path / "scan.pdf", [PAGE_1, PAGE_2] * 3)
    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data", max_file_mb=0.05))
    reason = ingest_paths(kb, [tmp_path / "scan.pdf"]).failed[0].reason or ""
    assert reason.startswith("file is 0.") and reason.endswith("over the 0.05 MB limit (KB_MAX_FILE_MB)"), reason


def test_ctrl_c_during_ocr_stores_nothing_half_read(tmp_path: Path) -> None:
    scanned_pdf(tmp_path / "long.pdf", [PAGE_1, PAGE_2] * 4)
    (tmp_path / "first.md").write_text("# First\n\nA short note stored before the scan.\n", encoding="utf-8")
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen([sys.executable, "-m", "kbcli.main", "ingest", str(tmp_path / "first.md"),
                             str(tmp_path / "long.pdf")], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, preexec_fn=ctrl_c_as_in_a_terminal)
    assert proc.stdout is not None
    seen = ""
    while "OCR page 2/8" not in seen:  # progress per page: the scan is being read
        line = proc.stdout.readline()
        assert line, f"kb ingest ended before reading the scan: {seen}"
        seen += line
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in seen + rest, seen + rest
    assert [d.name for d in KnowledgeBase(Settings(data_dir=tmp_path / "data")).documents()] == ["first.md"]


def test_ocr_reads_the_drawn_text_closely() -> None:
    """Character accuracy on one Chinese and one English page (the benchmark measures more pages)."""
    from benchmarks.bench_ocr import char_accuracy
    from ingest.ocr import read_image

    for lines in (PAGE_2, ["The committee met on 4 May and approved a budget of 3.5 million."]):
        got = read_image(page_image(lines))
        assert char_accuracy("".join(lines), got) >= 0.95, got
