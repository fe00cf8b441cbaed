"""Hostile names, questions and settings: nothing escapes the data folder, nothing leaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.uploads import ingest_uploads, safe_name
from kb import KnowledgeBase, QuestionError
from kbcli.main import app

from .conftest import SEEDS


@pytest.mark.parametrize(
    ("given", "expected"),
    [("../../etc/passwd.txt", "passwd.txt"), ("..\\evil.txt", "evil.txt"), ("/abs/path/报告.md", "报告.md"),
     (".hidden.md", "hidden.md"), ("a\x00b\u202e.txt", "ab.txt"), ("", "upload")],
)
def test_safe_names(given: str, expected: str) -> None:
    assert safe_name(given) == expected


def test_hostile_upload_names_stay_inside_the_data_folder(kb: KnowledgeBase, tmp_path: Path) -> None:
    long_name = "长" * 300 + ".txt"
    names = ["../../etc/passwd", "..\\evil.txt", long_name, "../../../../tmp/escape.md"]
    sources = []
    for i, name in enumerate(names):  # different contents: copies of one file would be duplicates
        src = tmp_path / f"payload{i}.txt"
        src.write_text(f"上传文件的内容：第{i}段正常的中文文本，讲的是第{i}个项目。", encoding="utf-8")
        sources.append((name, src))
    report = ingest_uploads(kb, sources)
    uploads = kb.settings.uploads_dir.resolve()
    files = [p for p in uploads.rglob("*") if p.is_file()]
    stored = sorted(p.name for p in files)
    assert all(p.resolve().parent.parent == uploads for p in files)  # uploads/<content hash>/<name>
    assert "evil.txt" in stored and "escape.md" in stored
    assert max(len(n) for n in stored) <= 120
    failed = {Path(o.path).name: o.reason for o in report.outcomes if o.status == "failed"}
    assert "unsupported" in (failed.get("passwd") or "")  # no extension: refused, not written
    assert not (tmp_path.parent / "escape.md").exists() and not Path("/tmp/escape.md").exists()


@pytest.mark.parametrize("question", ["问" * 100_000, "？！。，、……" * 50, "   "])
def test_hostile_questions_get_messages(seeded_kb: KnowledgeBase, question: str) -> None:
    with pytest.raises(QuestionError):
        seeded_kb.answer(question)


def test_cli_shows_document_text_inert(kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "docs" / "hostile.md"
    doc.parent.mkdir()
    doc.write_text("# 危险文档\n\n红色气球计划的说明\x1b[31m在这里\x1b[0m，\u202e反向文字\u202c，还有 [点我](javascript:alert(1))。\n",
                   encoding="utf-8")
    monkeypatch.setenv("KB_DATA_DIR", str(kb.settings.data_dir))
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(doc.parent)]).exit_code == 0
    res = runner.invoke(app, ["ask", "红色气球计划的说明在哪里？"])
    assert res.exit_code == 0
    assert "\x1b" not in res.stdout and "\u202e" not in res.stdout
    assert "javascript:" not in res.stdout  # markdown links keep their text only


def test_secrets_never_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_AUTH", "admin:s3cret-pass")
    monkeypatch.setenv("KB_TOP_K", "not-a-number")
    res = CliRunner().invoke(app, ["docs"])
    assert res.exit_code == 2 and "s3cret" not in res.output
    monkeypatch.setenv("KB_TOP_K", "5")
    from kb import Settings

    s = Settings()
    assert "s3cret" not in repr(s) and "s3cret" not in json.dumps(s.model_dump(mode="json"))
    assert SEEDS.exists()
