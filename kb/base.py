"""``KnowledgeBase``: the one object the CLI, the UI and the ingestion pipeline talk to."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from .answer import REFUSAL, compose
from .dense import ExactCache
from .embeddings import build_embedder
from .errors import NotFoundError, QuestionError
from .generate import AnswerEvent, Final, Generator
from .lexical import LexicalCache
from .llm import ChatModel
from .models import Answer, Chunk, DocumentInfo, Hit
from .query import QueryTerms, analyse
from .retrieve import Retriever
from .settings import Settings, disable_telemetry
from .store import ChunkStore
from .text import detect_lang, words

MAX_QUESTION_CHARS = 2000
_FOLLOW_UP_RE = re.compile(
    r"^(那|那么|还有|而|以及|和|另外|此外|它|他们|她们|这|那个|这个)|呢[？?]?$|"
    r"^(and|what about|how about|and what|what of|same for|also)\b|\b(it|they|them|their|this|that|those|these)\b",
    re.I,
)


class KnowledgeBase:
    """Ingested documents, retrieval and answers over one Chroma collection."""

    def __init__(self, settings: Settings) -> None:
        disable_telemetry()
        self.settings = settings
        self.embedder = build_embedder(settings)
        self.store = ChunkStore(settings, self.embedder.model_id, self.embedder.dim)  # type: ignore[attr-defined]
        self.lexical = LexicalCache(self.store.sync, lambda: list(self.store.all_chunks()))
        self.retriever = Retriever(self.store, self.lexical, ExactCache(self.store, self.store.sync))
        self._write_lock = threading.Lock()
        self.generator = Generator(ChatModel(settings)) if settings.llm_base_url else None

    def warm_up(self) -> None:
        """Load the dictionary, jieba and the lexical index now, not on the first question."""
        from .bilingual import dictionary

        dictionary()
        self.lexical.get()
        self.retriever.exact.get()
        self.embedder.get_query_embedding("warm up")

    # --- library ------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        return sorted(self.store.documents().values(), key=lambda d: d.doc_id)

    def find_document(self, ref: str) -> DocumentInfo:
        """A document by id, by file path (as given or resolved), or by unique file name."""
        docs = self.store.documents()
        if ref in docs:
            return docs[ref]
        resolved = str(Path(ref).expanduser().resolve())
        matches = [d for d in docs.values() if d.file in (ref, resolved)]
        if not matches:
            matches = [d for d in docs.values() if Path(d.file).name == ref or d.doc_id.endswith("/" + ref)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise NotFoundError(f"'{ref}' matches {len(matches)} documents; use the doc id (see `kb docs`)")
        raise NotFoundError(f"no document '{ref}' in the knowledge base (see `kb docs` for ids)")

    def remove(self, ref: str) -> DocumentInfo:
        doc = self.find_document(ref)
        with self._write_lock:
            self.store.delete_document(doc.doc_id)
        return doc

    def put_document(
        self, info: DocumentInfo, chunks: Sequence[Chunk], on_embedded: Callable[[int], None] | None = None
    ) -> None:
        """Embed ``chunks`` in batches and write them, then the registry entry, to the store."""
        vectors: list[list[float]] = []
        size = self.settings.embed_batch_size
        for i in range(0, len(chunks), size):
            batch = [c.text for c in chunks[i : i + size]]
            vectors.extend(self.embedder.get_text_embedding_batch(batch))
            if on_embedded:
                on_embedded(len(batch))
        with self._write_lock:
            self.store.put_document(info, chunks, vectors)

    # --- questions ----------------------------------------------------------------------
    def search(self, question: str, k: int | None = None, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        question = self._check(question)
        return self._search(question, analyse(question, self.lexical.get()), k, doc_ids)

    def _search(self, question: str, query: QueryTerms, k: int | None, doc_ids: Sequence[str] | None) -> list[Hit]:
        vector = self.embedder.get_query_embedding(question)
        return self.retriever.search(query, vector, k or self.settings.top_k, set(doc_ids or ()) or None)

    def answer(
        self,
        question: str,
        history: Sequence[tuple[str, str]] | None = None,
        doc_ids: Sequence[str] | None = None,
    ) -> Answer:
        """Answer ``question``; ``history`` is earlier (question, answer) turns for follow-ups."""
        final = None
        for event in self.answer_events(question, history, doc_ids):
            if isinstance(event, Final):
                final = event.answer
        assert final is not None
        return final

    def answer_events(
        self,
        question: str,
        history: Sequence[tuple[str, str]] | None = None,
        doc_ids: Sequence[str] | None = None,
    ) -> Iterator[AnswerEvent]:
        """The answer as it is written: ``Delta`` pieces of LLM text, then one checked ``Final``."""
        question = self._check(question)
        lang = detect_lang(question)
        if self.store.count() == 0:
            yield Final(Answer(REFUSAL[lang], [], lang, True))
            return
        searched = self.generator.rewrite(question, history) if self.generator and history else None
        query = searched or self._with_context(question, history or [])
        index = self.lexical.get()
        terms = analyse(query, index)
        hits = self._search(query, terms, None, doc_ids)
        extractive = compose(question, terms, hits, self.settings.min_evidence)
        shown = searched if searched and searched != question else None
        if self.generator is None:
            yield Final(replace(extractive, searched=shown))
            return
        for event in self.generator.answer(searched or question, lang, hits, index, extractive):
            yield Final(replace(event.answer, searched=shown)) if isinstance(event, Final) else event

    def record_feedback(self, question: str, answer: Answer, liked: bool) -> None:
        """Append a thumbs up/down with the question, answer and citations to ``feedback.jsonl``.

        Kept as JSON lines so it can later be turned into evaluation questions.
        """
        record = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "liked": liked,
            "question": question,
            **answer.to_dict(),
        }
        path = self.settings.feedback_file
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._write_lock, path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    @staticmethod
    def _check(question: str) -> str:
        question = (question or "").strip()
        if not question:
            raise QuestionError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise QuestionError(
                f"the question is {len(question):,} characters long; ask in at most {MAX_QUESTION_CHARS:,}"
            )
        if not words(question, keep_stopwords=True):
            raise QuestionError("the question has no words or numbers in it")
        return question

    @staticmethod
    def _with_context(question: str, history: Sequence[tuple[str, str]]) -> str:
        """Follow-ups ("那英国呢？", "What about the unions?") borrow the previous question's words."""
        if not history:
            return question
        short = len(words(question)) <= 4
        if short or _FOLLOW_UP_RE.search(question):
            previous = history[-1][0]
            return f"{previous} {question}"
        return question
