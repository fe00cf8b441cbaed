"""Event handlers: each calls one ``kb`` or ``ingest`` function and renders its result.

Each returns the components it changes by name (``ui.wiring``), never a tuple in output order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr

from ingest.uploads import ingest_uploads
from kb import Answer, FileOutcome, KBError, KnowledgeBase
from kb.errors import QuestionError
from kb.knowledge_base import MAX_QUESTION_CHARS
from kb.libraries import Libraries
from kb.llm.generate import Final
from kb.records import Turn
from kb.settings import LIBRARY_PATTERN
from web.api_access import sees_full_paths, without_paths
from web.i18n import EXAMPLES, t
from web.reasons import reason_text
from web.streaming import stream_pieces

from . import render
from .wiring import Updates, updates


class Handlers:
    """Each handler takes the session's library name (``lib``, a State set by the picker)."""

    def __init__(self, libraries: Libraries) -> None:
        self.libraries = libraries

    def kb(self, lib: str | None, create: bool = False, lang: str = "en") -> KnowledgeBase:
        try:
            return self.libraries.get(lib or None, create=create)
        except KBError as exc:
            raise gr.Error(t(lang, "library_failed", reason=str(exc)), title=t(lang, "error_title")) from None

    @updates("lib_pick")
    def library_choices(self, lib: str) -> Updates:
        return {"lib_pick": gr.update(choices=self.libraries.names(), value=lib)}

    @updates("lib")
    def pick_library(self, name: str | None, lang: str) -> Updates:
        """The picker's value as the session's library; a new name becomes a library on first upload."""
        name = (name or "").strip() or self.libraries.default
        if not re.match(LIBRARY_PATTERN, name):
            raise gr.Error(t(lang, "bad_library", name=name[:60]), title=t(lang, "error_title"))
        return {"lib": name}

    # --- chat -------------------------------------------------------------------------------
    @updates("chat", "turns", "sources", "box")
    def respond(
        self, message: str, chat: list[dict[str, Any]], turns: list[dict[str, Any]], doc_ids: list[str] | None,
        lang: str, lib: str,
    ) -> Iterator[Updates]:
        """Stream an answer: a searching notice first, then the answer sentence by sentence.

        A question that cannot be asked is refused before anything changes: it stays in the box."""
        question = (message or "").strip()
        if not question:
            raise gr.Error(t(lang, "ask_something"), title=t(lang, "error_title"))
        if len(question) > MAX_QUESTION_CHARS:
            raise gr.Error(t(lang, "too_long", n=f"{len(question):,}", limit=f"{MAX_QUESTION_CHARS:,}"),
                           title=t(lang, "error_title"))
        chat = [*chat, {"role": "user", "content": render.user_markdown(question)},
                {"role": "assistant", "content": "🔎 " + t(lang, "searching")}]
        yield {"chat": chat, "box": ""}
        history = [Turn(turn["question"], turn["answer"].text) for turn in turns]
        answer: Answer | None = None
        written = ""
        try:
            for event in self.kb(lib, lang=lang).answer_events(question, history=history, doc_ids=doc_ids or None):
                if isinstance(event, Final):
                    answer = event.answer
                    break
                written += event.text  # an LLM's words as they arrive, checked when it finishes
                chat[-1] = {"role": "assistant", "content": render.draft_markdown(written, lang)}
                yield {"chat": chat}
        except KBError as exc:
            said = t(lang, "question_rejected" if isinstance(exc, QuestionError) else "answer_failed", reason=str(exc))
            chat[-1] = {"role": "assistant", "content": "⚠️ " + render.escape_markdown(said)}
            yield {"chat": chat}
            return
        assert answer is not None
        turn_index = len(turns)
        pieces = [] if written else stream_pieces(answer.text)
        shown = ""
        for piece in pieces[:-1]:
            shown += piece
            partial = render.answer_markdown(replace(answer, text=shown), turn_index, lang)
            chat[-1] = {"role": "assistant", "content": partial}
            yield {"chat": chat}
        # The turn remembers its message's place in the chat: a failed question adds messages but
        # no turn, so "index // 2" would point 👍/👎 at the wrong answer.
        turns = [*turns, {"question": question, "answer": answer, "message": len(chat) - 1}]
        chat[-1] = {"role": "assistant", "content": render.answer_markdown(answer, turn_index, lang)}
        yield {"chat": chat, "turns": turns, "sources": render.sources_html(turns, lang, lib)}

    def feedback(self, turns: list[dict[str, Any]], lang: str, lib: str, data: gr.LikeData) -> None:
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        turn = next((turn for turn in turns if turn.get("message") == int(index)), None)
        if turn is not None:
            self.kb(lib, lang=lang).record_feedback(turn["question"], turn["answer"], bool(data.liked))
            gr.Info(t(lang, "feedback_thanks"), title=t(lang, "info_title"))

    # --- library ----------------------------------------------------------------------------
    @updates("table", "doc_filter", "pick")
    def library_view(self, lang: str, lib: str) -> Updates:
        docs = self.kb(lib, create=True, lang=lang).documents()
        choices = [(f"{d.title} ({d.name})", d.doc_id) for d in docs]
        return {"table": render.documents_html(docs, lang), "doc_filter": gr.update(choices=choices),
                "pick": gr.update(choices=choices, value=None)}

    @updates("chat")
    def chat_placeholder(self, lang: str, lib: str) -> Updates:
        docs = {Path(d.file).name for d in self.kb(lib, create=True, lang=lang).documents()}
        # Always a value: ``None`` in an update means "leave as it was", which would keep another
        # library's example questions on screen.
        if not docs:
            return {"chat": gr.update(placeholder=t(lang, "empty_kb"), examples=[])}
        examples = [{"text": q} for doc, q in EXAMPLES if doc in docs]
        return {"chat": gr.update(placeholder=t(lang, "empty_chat" if examples else "empty_chat_plain"),
                                  examples=examples)}

    @updates("status", "table", "doc_filter", "pick")
    def upload(self, files: list[str] | None, lang: str, lib: str,
               progress: gr.Progress = gr.Progress()) -> Updates:  # noqa: B008
        if not files:
            return self.library_view(lang, lib)
        pairs = [(Path(f).name, Path(f)) for f in files]
        report = ingest_uploads(self.kb(lib, create=True, lang=lang), pairs, progress=_GradioProgress(progress, lang))
        counts = report.to_dict()["summary"]
        lines = [t(lang, "ingest_done", **counts)]
        failed = [o for o in report.outcomes if o.status == "failed"]
        lines += ["- " + t(lang, "duplicate_row", file=Path(o.path).name.replace("`", "'"),
                           other=render.escape_markdown(o.duplicate_of or ""))
                  for o in report.outcomes if o.status == "duplicate"]
        lines += ["- " + t(lang, "failed_row", file=Path(o.path).name.replace("`", "'"),
                           reason=render.escape_markdown(reason_text(o, lang))) for o in failed]
        if failed:
            gr.Warning(lines[0], title=t(lang, "warning_title"))
        return {"status": "\n".join(lines), **self.library_view(lang, lib)}

    @updates("doc_links")
    def document_links(self, doc_id: str | None, lang: str, lib: str) -> Updates:
        """Links to the picked document's text view and original file."""
        if not doc_id:
            return {"doc_links": ""}
        try:
            doc = self.kb(lib, lang=lang).originals.document(doc_id)
        except (KBError, gr.Error):
            return {"doc_links": ""}
        return {"doc_links": render.document_links(doc, lang, lib)}

    @updates("confirm_row", "confirm_text")
    def ask_delete(self, doc_id: str | None, lang: str, lib: str) -> Updates:
        if not doc_id:
            gr.Warning(t(lang, "pick_first"), title=t(lang, "warning_title"))
            return {"confirm_row": gr.update(visible=False), "confirm_text": ""}
        try:
            doc = self.kb(lib, lang=lang).find_document(doc_id)
        except KBError as exc:
            raise gr.Error(t(lang, "document_failed", reason=str(exc)), title=t(lang, "error_title")) from None
        return {"confirm_row": gr.update(visible=True),
                "confirm_text": t(lang, "confirm_q", title=render.escape_markdown(doc.title), chunks=doc.chunks)}

    @updates("confirm_row", "status", "table", "doc_filter", "pick")
    def delete(self, doc_id: str | None, lang: str, lib: str) -> Updates:
        if not doc_id:
            return {"confirm_row": gr.update(visible=False), **self.library_view(lang, lib)}
        try:
            doc = self.kb(lib, lang=lang).remove(doc_id)
        except KBError as exc:
            raise gr.Error(t(lang, "document_failed", reason=str(exc)), title=t(lang, "error_title")) from None
        return {"confirm_row": gr.update(visible=False),
                "status": t(lang, "deleted", title=render.escape_markdown(doc.title)), **self.library_view(lang, lib)}

    # --- API (gradio_client) ----------------------------------------------------------------
    # Server paths only for this machine's callers (or with KB_API_FULL_PATHS), as in web's APIs.
    def api_ask(self, question: str, doc_ids: list[str] | None = None, library: str | None = None,
                request: gr.Request | None = None) -> dict[str, Any]:
        """Answer a question; returns the same JSON as `kb ask --json`."""
        try:
            answer: Answer = self.kb(library).answer(question, doc_ids=doc_ids or None)
        except KBError as exc:
            raise gr.Error(str(exc)) from None
        out = answer.to_dict()
        if "related" in out:
            out["related"] = self._shown(request, out["related"])
        return {**out, "citations": self._shown(request, out["citations"])}

    def api_documents(self, library: str | None = None, request: gr.Request | None = None) -> list[dict[str, Any]]:
        """The documents in the knowledge base (as `kb docs --json`)."""
        return self._shown(request, [d.to_dict() for d in self.kb(library).documents()])

    def api_delete(self, doc_id: str, library: str | None = None, request: gr.Request | None = None
                   ) -> dict[str, Any]:
        """Delete a document by id; returns what was deleted."""
        try:
            return self._shown(request, [self.kb(library).remove(doc_id).to_dict()])[0]
        except KBError as exc:
            raise gr.Error(str(exc)) from None

    def _shown(self, request: gr.Request | None, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        host = request.client.host if request is not None and request.client else None
        return items if sees_full_paths(host, self.libraries.settings) else [without_paths(i) for i in items]


class _GradioProgress:
    """Adapts the ingestion progress protocol to Gradio's progress bar."""

    def __init__(self, progress: gr.Progress, lang: str) -> None:
        self.p = progress
        self.lang = lang
        self.total_files = 0
        self.done_files = 0
        self.chunk_total = 0
        self.chunk_done = 0

    def files(self, total: int) -> None:
        self.total_files = total

    def file_started(self, path: str) -> None:
        self.p((self.done_files, self.total_files or 1), desc=Path(path).name, unit=t(self.lang, "progress_files"))

    def chunks(self, total: int) -> None:
        self.chunk_total, self.chunk_done = total, 0

    def embedded(self, n: int) -> None:
        self.chunk_done += n
        self.p((self.chunk_done, self.chunk_total or 1), desc=t(self.lang, "progress_embedding"),
               unit=t(self.lang, "progress_passages"))

    def ocr_page(self, done: int, total: int) -> None:
        self.p((done, total), desc=t(self.lang, "progress_ocr"), unit=t(self.lang, "progress_pages"))

    def file_done(self, outcome: FileOutcome) -> None:
        self.done_files += 1
