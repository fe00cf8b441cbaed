"""Generative answers: the LLM writes from the retrieved passages; the extractive answer is the net.

The reply streams as it arrives, then is checked (``citecheck``) before it becomes the answer.
Any failure, or a reply that no passage supports, gives the extractive answer with a notice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from ..answering.extractive import REFUSAL
from ..errors import LLMError
from ..records import Answer, Hit, Turn
from ..search.query import Query
from ..text import detect_lang
from .citecheck import check
from .client import ChatModel
from .prompt import NO_ANSWER, answer_messages, rewrite_messages

log = logging.getLogger(__name__)

_FALLBACK = {
    "en": "The language model did not answer: {reason}. This answer is taken from the documents as they are.",
    "zh": "语言模型未能作答：{reason}。以下答案直接摘自文档原文。",
}
_UNSUPPORTED = {
    "en": "its answer is not supported by any passage",
    "zh": "其回答没有任何段落支持",
}
_MAX_REWRITE_CHARS = 400


@dataclass
class Delta:
    """Text the model has written so far is ``text`` longer (unchecked, for display while streaming)."""

    text: str


@dataclass
class Final:
    answer: Answer


AnswerEvent = Delta | Final


class Generator:
    def __init__(self, model: ChatModel) -> None:
        self.model = model

    def rewrite(self, question: str, history: Sequence[Turn]) -> str | None:
        """A stand-alone version of a follow-up, in its language; None when the model fails."""
        lang = detect_lang(question)
        try:
            text = self.model.complete(rewrite_messages(question, lang, history), max_tokens=120)
        except LLMError as exc:
            log.info("follow-up not rewritten: %s", exc)
            return None
        line = next((ln.strip() for ln in text.strip().splitlines() if ln.strip()), "")
        line = line.removeprefix("Question:").removeprefix("问题：").strip().strip('"“”')
        if not line or len(line) > _MAX_REWRITE_CHARS or NO_ANSWER in line or detect_lang(line) != lang:
            return None
        return line

    def answer(self, query: Query, hits: Sequence[Hit], fallback: Answer) -> Iterator[AnswerEvent]:
        lang = query.lang
        if not hits:
            yield Final(fallback)
            return
        reply = ""
        held = ""
        try:
            for piece in self.model.stream(answer_messages(query.text, lang, hits)):
                reply += piece
                # Hold back what could still become the refusal token, so it never flashes on screen.
                if NO_ANSWER.startswith(reply.strip()):
                    held += piece
                    continue
                yield Delta(held + piece)
                held = ""
        except LLMError as exc:
            log.info("%s", exc)
            yield Final(replace(fallback, notice=_FALLBACK[lang].format(reason=exc.in_language(lang))))
            return
        if reply.strip().startswith(NO_ANSWER) or reply.strip() == "":
            # The nearest passages found stay with the refusal (``Answer.related``): none was quoted.
            yield Final(Answer(REFUSAL[lang], [], lang, True, mode="llm", related=fallback.related))
            return
        checked = check(reply, hits, lang, query.view.lexical)
        if checked.cited_sentences == 0:
            reason = _UNSUPPORTED[lang]
            yield Final(replace(fallback, notice=_FALLBACK[lang].format(reason=reason)))
            return
        yield Final(Answer(checked.text, checked.citations, lang, False, mode="llm",
                           unsupported=checked.unsupported))
