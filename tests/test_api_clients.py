"""What API clients read, against a real `kb serve` (on 0.0.0.0, with keys and a UI password), through
the `openai` SDK and a plain HTTP client parsing the server-sent events itself: token counts in
``usage`` (and ``stream_options.include_usage``), ``created`` on models, OpenAI-shaped errors for a
body that is not JSON, server paths only for this machine, keys limited to some libraries, and
citation links that accept the same key."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from benchmarks.serve_child import running_app
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings
from web.usage import count_tokens

from .conftest import outside_address

FULL, RESEARCH = "full-key-1", "research-key-2"
REEF = "# 北礁观测站\n\n北礁观测站建于1987年，每天记录三次潮位，数据保存在市档案馆。\n"
STRIKE = "How many performers did the union strike of July 2023 represent?"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("clients")


@pytest.fixture(scope="module")
def server(seeded_settings: Settings, root: Path) -> Iterator[str]:
    shutil.copytree(seeded_settings.data_dir, root / "data")
    (root / "research").mkdir()
    (root / "research" / "reef.md").write_text(REEF, encoding="utf-8")
    assert ingest_paths(KnowledgeBase(Settings(data_dir=root / "data", library="research")),
                        [root / "research"]).count("added") == 1
    env = {"KB_HOST": "0.0.0.0", "KB_API_KEYS": f"{FULL}, {RESEARCH}:research", "KB_AUTH": "ana:s3cret-pass"}
    with running_app(root / "data", extra_env=env) as url:
        yield url


def _client(url: str, key: str = FULL) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "v1", api_key=key, max_retries=0, timeout=60)


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_usage_counts_tokens_streamed_or_not(server: str) -> None:
    client = _client(server)
    done = client.chat.completions.create(model="default", messages=[{"role": "user", "content": STRIKE}])
    text = done.choices[0].message.content or ""
    assert done.usage is not None and done.usage.prompt_tokens == count_tokens(STRIKE) > 5
    assert done.usage.completion_tokens == count_tokens(text) > 10
    assert done.usage.total_tokens == done.usage.prompt_tokens + done.usage.completion_tokens

    chunks = list(client.chat.completions.create(model="default", messages=[{"role": "user", "content": STRIKE}],
                                                 stream=True, stream_options={"include_usage": True}))
    last = chunks[-1]
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert len(chunks) > 1 and last.choices == [] and last.usage is not None and all(c.usage is None for c in chunks[:-1])
    assert last.usage.completion_tokens == count_tokens(streamed) and last.usage.prompt_tokens == count_tokens(STRIKE)

    plain = list(client.chat.completions.create(model="default", messages=[{"role": "user", "content": STRIKE}],
                                                stream=True))
    assert plain and all(c.usage is None and c.choices for c in plain)  # no usage chunk unless asked for


def test_a_plain_http_client_reads_the_event_stream(server: str) -> None:
    body = {"model": "default", "stream": True, "stream_options": {"include_usage": True},
            "messages": [{"role": "user", "content": STRIKE}]}
    events: list[Any] = []
    with httpx.stream("POST", server + "v1/chat/completions", json=body, headers=_auth(FULL), timeout=60) as resp:
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
        for line in resp.iter_lines():
            if line.startswith("data: "):
                events.append(line[6:] if line == "data: [DONE]" else json.loads(line[6:]))
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    final = next(c for c in chunks if c["choices"] and c["choices"][0]["finish_reason"] == "stop")
    assert "16万" in text and "\n\nSources:\n[1] 好莱坞将Sora拒之门外" in text, text  # title first
    assert final["citations"][0]["title"].startswith("好莱坞将Sora") and final["citations"][0]["view_url"]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == count_tokens(text)


def test_models_say_when_they_were_created(server: str, root: Path) -> None:
    models = {m.id: m.created for m in _client(server).models.list()}
    oldest = min(d.ingested_at for d in KnowledgeBase(Settings(data_dir=root / "data", library="research"),
                                                      create=False).documents())
    assert models["research"] == int(datetime.fromisoformat(oldest).timestamp())
    assert all(1_600_000_000 < created <= time.time() for created in models.values())


def test_a_body_that_is_not_json_gets_an_openai_shaped_message(server: str) -> None:
    raw = httpx.post(server + "v1/chat/completions", content=b'{"model": "default", messages', timeout=30,
                     headers={**_auth(FULL), "Content-Type": "application/json"})
    error = raw.json()["error"]
    assert raw.status_code == 400 and error["type"] == "invalid_request_error" and error["code"] == "invalid_json"
    assert error["message"].startswith("the request body is not valid JSON: ") and error["param"] is None
    assert "at character" in error["message"], error


def test_a_key_limited_to_one_library_sees_only_that_one(server: str) -> None:
    limited = _client(server, RESEARCH)
    assert [m.id for m in limited.models.list()] == ["research"]
    with pytest.raises(openai.NotFoundError) as unknown:
        limited.chat.completions.create(model="default", messages=[{"role": "user", "content": STRIKE}])
    assert unknown.value.code == "model_not_found" and "default" not in unknown.value.message.split("(")[1]
    assert httpx.get(server + "v1/models/default", headers=_auth(RESEARCH), timeout=30).status_code == 404
    libraries = httpx.get(server + "api/libraries", headers=_auth(RESEARCH), timeout=30).json()
    assert [r["library"] for r in libraries] == ["research"]
    docs = httpx.get(server + "api/documents", headers=_auth(RESEARCH), timeout=30).json()
    assert [d["name"] for d in docs] == ["reef.md"]  # no library named: the key's own
    assert httpx.get(server + "api/documents", params={"library": "default"}, headers=_auth(RESEARCH),
                     timeout=30).status_code == 404
    assert {m.id for m in _client(server).models.list()} == {"default", "research"}  # the other key sees both


def test_citation_links_open_with_the_same_key(server: str) -> None:
    answer = _client(server, RESEARCH).chat.completions.create(
        model="research", messages=[{"role": "user", "content": "北礁观测站建于哪一年？"}])
    cited = (answer.model_extra or {})["citations"][0]
    assert cited["view_url"].startswith(server + "kb/research/doc/")
    page = httpx.get(cited["view_url"], headers=_auth(RESEARCH), timeout=30)
    assert page.status_code == 200 and "1987" in page.text and "<mark>" in page.text
    original = httpx.get(cited["original_url"], headers=_auth(RESEARCH), timeout=30)
    assert original.status_code == 200 and "北礁观测站" in original.text
    assert httpx.get(cited["original_url"], timeout=30).status_code == 401  # the UI has a password
    seeds = _client(server).chat.completions.create(model="default", messages=[{"role": "user", "content": STRIKE}])
    other = (seeds.model_extra or {})["citations"][0]["original_url"]
    assert httpx.get(other, headers=_auth(RESEARCH), timeout=30).status_code == 401  # not this key's library
    assert httpx.get(other, headers=_auth(FULL), timeout=30).status_code == 200


def test_only_this_machine_sees_server_paths(server: str) -> None:
    question = [{"role": "user", "content": "北礁观测站建于哪一年？"}]
    here = (_client(server).chat.completions.create(model="research", messages=question).model_extra or {})
    assert here["citations"][0]["file"].startswith("/") and here["citations"][0]["file"].endswith("reef.md")
    price = {"question": "How much did Lionsgate pay Runway for their partnership?"}  # refused, passages listed
    near = httpx.post(server + "api/ask", json=price, headers=_auth(FULL), timeout=60).json()
    assert near["refused"] and near["related"] and all(r["file"].startswith("/") for r in near["related"])
    address = outside_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to call itself from")
    away = server.replace("127.0.0.1", address)
    there = (_client(away).chat.completions.create(model="research", messages=question).model_extra or {})
    assert there["citations"][0]["file"] == "reef.md" and there["citations"][0]["view_url"].startswith(away)
    docs = httpx.get(away + "api/documents", params={"library": "research"}, headers=_auth(FULL), timeout=30).json()
    assert [(d["file"], d["source"]) for d in docs] == [("reef.md", "reef.md")]
    hits = httpx.get(away + "api/search", params={"q": "北礁", "library": "research"}, headers=_auth(FULL),
                     timeout=30).json()
    assert hits and all("/" not in h["file"] for h in hits)
    far = httpx.post(away + "api/ask", json=price, headers=_auth(FULL), timeout=60).json()
    assert far["related"] and all("/" not in r["file"] and r["view_url"].startswith(away) for r in far["related"])

