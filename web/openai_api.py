"""An OpenAI-compatible chat API: ``GET /v1/models`` (one model per library) and
``POST /v1/chat/completions`` (streamed as server-sent events, or not).

Any OpenAI client (the ``openai`` SDKs, Open WebUI, LobeChat, Chatbox, curl) can ask a library:
``model`` picks it, earlier ``messages`` make follow-ups work. The answer keeps its ``[n]`` markers
and ends with a plain "Sources" list, so a client that knows nothing else still shows where the
answer comes from; the full citations (the ``kb ask --json`` objects) travel in the extra field
``citations`` of the response and of the final streamed chunk. A refusal is an ordinary answer;
where the library holds the topic but not the fact, its nearest passages travel beside it in the
extra field ``related`` (as in ``kb ask --json``), so a client can show what the library does say.

Streaming sends the checked answer sentence by sentence: with an LLM configured its draft is
checked against the passages before anything is sent, so a client never shows text that is
then withdrawn.

``usage`` counts tokens (``web.usage``); ``stream_options.include_usage`` adds OpenAI's last chunk
with the counts. A model's ``created`` is when its library's oldest document was added. Each
citation links to the pages that check it (``web.cited``); its ``file`` is the server's path only
for a caller on this machine (or with ``KB_API_FULL_PATHS``), the document's name for others. A
key limited to some libraries (``web.keys``) sees only those as models.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from kb import Answer, KBError, KnowledgeBase
from kb.errors import NotFoundError, QuestionError
from kb.knowledge_base import MAX_QUESTION_CHARS
from kb.libraries import Libraries
from kb.records import Turn

from .api_access import ApiError, ApiKeys, visible
from .citations import citation_line
from .cited import public_citations
from .streaming import stream_pieces
from .usage import usage

_TRAILER_RE = re.compile(r"\n\n(?:Sources|来源)：?:?\n.*\Z", re.S)
MAX_MESSAGES = 200


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # [{"type": "text", "text": ...}, {"type": "image_url", ...}]
            return "\n".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: bool = False  # a last chunk with ``usage`` (and no choices) before ``[DONE]``


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens, ... are accepted and ignored
    model: str = Field(min_length=1, max_length=100)
    messages: list[Message] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    stream_options: StreamOptions | None = None


def sources_trailer(answer: Answer) -> str:
    """The plain list under the answer: "[1] Title, p. 3 (file.pdf)", title and place first."""
    if not answer.citations:
        return ""
    head = "来源：" if answer.language == "zh" else "Sources:"
    return f"\n\n{head}\n" + "\n".join(f"[{c.n}] {citation_line(c, answer.language)}" for c in answer.citations)


def _conversation(messages: list[Message]) -> tuple[str, list[Turn]]:
    """The question (the last user message) and earlier (question, answer) turns for follow-ups."""
    if messages[-1].role != "user" or not messages[-1].text().strip():
        raise ApiError(400, "the last message must be the user's question (role 'user', non-empty content)",
                       param="messages")
    question = messages[-1].text().strip()
    if len(question) > MAX_QUESTION_CHARS:
        raise ApiError(413, f"the question is {len(question):,} characters long; ask in at most "
                            f"{MAX_QUESTION_CHARS:,}", code="question_too_long", param="messages")
    history: list[Turn] = []
    pending: str | None = None
    for m in messages[:-1]:
        if m.role == "user":
            pending = m.text().strip()
        elif m.role == "assistant" and pending:
            history.append(Turn(pending[:MAX_QUESTION_CHARS], _TRAILER_RE.sub("", m.text())))
            pending = None
    return question, history


def router(libraries: Libraries, keys: ApiKeys) -> APIRouter:
    api = APIRouter(prefix="/v1", dependencies=[Depends(keys)], tags=["OpenAI-compatible"])
    started = int(time.time())

    def library(model: str, request: Request) -> KnowledgeBase:
        """The library a model names; one the caller's key may not see is as unknown as a missing one."""
        names = visible(request, libraries.names())
        try:
            if model not in names:
                raise NotFoundError(model)
            return libraries.get(model)
        except NotFoundError as exc:
            raise ApiError(404, f"the model '{model[:100]}' does not exist: models are the libraries "
                                f"({', '.join(names)})", code="model_not_found", param="model") from exc

    def described(name: str, request: Request) -> dict[str, Any]:
        """A model card; ``created``: when the library's oldest document was added (else the server started)."""
        dates = [d.ingested_at for d in library(name, request).documents() if d.ingested_at]
        created = int(datetime.fromisoformat(min(dates)).timestamp()) if dates else started
        return {"id": name, "object": "model", "created": created, "owned_by": "kb"}

    @api.get("/models")
    def models(request: Request) -> dict[str, Any]:
        return {"object": "list", "data": [described(n, request) for n in visible(request, libraries.names())]}

    @api.get("/models/{model}")
    def model(model: str, request: Request) -> dict[str, Any]:
        return described(model, request)

    @api.post("/chat/completions", response_model=None)
    def chat(body: ChatRequest, request: Request) -> JSONResponse | StreamingResponse:
        kb = library(body.model, request)
        question, history = _conversation(body.messages)
        try:
            answer = kb.answer(question, history=history)
        except QuestionError as exc:
            raise ApiError(400, str(exc), param="messages") from exc
        except KBError as exc:
            raise ApiError(500, str(exc)) from exc
        ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        citations = public_citations(answer, body.model, request, kb.settings)
        extra = {"related": public_citations(answer, body.model, request, kb.settings, related=True)} \
            if answer.related else {}
        text = answer.text + sources_trailer(answer)
        counted = usage([m.text() for m in body.messages], text)
        if not body.stream:
            return JSONResponse({
                "id": ident, "object": "chat.completion", "created": created, "model": body.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": counted, "citations": citations, "refused": answer.refused, "language": answer.language,
                **extra,
            })
        with_usage = bool(body.stream_options and body.stream_options.include_usage)
        stream = _Stream(ident, created, body.model, counted if with_usage else None)
        return StreamingResponse(stream.events(answer, citations, extra), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})

    return api


class _Stream:
    """The server-sent events of one answer, shaped as OpenAI's ``chat.completion.chunk``s.

    With ``stream_options.include_usage`` every chunk carries ``"usage": null`` and one more chunk,
    with no choices, carries the counts (as OpenAI sends them)."""

    def __init__(self, ident: str, created: int, model: str, counted: dict[str, int] | None) -> None:
        self.head = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": model}
        self.counted = counted

    def chunk(self, choices: list[dict[str, Any]], **extra: Any) -> str:
        body = {**self.head, "choices": choices, **extra}
        if self.counted is not None:
            body.setdefault("usage", None)
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    def delta(self, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        return self.chunk([{"index": 0, "delta": delta, "finish_reason": finish}], **extra)

    def events(self, answer: Answer, citations: list[dict[str, Any]], extra: dict[str, Any]) -> Iterator[str]:
        yield self.delta({"role": "assistant", "content": ""})
        for piece in stream_pieces(answer.text):
            yield self.delta({"content": piece})
        trailer = sources_trailer(answer)
        if trailer:
            yield self.delta({"content": trailer})
        yield self.delta({}, "stop", citations=citations, refused=answer.refused, language=answer.language, **extra)
        if self.counted is not None:
            yield self.chunk([], usage=self.counted)
        yield "data: [DONE]\n\n"
