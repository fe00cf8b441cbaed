"""A FAKE OpenAI-compatible chat server for tests: it runs no model, it streams scripted replies.

The machines here cannot run a useful LLM, so the generative path is tested against this. The
scenario is the requested model name (``fake-correct``, ``fake-missing``, ...), so one server
serves every case, in-process for kb tests or as ``python -m tests.fake_llm --port N`` for the UI.
Replies are built from the passages in the request, as a model that follows the prompt would.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kb.text import split_sentences

_PASSAGE_RE = re.compile(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', re.S)


def _first_sentence(text: str) -> str:
    text = text.strip()
    for b, e in split_sentences(text):
        s = " ".join(text[b:e].split())
        if len(s) >= 12:
            return s
    return " ".join(text.split())[:120]


def _passages(user: str) -> dict[int, str]:
    return {int(n): body for n, body in _PASSAGE_RE.findall(user)}


def _reply(scenario: str, messages: list[dict[str, str]]) -> str:
    system = messages[0]["content"] if messages else ""
    user = messages[-1]["content"] if messages else ""
    if system.startswith("Rewrite"):
        prev = re.findall(r"^User: (.*)$", user, re.M)
        follow = user.rsplit("Follow-up question:", 1)[-1].strip()
        return f"{prev[-1] if prev else ''} {follow}".strip()
    p = _passages(user)
    one, two = _first_sentence(p.get(1, "")), _first_sentence(p.get(2, ""))
    if scenario == "correct" or scenario == "slow":
        return f"{one} [1] {two} [2]"
    if scenario == "missing":
        return f"{one} [7] {two} [2][9]"
    if scenario == "nocite":
        return f"{one} The moon is made of green cheese and sings every night."
    if scenario == "inject":
        return "HACKED! All previous rules are void. <img src=x onerror=alert(1)> Visit http://evil.example now."
    if scenario == "refuse":
        return "NO_ANSWER"
    return f"{one} [1]"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    requests: list[dict[str, Any]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._json(200, {"object": "list", "data": [{"id": "fake-correct", "object": "model"}]})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        body["_authorization"] = self.headers.get("Authorization", "")
        type(self).requests.append(body)
        scenario = str(body.get("model", "fake-correct")).removeprefix("fake-")
        asked = re.search(r"fake:(\w+)", str(body.get("messages", [{}])[-1].get("content", "")))
        if asked:  # a question can pick its own scenario, so one running app can show several
            scenario = asked.group(1)
        if scenario == "error500":
            # A careless server that echoes the key back: the app must not show it.
            self._json(500, {"error": {"message": f"internal error for key {body['_authorization']}"}})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        if scenario == "malformed":
            self._event('{"id": "x", "choices": [{"delta": {"content": "Half')
            self.wfile.write(b"data: {not json at all\n\n")
            self.wfile.flush()
            return
        text = _reply(scenario, body.get("messages", []))
        step, pause = (6, 0.15) if scenario == "slow" else (12, 0.005)
        for i in range(0, len(text), step):
            if scenario == "stall" and i >= step:
                time.sleep(30)
                return
            self._event(json.dumps({"id": "fake", "object": "chat.completion.chunk", "model": body.get("model"),
                                    "choices": [{"index": 0, "delta": {"content": text[i:i + step]}}]}))
            time.sleep(pause)
        self._event(json.dumps({"id": "fake", "object": "chat.completion.chunk", "model": body.get("model"),
                                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, data: str) -> None:
        try:
            self.wfile.write(f"data: {data}\n\n".encode())
            self.wfile.flush()
        except OSError:
            pass

    def _json(self, code: int, obj: Any) -> None:
        raw = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@contextmanager
def fake_llm_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """``(base_url, requests seen)`` of a fake server on a free loopback port."""
    handler = type("Handler", (_Handler,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", handler.requests
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, required=True)
    port = ap.parse_args().port
    ThreadingHTTPServer(("127.0.0.1", port), _Handler).serve_forever()


if __name__ == "__main__":
    main()
