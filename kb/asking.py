"""The asking side of a knowledge base: from a question to passages and a cited answer.

A question is analysed once into a ``Query`` (terms, answer type, every encoder's vector, the
library view); search, follow-ups, overview, the extractive answer and the LLM's citation check
all read that one object.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import replace

import numpy as np

from .answering.evidence import Sentence
from .answering.extractive import REFUSAL, compose, render
from .answering.followup import Attempt, resolve
from .answering.overview import overview_sentences, overview_topic, pick_document, summary_start
from .answering.small_talk import is_small_talk, small_talk_reply
from .errors import QuestionError
from .fitted import Weights
from .library import Library
from .llm.generate import AnswerEvent, Final, Generator
from .records import Answer, Hit, Turn
from .search.query import Query, make_query
from .search.retrieve import Retriever
from .store.view import LibraryView
from .text import detect_lang, for_embedding, half_width, words
from .tuning import MAX_QUESTION_CHARS, OVERVIEW_SEARCH_K, REMEMBERED_VECTORS


class Asker:
    def __init__(self, library: Library, weights: Weights, generator: Generator | None) -> None:
        self.library = library
        self.weights = weights
        self.generator = generator
        self.retriever = Retriever(weights.passage, library.store.primary)
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, dict[str, np.ndarray]] = OrderedDict()

    # --- the question, analysed once --------------------------------------------------------
    def query(self, question: str, doc_ids: Sequence[str] | None = None, view: LibraryView | None = None) -> Query:
        text = clean_question(question)
        view = view or self.library.view.get()
        return make_query(text, view, self.vectors, frozenset(doc_ids) if doc_ids else None)

    def reading(self, text: str, like: Query) -> Query:
        """Another text read as part of the same question (a follow-up's combined reading)."""
        return make_query(text, like.view, self.vectors, like.doc_ids)

    def vectors(self, text: str) -> dict[str, np.ndarray]:
        """Every encoder's vector of a question, remembered for the last few questions: a follow-up
        tries the question alone and with the previous one, and the UI's search and answer ask twice."""
        key = for_embedding(text)
        with self._lock:
            if key in self._vectors:
                self._vectors.move_to_end(key)
                return self._vectors[key]
        vectors = self.library.encoders.query(key)
        with self._lock:
            self._vectors[key] = vectors
            while len(self._vectors) > REMEMBERED_VECTORS:
                self._vectors.popitem(last=False)
        return vectors

    # --- search and answers ------------------------------------------------------------------
    def search(self, query: Query, k: int | None = None, quotable: bool = False) -> list[Hit]:
        return self.retriever.search(query, k or self.library.settings.top_k, quotable)

    def answer_events(self, query: Query, history: Sequence[Turn] | None = None) -> Iterator[AnswerEvent]:
        """The answer as it is written: ``Delta`` pieces of LLM text, then one checked ``Final``."""
        lang = query.lang
        if is_small_talk(query.text):
            yield Final(small_talk_reply(query.text, lang, query.view.documents.values()))
            return
        if not len(query.view):
            yield Final(Answer(REFUSAL[lang], [], lang, True))
            return
        chosen, follow_up = resolve(query, history or [], self)
        shown = chosen.searched if follow_up else None
        if self.generator is None or chosen.answer.refused and not chosen.hits:
            yield Final(self._named(replace(chosen.answer, searched=shown), query.view))
            return
        for event in self.generator.answer(chosen.query, chosen.hits, chosen.answer):
            yield (Final(self._named(replace(event.answer, searched=shown), query.view))
                   if isinstance(event, Final) else event)

    def attempt(self, query: Query) -> Attempt:
        """Search for one reading and compose the extractive answer (an overview for overview questions)."""
        topic = overview_topic(query.text)
        if topic is not None:
            found = self._overview(query, topic)
            if found is not None:
                return found
        hits = self.search(query, quotable=True)
        return Attempt(query, hits, compose(query, hits, self.weights))

    def rewrite(self, question: str, history: Sequence[Turn]) -> str | None:
        return self.generator.rewrite(question, history) if self.generator else None

    def _named(self, answer: Answer, view: LibraryView) -> Answer:
        """Citations carry their document's short name (which depends on the other documents)."""
        for c in [*answer.citations, *answer.related]:
            doc = view.documents.get(c.doc_id)
            c.name = doc.name if doc else ""
        return answer

    def _overview(self, query: Query, topic: str) -> Attempt | None:
        """The document's own summary, when the question asks about one document and it can be told which;
        None otherwise (the question is then answered as any other)."""
        reading = self.reading(topic, query) if words(topic) else None
        hits = self.search(reading, OVERVIEW_SEARCH_K) if reading else []
        terms = reading.terms if reading else replace(query.terms, terms=[])
        view = query.view
        doc = pick_document(terms, hits, view.documents.values(), query.doc_ids)
        if doc is None:
            return None
        rows = view.document_rows(doc)
        chunks = [view.chunks[r] for r in rows]
        start = summary_start(query.lang, chunks, view.dense.vectors(rows, [c.chunk_id for c in chunks]))
        picked = overview_sentences(chunks, *start) if start else []
        if not picked:
            return Attempt(query, [], Answer(REFUSAL[query.lang], [], query.lang, True))
        used = list(dict.fromkeys(ci for ci, _, _ in picked))
        hits = [Hit(chunks[ci].chunk_id, chunks[ci].text, chunks[ci].meta, 1.0) for ci in used]
        chosen = [Sentence(used.index(ci), pos, sent, detect_lang(sent), 0.0, False) for ci, pos, sent in picked]
        return Attempt(query, hits, render(query.lang, chosen, hits))


def clean_question(question: str) -> str:
    question = half_width(question or "").strip()
    if not question:
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(question):,} characters long; ask in at most {MAX_QUESTION_CHARS:,}"
        )
    if not words(question, keep_stopwords=True):
        raise QuestionError("the question has no words or numbers in it")
    return question
