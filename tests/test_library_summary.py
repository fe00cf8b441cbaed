"""One summary of the libraries (``Libraries.summary``) behind `kb libraries --json` and ``GET /api/libraries``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ingest.pipeline import ingest_paths
from kb import Settings
from kb.libraries import Libraries, LibrarySummary
from kbcli.main import app as cli
from web.server import create_app


def test_the_cli_and_the_rest_api_list_the_same_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reef = tmp_path / "reef.md"
    reef.write_text("# 北礁观测站\n\n北礁观测站建于1987年，每天记录三次潮位。\n", encoding="utf-8")
    libraries = Libraries(Settings(data_dir=tmp_path / "data", api_open=True))
    ingest_paths(libraries.get("research", create=True), [reef])
    (doc,) = libraries.get("research").documents()

    rows = libraries.summary()
    assert rows == [LibrarySummary("default", 0, 0, current=True), LibrarySummary("research", 1, doc.chunks, False)]
    assert doc.chunks >= 1
    assert libraries.summary(["research"]) == rows[1:]  # only the names asked for (a key's visible ones)
    assert libraries.summary(["gone"]) == [LibrarySummary("gone", 0, 0, False)]  # removed since it was listed

    expected = [r.to_dict() for r in rows]
    assert expected[1] == {"library": "research", "documents": 1, "chunks": doc.chunks, "current": False}
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))
    res = CliRunner().invoke(cli, ["libraries", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == expected
    rest, _ = create_app(libraries)
    assert TestClient(rest).get("/api/libraries").json() == expected
