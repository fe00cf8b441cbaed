"""👍/👎 are recorded against the answer they were given to, also after a failed question."""

from __future__ import annotations

import json
from typing import Any

import gradio as gr

from kb import KnowledgeBase
from kb.libraries import Libraries
from ui.handlers import Handlers


def _ask(h: Handlers, question: str, chat: list[dict[str, Any]], turns: list[dict[str, Any]]) -> tuple[Any, Any]:
    states = list(h.respond(question, chat, turns, None, "en", "default"))
    latest = {name: value for state in states for name, value in state.items()}  # as Gradio applies them
    return latest["chat"], latest.get("turns", turns)


def test_feedback_after_a_failed_question_goes_to_the_right_answer(seeded_kb: KnowledgeBase) -> None:
    h = Handlers(Libraries(seeded_kb.settings, first=seeded_kb))
    chat, turns = _ask(h, "？？！！……", [], [])  # refused as a bad question: two messages, no turn
    assert len(chat) == 2 and turns == []
    question = "How many performers did the union strike of July 2023 represent?"
    chat, turns = _ask(h, question, chat, turns)
    assert len(chat) == 4 and len(turns) == 1
    h.feedback(turns, "en", "default", gr.LikeData(None, {"index": 3, "value": chat[3]["content"], "liked": True}))
    h.feedback(turns, "en", "default", gr.LikeData(None, {"index": 1, "value": chat[1]["content"], "liked": False}))
    records = [json.loads(line) for line in seeded_kb.settings.feedback_file.read_text("utf-8").splitlines()]
    assert [(r["question"], r["liked"]) for r in records][-1:] == [(question, True)]
    assert all(r["question"] != "？？！！……" for r in records)
