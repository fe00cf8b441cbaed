"""``KnowledgeBase``: the one object the CLI, the UI and the ingestion pipeline talk to."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from .answering.evidence import Sentence
from .answering.extractive import REFUSAL, compose, render
from .answering.followup import Attempt, resolve
from .answering.overview import is_overview, overview_sentences, pick_document, summary_start, topic_of
from .embed.local import Embedder, build_embedder
from .errors import NotFoundError, QuestionError
from .fitted import Weights, default_weights
from .llm.client import ChatModel
from .llm.generate import AnswerEvent, Final, Generator
from .records import Answer, Chunk, DocumentInfo, Hit
from .search.query import QueryTerms, analyse
from .search.retrieve import Retriever
from .settings import Settings, disable_telemetry
from .store.chroma import ChunkStore
from .store.identity import ID_SCHEME, display_names, source_key, text_hash
from .store.migrate import migrate
from .store.originals import Originals
from .store.view import LibraryView, ViewCache
from .text import detect_lang, for_embedding, half_width, words

MAX_QUESTION_CHARS = 2000
_REMEMBERED_VECTORS = 256  # question embeddings kept (about 1.5 kB each)


class KnowledgeBase:
    """Ingested documents, retrieval and answers over one Chroma collection."""

    def __init__(self, settings: Settings, weights: Weights | None = None, create: bool = True,
                 embedder: Embedder | None = None) -> None:
        """Open (or, with ``create``, start) the library the settings point at.

        ``create=False`` is for commands that only read: a library that does not exist is a
        ``NotFoundError`` and nothing is written. A library from an earlier version is upgraded
        once on opening (``migrated`` says how many documents moved to new ids).
        """
        disable_telemetry()
        self.settings = settings
        self.embedder = embedder or build_embedder(settings)
        self.store = ChunkStore(settings, self.embedder.model_id, self.embedder.dim,
                                create=create)
        self.migrated = 0
        if self.store.id_scheme() < ID_SCHEME:
            self.migrated = migrate(self.store, shared=bool(settings.chroma_url))
            self.store.set_id_scheme(ID_SCHEME)
        self.view = ViewCache(self.store, settings.exact_limit)
        self.originals = Originals(self.store, shared=bool(settings.chroma_url))
        self.weights = weights or default_weights()
        if settings.min_evidence is not None:
            self.weights = replace(self.weights, thresholds={"default": settings.min_evidence})
        self.retriever = Retriever(self.store, self.weights.passage)
        self._write_lock = threading.Lock()
        self._vector_lock = threading.Lock()
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._names: tuple[str, dict[str, str]] = ("", {})
        self.generator = Generator(ChatModel(settings)) if settings.llm_base_url else None

    def warm_up(self) -> None:
        """Load the dictionary, jieba and the library's view now, not on the first question."""
        from .search.bilingual import dictionary

        dictionary()
        self.view.get()
        self.embedder.get_query_embedding("warm up")

    # --- library ------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        """Every document, by name; ``name`` is the shortest tail of its path no other document shares."""
        docs = list(self.store.documents().values())
        names = display_names((d.doc_id, d.source.partition(":")[2] if self.settings.chroma_url and ":" in d.source
                               else d.file) for d in docs)
        for d in docs:
            d.name = names.get(d.doc_id, d.file)
        return sorted(docs, key=lambda d: (d.name.casefold(), d.doc_id))

    def find_document(self, ref: str) -> DocumentInfo:
        """A document by id, by its file's path (any spelling of it), or by a name no other document shares."""
        docs = {d.doc_id: d for d in self.documents()}
        if ref in docs:
            return docs[ref]
        key = source_key(ref, shared=bool(self.settings.chroma_url))
        matches = [d for d in docs.values() if d.source == key or d.file == ref]
        if not matches:
            tail = ref.strip("/")
            matches = [d for d in docs.values() if d.name == tail or d.file.endswith("/" + tail)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(sorted(d.name for d in matches)[:5])
            raise NotFoundError(f"'{ref}' matches {len(matches)} documents ({names}); give more of the path "
                                "or the doc id (see `kb docs`)")
        raise NotFoundError(f"no document '{ref}' in the knowledge base (see `kb docs`)")

    def remove(self, ref: str) -> DocumentInfo:
        doc = self.find_document(ref)
        with self._write_lock:
            self.store.delete_document(doc.doc_id)
        return doc

    def delete_orphans(self) -> int:
        """Remove chunks whose document has no registry entry (left by an interrupted first ingest)."""
        with self._write_lock:
            return self.store.delete_orphans()

    def put_document(
        self, info: DocumentInfo, chunks: Sequence[Chunk], on_embedded: Callable[[int], None] | None = None
    ) -> int:
        """Write a document's chunks, then its registry entry; returns how many chunks were embedded.

        A chunk whose exact embedded text is stored already (a moved, renamed or re-chunked
        file) takes that vector instead of a model call.
        """
        texts = [for_embedding(c.text) for c in chunks]
        hashes = [text_hash(t) for t in texts]
        known = self.store.stored_vectors(hashes)
        todo = [i for i, h in enumerate(hashes) if h not in known]
        size = self.settings.embed_batch_size
        for start in range(0, len(todo), size):
            batch = todo[start : start + size]
            for i, vec in zip(batch, self.embedder.get_text_embedding_batch([texts[i] for i in batch]), strict=True):
                known[hashes[i]] = list(vec)
            if on_embedded:
                on_embedded(len(batch))
        if on_embedded and len(chunks) > len(todo):
            on_embedded(len(chunks) - len(todo))
        with self._write_lock:
            self.store.put_document(info, chunks, [known[h] for h in hashes], hashes)
        return len(todo)

    # --- questions ----------------------------------------------------------------------
    def search(self, question: str, k: int | None = None, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        question = self.clean_question(question)
        view = self.view.get()
        return self._search(question, analyse(question, view.lexical), view, k, doc_ids)

    def _search(self, question: str, query: QueryTerms, view: LibraryView, k: int | None,
                doc_ids: Sequence[str] | None) -> list[Hit]:
        vector = self.question_vector(question)
        return self.retriever.search(query, vector, k or self.settings.top_k, view, set(doc_ids or ()) or None)

    def question_vector(self, question: str) -> list[float]:
        """The question's embedding, remembered for the last few questions: a follow-up tries
        the question alone and with the previous one, and the UI's search and answer ask twice."""
        text = for_embedding(question)
        with self._vector_lock:
            if text in self._vectors:
                self._vectors.move_to_end(text)
                return self._vectors[text]
        vector = list(self.embedder.get_query_embedding(text))
        with self._vector_lock:
            self._vectors[text] = vector
            while len(self._vectors) > _REMEMBERED_VECTORS:
                self._vectors.popitem(last=False)
        return vector

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
        question = self.clean_question(question)
        lang = detect_lang(question)
        view = self.view.get()  # one version of the library for every step of this answer
        if not len(view.lexical):
            yield Final(Answer(REFUSAL[lang], [], lang, True))
            return
        rewrite = self.generator.rewrite if self.generator else None
        chosen, follow_up = resolve(question, history or [], lambda text: self._attempt(text, view, doc_ids),
                                    rewrite, lambda q, attempt: self._addresses(q, attempt, view))
        shown = chosen.searched if follow_up else None
        if self.generator is None or chosen.answer.refused and not chosen.hits:
            yield Final(self._named(replace(chosen.answer, searched=shown)))
            return
        for event in self.generator.answer(chosen.searched, lang, chosen.hits, view.lexical, chosen.answer):
            yield Final(self._named(replace(event.answer, searched=shown))) if isinstance(event, Final) else event

    def _named(self, answer: Answer) -> Answer:
        """Citations carry their document's short name (which depends on the other documents)."""
        fp = self.store.sync()
        if self._names[0] != fp:
            self._names = (fp, {d.doc_id: d.name for d in self.documents()})
        for c in answer.citations:
            c.name = self._names[1].get(c.doc_id, "")
        return answer

    def _attempt(self, text: str, view: LibraryView, doc_ids: Sequence[str] | None) -> Attempt:
        """Search for ``text`` and compose the extractive answer (an overview for overview questions)."""
        if is_overview(text):
            found = self._overview(text, view, doc_ids)
            if found is not None:
                return found
        terms = analyse(text, view.lexical)
        hits = self._search(text, terms, view, None, doc_ids)
        return Attempt(text, hits, compose(text, terms, hits, self.weights))

    def _addresses(self, question: str, attempt: Attempt, view: LibraryView) -> bool:
        """Whether an answer contains any of the question's own terms (through the dictionary)."""
        terms = analyse(question, view.lexical)
        return not terms.terms or terms.coverage(attempt.answer.text) > 0

    def _overview(self, text: str, view: LibraryView, doc_ids: Sequence[str] | None) -> Attempt | None:
        topic = topic_of(text)
        topic = self.clean_question(topic if words(topic) else text)
        hits = self._search(topic, analyse(topic, view.lexical), view, 10, doc_ids)
        doc = pick_document(hits, doc_ids, [d.doc_id for d in self.documents()])
        if doc is None:
            return None
        ids, texts, metas, vectors = self.store.document_chunks(doc)
        chunks = list(zip(ids, texts, metas, strict=True))
        start = summary_start(detect_lang(text), chunks, vectors)
        if start is None:
            return None
        picked = overview_sentences(chunks, *start)
        used = list(dict.fromkeys(ci for ci, _, _ in picked))
        hits = [Hit(ids[ci], texts[ci], metas[ci], 1.0) for ci in used]
        chosen = [Sentence(used.index(ci), pos, sent, detect_lang(sent), 0.0, False) for ci, pos, sent in picked]
        return Attempt(text, hits, render(detect_lang(text), chosen, hits))

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
