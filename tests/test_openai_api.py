"""The OpenAI-compatible API and the REST API against a real `kb serve`, through the official
`openai` Python client and plain HTTP: cited answers (streamed and not), two libraries that
answer only from their own documents, follow-ups through `messages`, keys, errors, uploads."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from benchmarks.serve_child import running_app
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings

from .conftest import outside_address

KEY = "test-key-1"
RESEARCH = ("# 北礁观测站\n\n北礁观测站建于1987年，每天记录三次潮位，数据保存在市档案馆。\n\n"
            "The North Reef station was built in 1987 and records the tide three times a day.\n")


@pytest.fixture(scope="module")
def server(seeded_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("api")
    data = root / "data"
    shutil.copytree(seeded_settings.data_dir, data)
    (root / "research").mkdir()
    (root / "research" / "reef.md").write_text(RESEARCH, encoding="utf-8")
    research = KnowledgeBase(Settings(data_dir=data, library="research"))
    assert ingest_paths(research, [root / "research"]).count("added") == 1
    with running_app(data, extra_env={"KB_API_KEYS": f"{KEY}, second-key"}) as url:
        yield url


def _client(url: str, key: str = KEY) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "v1", api_key=key, max_retries=0, timeout=60)


def test_models_are_the_libraries(server: str) -> None:
    assert sorted(m.id for m in _client(server).models.list()) == ["default", "research"]


def test_cited_answers_streamed_and_not(server: str) -> None:
    client = _client(server)
    zh = client.chat.completions.create(model="default", messages=[
        {"role": "user", "content": "德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？"}])
    text = zh.choices[0].message.content or ""
    assert "3%" in text and "[1]" in text and "\n\n来源：\n[1] " in text, text
    citations = (zh.model_extra or {})["citations"]
    assert citations[0]["file"].endswith("000_dd79d8dfbe91c922.txt") and citations[0]["highlights"]

    stream = client.chat.completions.create(model="default", stream=True, messages=[
        {"role": "user", "content": "How many performers did the union strike of July 2023 represent?"}])
    pieces, last = [], None
    for chunk in stream:
        pieces.append(chunk.choices[0].delta.content or "")
        last = chunk
    text = "".join(pieces)
    assert len([p for p in pieces if p]) >= 2, pieces  # the answer, then its sources, as separate events
    assert "16万" in text and "\n\nSources:\n[1] " in text, text
    assert last is not None and last.choices[0].finish_reason == "stop"
    assert (last.model_extra or {})["citations"][0]["file"].endswith("001_d087a9b4bca2ef81.txt")


def test_a_refusal_carries_the_nearest_passages(server: str) -> None:
    """The library names Runway and Lionsgate's partnership, not what was paid: refused, with what it holds."""
    client = _client(server)
    question = [{"role": "user", "content": "How much did Lionsgate pay Runway for their partnership?"}]
    plain = client.chat.completions.create(model="default", messages=question)
    extra = plain.model_extra or {}
    assert extra["refused"] and not extra["citations"], extra
    related = extra["related"]
    assert related and any("Runway" in r["text"] for r in related), related
    assert all(r["view_url"].startswith(server) for r in related)
    last = None
    for chunk in client.chat.completions.create(model="default", messages=question, stream=True):
        last = chunk
    assert last is not None and [r["chunk_id"] for r in (last.model_extra or {})["related"]] == \
        [r["chunk_id"] for r in related]


def test_each_library_answers_only_from_its_own_documents(server: str) -> None:
    client = _client(server)
    question = [{"role": "user", "content": "北礁观测站建于哪一年？"}]
    own = client.chat.completions.create(model="research", messages=question)
    assert "1987" in (own.choices[0].message.content or "")
    cited = (own.model_extra or {})["citations"]
    assert cited and all(c["file"].endswith("reef.md") for c in cited), cited
    other = client.chat.completions.create(model="default", messages=question)
    assert "1987" not in (other.choices[0].message.content or "")
    extra = other.model_extra or {}  # refused, or cites only the seeds
    assert extra["refused"] or (extra["citations"] and all(not c["file"].endswith("reef.md") for c in extra["citations"]))
    seeds_q = [{"role": "user", "content": "How many performers did the union strike of July 2023 represent?"}]
    away = client.chat.completions.create(model="research", messages=seeds_q)
    extra = away.model_extra or {}  # refused, or cites only the reef
    assert extra["refused"] or (extra["citations"] and all(c["file"].endswith("reef.md") for c in extra["citations"]))


def test_a_follow_up_through_messages(server: str) -> None:
    client = _client(server)
    first = "Which union went on strike in July 2023?"
    a1 = client.chat.completions.create(model="default", messages=[{"role": "user", "content": first}])
    a2 = client.chat.completions.create(model="default", messages=[
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": first},
        {"role": "assistant", "content": a1.choices[0].message.content},
        {"role": "user", "content": [{"type": "text", "text": "How many performers did it represent?"}]}])
    assert "16万" in (a2.choices[0].message.content or "")


def test_errors_are_openai_shaped(server: str) -> None:
    with pytest.raises(openai.AuthenticationError) as wrong:
        _client(server, "not-a-key").models.list()
    assert wrong.value.status_code == 401 and wrong.value.code == "invalid_api_key"
    with pytest.raises(openai.NotFoundError) as unknown:
        _client(server).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert unknown.value.code == "model_not_found" and "default, research" in unknown.value.message
    with pytest.raises(openai.BadRequestError):
        _client(server).chat.completions.create(model="default", messages=[])
    with pytest.raises(openai.BadRequestError):
        _client(server).chat.completions.create(model="default", messages=[{"role": "assistant", "content": "x"}])
    with pytest.raises(openai.APIStatusError) as long:
        _client(server).chat.completions.create(model="default", messages=[{"role": "user", "content": "长" * 2500}])
    assert long.value.status_code == 413
    raw = httpx.post(server + "v1/chat/completions", content=b"{not json", timeout=30,
                     headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    assert raw.status_code == 400 and raw.json()["error"]["type"] == "invalid_request_error"
    assert httpx.get(server + "v1/models", timeout=30).status_code == 401  # no key at all


def test_rest_upload_then_search_then_remove(server: str, tmp_path: Path) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    note = tmp_path / "灯塔 notes.md"
    note.write_text("# 灯塔维护\n\n南岬灯塔的透镜每年三月清洗一次，由港务局安排。\n", encoding="utf-8")
    with note.open("rb") as f:
        up = httpx.post(server + "api/documents", params={"library": "research"}, headers=headers, timeout=120,
                        files=[("files", (note.name, f, "text/markdown"))])
    assert up.status_code == 200 and up.json()["summary"]["added"] == 1, up.text
    doc_id = up.json()["files"][0]["doc_id"]
    hits = httpx.get(server + "api/search", params={"q": "灯塔的透镜多久清洗一次", "library": "research"},
                     headers=headers, timeout=60).json()
    assert hits[0]["doc_id"] == doc_id and "三月" in hits[0]["text"] and 0 < hits[0]["score"] <= 1
    docs = httpx.get(server + "api/documents", params={"library": "research"}, headers=headers, timeout=60).json()
    assert doc_id in {d["doc_id"] for d in docs}
    default_docs = httpx.get(server + "api/documents", headers=headers, timeout=60).json()
    assert doc_id not in {d["doc_id"] for d in default_docs}
    gone = httpx.delete(server + f"api/documents/{doc_id}", params={"library": "research"}, headers=headers,
                        timeout=60)
    assert gone.status_code == 200 and gone.json()["doc_id"] == doc_id
    assert httpx.delete(server + f"api/documents/{doc_id}", params={"library": "research"}, headers=headers,
                        timeout=60).status_code == 404
    libraries = httpx.get(server + "api/libraries", headers=headers, timeout=60).json()
    assert {r["library"] for r in libraries} == {"default", "research"}
    assert httpx.get(server + "api/documents", params={"library": "nope"}, headers=headers,
                     timeout=60).status_code == 404


def test_concurrent_streaming_clients(server: str) -> None:
    seconds = float(os.environ.get("KBTEST_API_SECONDS", "30"))
    questions = ["德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？",
                 "How many performers did the union strike of July 2023 represent?",
                 "生成对抗网络（GAN）由哪两个部分构成？", "北礁观测站建于哪一年？"]
    errors: list[str] = []
    done: list[int] = []
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        client = _client(server)
        n = 0
        while time.monotonic() < stop:
            q = questions[(i + n) % len(questions)]
            model = "research" if "北礁" in q else "default"
            try:
                text, final = "", None
                for chunk in client.chat.completions.create(model=model, stream=True,
                                                            messages=[{"role": "user", "content": q}]):
                    text += chunk.choices[0].delta.content or ""
                    final = chunk
                extra: dict[str, Any] = (final.model_extra or {}) if final else {}
                if not text or "citations" not in extra:
                    errors.append(f"client {i}: incomplete answer to {q!r}")
            except Exception as exc:  # noqa: BLE001 - every failure is counted, none may happen
                errors.append(f"client {i}: {type(exc).__name__}: {exc}")
            n += 1
        done.append(n)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    print(f"8 streaming clients, {seconds:.0f} s: {sum(done)} answers, {len(errors)} errors")
    assert not errors, errors[:5]
    assert len(done) == 8 and min(done) >= 1


def test_without_keys_only_this_machine_may_use_the_api(seeded_settings: Settings, tmp_path: Path) -> None:
    address = outside_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to call itself from")
    with running_app(tmp_path / "data", seed_from=seeded_settings.data_dir, extra_env={"KB_HOST": "0.0.0.0"}) as url:
        assert httpx.get(url + "v1/models", timeout=30).status_code == 200  # from loopback
        port = url.rstrip("/").rsplit(":", 1)[1]
        outside = httpx.get(f"http://{address}:{port}/v1/models", timeout=30)
        assert outside.status_code == 401 and outside.json()["error"]["code"] == "no_api_keys"
        assert httpx.get(f"http://{address}:{port}/", timeout=30).status_code == 200  # the UI stays reachable

