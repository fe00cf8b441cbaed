"""An OpenAI-compatible chat API: ``GET /v1/models`` (one model per library) and
``POST /v1/chat/completions`` (streamed as server-sent events, or not).

Any OpenAI client (the ``openai`` SDKs, Open WebUI, LobeChat, Chatbox, curl) can ask a library:
``model`` picks it, earlier ``messages`` make follow-ups work. The answer keeps its ``[n]`` markers
and ends with a plain "Sources" list, so a client that knows nothing else still shows where the
answer comes from; the full citations (the ``kb ask --json`` objects) travel in the extra field
``citations`` of the response and of the final streamed chunk. A refusal is an ordinary answer.

Streaming sends the checked answer sentence by sentence: with an LLM configured its draft is
checked against the passages before anything is sent, so a client never shows text that is
then withdrawn.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from kb import Answer, KBError
from kb.errors import NotFoundError, QuestionError
from kb.knowledge_base import MAX_QUESTION_CHARS
from kb.libraries import Libraries

from .api_access import ApiError, ApiKeys
from .citations import citation_line

_PIECE_RE = re.compile(r".+?(?:\[\d+\]|[。！？.!?](?=\s|$)|$)", re.S)
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


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens, ... are accepted and ignored
    model: str = Field(min_length=1, max_length=100)
    messages: list[Message] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False


def sources_trailer(answer: Answer) -> str:
    """The plain list under the answer: "[1] Title, p. 3 (file.pdf)", title and place first."""
    if not answer.citations:
        return ""
    head = "来源：" if answer.language == "zh" else "Sources:"
    return f"\n\n{head}\n" + "\n".join(f"[{c.n}] {citation_line(c, answer.language)}" for c in answer.citations)


def _conversation(messages: list[Message]) -> tuple[str, list[tuple[str, str]]]:
    """The question (the last user message) and earlier (question, answer) turns for follow-ups."""
    if messages[-1].role != "user" or not messages[-1].text().strip():
        raise ApiError(400, "the last message must be the user's question (role 'user', non-empty content)",
                       param="messages")
    question = messages[-1].text().strip()
    if len(question) > MAX_QUESTION_CHARS:
        raise ApiError(413, f"the question is {len(question):,} characters long; ask in at most "
                            f"{MAX_QUESTION_CHARS:,}", code="question_too_long", param="messages")
    history: list[tuple[str, str]] = []
    pending: str | None = None
    for m in messages[:-1]:
        if m.role == "user":
            pending = m.text().strip()
        elif m.role == "assistant" and pending:
            history.append((pending[:MAX_QUESTION_CHARS], _TRAILER_RE.sub("", m.text())))
            pending = None
    return question, history


def router(libraries: Libraries, keys: ApiKeys) -> APIRouter:
    api = APIRouter(prefix="/v1", dependencies=[Depends(keys)], tags=["OpenAI-compatible"])

    def library(model: str) -> Any:
        try:
            return libraries.get(model)
        except NotFoundError as exc:
            raise ApiError(404, f"the model '{model[:100]}' does not exist: models are the libraries "
                                f"({', '.join(libraries.names())})", code="model_not_found", param="model") from exc

    @api.get("/models")
    def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": name, "object": "model", "created": 0, "owned_by": "kb"}
                                           for name in libraries.names()]}

    @api.get("/models/{model}")
    def model(model: str) -> dict[str, Any]:
        library(model)
        return {"id": model, "object": "model", "created": 0, "owned_by": "kb"}

    @api.post("/chat/completions", response_model=None)
    def chat(request: ChatRequest) -> JSONResponse | StreamingResponse:
        kb = library(request.model)
        question, history = _conversation(request.messages)
        try:
            answer = kb.answer(question, history=history)
        except QuestionError as exc:
            raise ApiError(400, str(exc), param="messages") from exc
        except KBError as exc:
            raise ApiError(500, str(exc)) from exc
        ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        citations = [c.to_dict() for c in answer.citations]
        text = answer.text + sources_trailer(answer)
        if not request.stream:
            return JSONResponse({
                "id": ident, "object": "chat.completion", "created": created, "model": request.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "citations": citations, "refused": answer.refused, "language": answer.language,
            })
        return StreamingResponse(_events(ident, created, request.model, answer, citations),
                                 media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    return api


def _events(ident: str, created: int, model: str, answer: Answer, citations: list[dict[str, Any]]) -> Iterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        body = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in _PIECE_RE.findall(answer.text) or [answer.text]:
        if piece:
            yield chunk({"content": piece})
    trailer = sources_trailer(answer)
    if trailer:
        yield chunk({"content": trailer})
    yield chunk({}, "stop", citations=citations, refused=answer.refused, language=answer.language)
    yield "data: [DONE]\n\n"
