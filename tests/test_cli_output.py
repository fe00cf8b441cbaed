"""The CLI as a person reads it: `kb docs` never breaks an id, usage lines name arguments plainly,
and `kb serve` on a taken port says so at once, in one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from kb import DocumentInfo
from kb.text import reflow
from kbcli.main import app
from kbcli.render import documents_table

from .conftest import REPO

TITLES = ["生成式人工智能用于内容创作，大型制片公司犹豫不决，社交媒体积极推进", "Why is Hollywood worried about AI? "
          "What I saw at the Sundance film festival", "短标题"]


def _docs() -> list[DocumentInfo]:
    return [DocumentInfo(doc_id=f"{i:x}" * 16, file=f"/srv/a/{i:03d}_dd79d8dfbe91c922.txt", title=title, lang="zh",
                         pages=3 if i == 1 else None, chunks=40 + i, content_hash="h", name=f"{i:03d}_dd79d8dfbe91c922.txt",
                         ingested_at="2026-03-01T14:05:00+00:00")
            for i, title in enumerate(TITLES, start=10)]


@pytest.mark.parametrize("width", [200, 100, 80, 60, 40, 20])
def test_kb_docs_drops_columns_instead_of_wrapping_ids(width: int) -> None:
    console = Console(width=width, record=True, color_system=None)
    documents_table(console, _docs())
    lines = console.export_text().splitlines()
    table, summary = lines[:1 + len(TITLES)], " ".join(" ".join(lines[1 + len(TITLES):]).split())
    assert summary.startswith("3 documents, 153 chunks"), lines  # a header and a line per document: nothing wraps
    assert all(cell_len(line.rstrip()) <= width for line in table), lines
    for doc, line in zip(_docs(), table[1:], strict=True):
        assert line.startswith(doc.doc_id + " ") or line.rstrip() == doc.doc_id  # whole, and first
    if width >= 120:
        assert "ingested at" in table[0] and "hidden" not in summary
    else:
        assert "hidden for width" in summary


def test_a_pipe_gets_the_same_unbroken_table(seeds_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "60"}
    subprocess.run([sys.executable, "-m", "kbcli.main", "ingest", str(seeds_copy)], cwd=REPO, env=env, check=True,
                   capture_output=True)
    listed = subprocess.run([sys.executable, "-m", "kbcli.main", "docs"], cwd=REPO, env=env, capture_output=True,
                            text=True, check=True).stdout.splitlines()
    ids = [line.split()[0] for line in listed[1:-1]]
    assert len(ids) == 3 and all(len(i) == 16 and int(i, 16) >= 0 for i in ids), listed
    assert all(cell_len(line.rstrip()) <= 60 for line in listed[:-1])


@pytest.mark.parametrize(("command", "usage"), [
    ("ingest", "ingest [OPTIONS] PATH..."), ("ask", "ask [OPTIONS] QUESTION"), ("remove", "remove [OPTIONS] REF"),
    ("search", "search [OPTIONS] QUERY"), ("eval", "eval [OPTIONS] FILE"), ("serve", "serve [OPTIONS]")])
def test_usage_lines_name_the_arguments_plainly(command: str, usage: str) -> None:
    shown = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "100"}).output
    line = next(x for x in shown.splitlines() if "Usage:" in x)
    assert line.strip().endswith(usage), line
    assert "{" not in shown and "<bool>" not in shown and "<list[" not in shown, shown


def test_serve_on_a_taken_port_says_so_at_once_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "80"}
        started = time.monotonic()
        res = subprocess.run([sys.executable, "-m", "kbcli.main", "serve", "--port", str(port)], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=60)
        seconds = time.monotonic() - started
    assert res.returncode == 1 and res.stdout == ""  # nothing loaded, nothing announced
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and len(lines[0]) <= 80, res.stderr
    assert f"port {port} is in use on 127.0.0.1; try --port " in lines[0]
    assert seconds < 6, f"{seconds:.1f} s: the port must be checked before the library loads"
    assert not (tmp_path / "data").exists()


def test_a_source_passage_is_printed_as_paragraphs_not_as_the_file_s_lines() -> None:
    text = ("Major technical changes to the\nproject are managed by the PDEP process.\n\n"
            "成本压力\n巨大。\n- first item\n- second item\n| a | b |\n| 1 | 2 |")
    assert reflow(text) == ("Major technical changes to the project are managed by the PDEP process.\n\n"
                            "成本压力巨大。\n- first item\n- second item\n| a | b |\n| 1 | 2 |")


def test_a_refusal_lists_the_nearest_passages_after_the_sentence() -> None:
    from rich.console import Console

    from kb.records import Answer, Citation
    from kbcli.render import answer

    near = Citation(1, "d1", "/docs/bbc.txt", "BBC report", None, "Lionsgate", "Intro. " + "x" * 300 + " Runway deal.",
                    0.2, ["Lionsgate partnered with Runway."], name="bbc.txt")
    console = Console(width=100, record=True)
    answer(console, Answer("I could not find this in the documents.", [], "en", True, related=[near]))
    shown = console.export_text()
    assert shown.index("I could not find") < shown.index("Nearest passages found (none of them answers the question):")
    assert "BBC report, § Lionsgate  (bbc.txt)" in shown and "Lionsgate partnered with Runway." in shown
    assert "Sources" not in shown and "x" * 50 not in shown  # the marked sentence, not the passage
