"""``KnowledgeBase``: the one object the CLI, the UI, the HTTP APIs and the ingestion pipeline talk to.

It is the library (``kb.library``: documents, chunks, vectors, the view) with the asking side
(``kb.asking``) attached: the shells call these few methods and render what comes back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from .asking import Asker, clean_question
from .embed.base import Embedder
from .embed.encoders import Encoders
from .fitted import Weights, default_weights
from .library import Library
from .llm.client import ChatModel
from .llm.generate import AnswerEvent, Final, Generator
from .records import Answer, Hit, Turn
from .settings import Settings
from .tuning import MAX_QUESTION_CHARS

__all__ = ["KnowledgeBase", "MAX_QUESTION_CHARS"]


class KnowledgeBase(Library):
    """Ingested documents, retrieval and answers over one Chroma library."""

    def __init__(self, settings: Settings, weights: Weights | None = None, create: bool = True,
                 embedder: Embedder | None = None, encoders: Encoders | None = None) -> None:
        super().__init__(settings, create=create, embedder=embedder, encoders=encoders)
        weights = weights or default_weights()
        if settings.min_evidence is not None:
            weights = replace(weights, thresholds={"default": settings.min_evidence})
        self.weights = weights
        generator = Generator(ChatModel(settings)) if settings.llm_base_url else None
        self.asker = Asker(self, weights, generator)

    @property
    def generator(self) -> Generator | None:
        return self.asker.generator

    def warm_up(self) -> None:
        """Load the dictionary, jieba, the encoders and the library's view now, not on the first question."""
        from .search.bilingual import dictionary

        dictionary()
        self.view.get()
        self.encoders.query("warm up")

    def search(self, question: str, k: int | None = None, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        return self.asker.search(self.asker.query(question, doc_ids), k)

    def answer(self, question: str, history: Sequence[Turn] | None = None,
               doc_ids: Sequence[str] | None = None) -> Answer:
        """Answer ``question``; ``history`` is earlier (question, answer) turns for follow-ups."""
        final = None
        for event in self.answer_events(question, history, doc_ids):
            if isinstance(event, Final):
                final = event.answer
        assert final is not None
        return final

    def answer_events(self, question: str, history: Sequence[Turn] | None = None,
                      doc_ids: Sequence[str] | None = None) -> Iterator[AnswerEvent]:
        """The answer as it is written: ``Delta`` pieces of LLM text, then one checked ``Final``."""
        yield from self.asker.answer_events(self.asker.query(question, doc_ids), history)

    def record_feedback(self, question: str, answer: Answer, liked: bool) -> None:
        """Append a thumbs up/down with the question, answer and citations to ``feedback.jsonl``.

        Kept as JSON lines so it can later be turned into evaluation questions.
        """
        record = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "liked": liked, "question": question,
                  **answer.to_dict()}
        path = self.settings.feedback_file
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._write_lock, path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    clean_question = staticmethod(clean_question)
