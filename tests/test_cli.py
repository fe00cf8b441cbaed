"""The `kb` command in-process (typer's CliRunner), against a temporary data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kbcli.main import app

from .conftest import REPO

runner = CliRunner()


def test_ingest_ask_docs_remove_round_trip(seeds_copy: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["ingest", "--json", str(seeds_copy)])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["summary"]["added"] == 3 and summary["summary"]["failed"] == 0

    res = runner.invoke(app, ["ingest", str(seeds_copy)])
    assert res.exit_code == 0 and "unchanged" in res.stdout

    res = runner.invoke(app, ["docs", "--json"])
    docs = json.loads(res.stdout)
    assert {d["name"] for d in docs} == {p.name for p in seeds_copy.iterdir()}
    assert {d["file"] for d in docs} == {str(p) for p in seeds_copy.iterdir()}
    assert {"title", "file", "lang", "pages", "chunks", "ingested_at"} <= set(docs[0])

    res = runner.invoke(app, ["ask", "--json", "How many performers did the union strike of July 2023 represent?"])
    assert res.exit_code == 0, res.output
    ans = json.loads(res.stdout)
    assert set(ans) >= {"answer", "language", "refused", "citations"}
    assert ans["citations"][0]["name"] == "001_d087a9b4bca2ef81.txt"
    assert {"n", "doc_id", "file", "title", "page", "text", "score"} <= set(ans["citations"][0])

    res = runner.invoke(app, ["ask", "本·阿弗莱克认为哪些岗位很难被AI替代？"])
    assert res.exit_code == 0 and "Sources" in res.stdout and "[1]" in res.stdout

    res = runner.invoke(app, ["remove", "001_d087a9b4bca2ef81.txt"])
    assert res.exit_code == 0 and "Removed" in res.stdout
    res = runner.invoke(app, ["remove", "001_d087a9b4bca2ef81.txt"])
    assert res.exit_code == 1 and "no document" in res.output


def test_exit_codes(seeds_copy: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["ingest", str(seeds_copy / "001_d087a9b4bca2ef81.txt"), str(tmp_path / "nope.pdf")])
    assert res.exit_code == 1
    assert "nope.pdf" in res.stdout and "no such file" in res.stdout
    assert runner.invoke(app, ["docs", "--json"]).stdout.count("001_d087a9b4bca2ef81") >= 1

    assert runner.invoke(app, ["ingest"]).exit_code == 2  # usage error
    assert runner.invoke(app, ["frobnicate"]).exit_code == 2
    res = runner.invoke(app, ["ask", "   "])
    assert res.exit_code == 1 and "empty" in res.output


def test_invalid_setting_is_named(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KB_TOP_K", "zero")
    res = runner.invoke(app, ["docs"])
    assert res.exit_code == 2 and "KB_TOP_K" in res.output
    assert "Traceback" not in res.output


def test_console_script_shows_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "data"
    bad.write_text("a file where the data folder should be")
    res = subprocess.run(
        [sys.executable, "-c", "from kbcli.main import main; main()", "docs"],
        capture_output=True, text=True, env={"KB_DATA_DIR": str(bad), "PATH": "/usr/bin:/bin"}, cwd=REPO,
    )
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and str(bad) in res.stderr


def test_importing_kb_pulls_in_neither_gradio_nor_the_cli() -> None:
    code = "import kb, sys; bad = [m for m in ('gradio', 'typer', 'click', 'ingest', 'ui') if m in sys.modules]; print(bad)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert res.stdout.strip() == "[]"


def test_telemetry_is_off_before_gradio_and_chromadb_load() -> None:
    code = ("import ui.app, gradio.analytics as a, chromadb, os; "
            "print(a.analytics_enabled(), os.environ['ANONYMIZED_TELEMETRY'], os.environ['HF_HUB_OFFLINE'])")
    env = {k: v for k, v in os.environ.items() if k not in ("GRADIO_ANALYTICS_ENABLED", "ANONYMIZED_TELEMETRY",
                                                             "HF_HUB_OFFLINE")}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, check=True)
    assert res.stdout.split() == ["False", "False", "1"]


def test_kb_debug_in_dot_env_shows_the_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "data"
    bad.write_text("a file where the data folder should be")
    (tmp_path / ".env").write_text(f"KB_DEBUG=1\nKB_DATA_DIR={bad}\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    res = subprocess.run([sys.executable, "-c", "from kbcli.main import main; main()", "docs"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert res.returncode == 1 and "Traceback" in res.stderr


def test_libraries_keep_their_own_documents(seeds_copy: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("KB_LIBRARY", raising=False)
    reef = tmp_path / "reef.md"
    reef.write_text("# 北礁观测站\n\n北礁观测站建于1987年，每天记录三次潮位。\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(seeds_copy)]).exit_code == 0
    assert runner.invoke(app, ["--library", "research", "ingest", str(reef)]).exit_code == 0
    os.environ.pop("KB_LIBRARY", None)  # the option sets it for the process; each invocation here starts clean
    listed = json.loads(runner.invoke(app, ["libraries", "--json"]).stdout)
    assert [(r["library"], r["documents"], r["current"]) for r in listed] == [("default", 3, True),
                                                                             ("research", 1, False)]
    own = json.loads(runner.invoke(app, ["-L", "research", "ask", "--json", "北礁观测站建于哪一年？"]).stdout)
    os.environ.pop("KB_LIBRARY", None)
    assert "1987" in own["answer"] and own["citations"][0]["file"].endswith("reef.md")
    other = json.loads(runner.invoke(app, ["ask", "--json", "北礁观测站建于哪一年？"]).stdout)
    assert "1987" not in other["answer"] and not any(c["file"].endswith("reef.md") for c in other["citations"])
    hits = json.loads(runner.invoke(app, ["search", "--json", "-k", "2", "union strike July 2023"]).stdout)
    assert len(hits) == 2 and {"chunk_id", "doc_id", "title", "page", "score", "text"} <= set(hits[0])
    missing = runner.invoke(app, ["-L", "nope", "ask", "x"])
    os.environ.pop("KB_LIBRARY", None)
    assert missing.exit_code == 1 and "there is no library 'nope'" in missing.output
    bad = runner.invoke(app, ["-L", "Bad Name", "docs"])
    os.environ.pop("KB_LIBRARY", None)
    assert bad.exit_code == 2 and "Invalid library name 'Bad Name'" in bad.output
