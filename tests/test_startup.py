"""Start-up does only what the command needs: no chromadb or llama-index for `kb --help`, and
the dictionary parsed once per machine, not once per process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kb.search import bilingual

from .conftest import REPO


def test_help_imports_neither_chromadb_nor_llama_index() -> None:
    code = ("import sys; from kbcli.main import app; "
            "print([m for m in ('chromadb', 'llama_index.core', 'gradio', 'jieba') if m in sys.modules])")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert res.stdout.strip() == "[]"
    res = subprocess.run([sys.executable, "-m", "kbcli.main", "--help"], capture_output=True, text=True, cwd=REPO)
    assert res.returncode == 0 and "ingest" in res.stdout


def test_dictionary_cache_matches_a_fresh_parse_and_survives_damage(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = bilingual.Dictionary.load()  # parses and writes the cache
    (cache,) = (tmp_path / "kb").glob("cedict-*.marshal")
    again = bilingual.Dictionary.load()  # from the cache
    assert again.en2zh == first.en2zh and again.zh2en == first.zh2en
    assert "工会" in again.english_to_chinese("unions") and "union" in " ".join(again.chinese_to_english("工会"))
    cache.write_bytes(b"\x00garbage")
    damaged = bilingual.Dictionary.load()
    assert damaged.zh2en == first.zh2en
    assert cache.read_bytes() != b"\x00garbage"  # rewritten
