"""What the fitted models learn from: every dev question of every set with its candidate passages,
and the labels (does a passage hold the evidence, does a text hold the answer keyword).

Candidates are the slow part (each question embedded by every encoder, every list searched), so
they are collected once per set and cached until the code that makes them changes.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings
from kb.answering.evidence import ANSWER_FEATURES, SENTENCE_FEATURES
from kb.fitted import LinearModel, Weights
from kb.records import Hit, StoredChunk
from kb.search.candidates import PASSAGE_FEATURES, Candidate
from kb.search.query import Query
from kb.search.retrieve import Twin, has_content, rank, twin_of, with_twins
from kb.store.dense import LANGS
from kb.text import sentences_of

from .matching import contains_evidence, squash
from .questions import Question, stratified_sample

K = 5
REPO = Path(__file__).resolve().parents[1]
_squash = lru_cache(maxsize=500_000)(squash)  # the same texts are compared many times over
# What the collected candidates depend on: the code that finds and describes them.
_CODE = ("kb/search/candidates.py", "kb/search/query.py", "kb/text.py", "kb/store/lexical.py", "kb/store/dense.py",
         "kb/search/bilingual.py", "kb/search/retrieve.py", "kb/lexicon.py", "kb/embed/encoders.py",
         "kb/store/view.py", "kb/store/reference.py", "evals/fit_data.py", "ingest/pipeline.py", "ingest/clean.py",
         "kb/common_words.py", "kb/common_words.tsv", "kb/english_words.txt")


@dataclass
class Item:
    """One question with its candidate passages (features do not depend on any model)."""

    set: str
    q: Question
    query: Query  # as the knowledge base reads it, without its library view (not kept)
    group: str
    cands: list[Candidate]
    twins: dict[int, Twin]  # a candidate's row -> its version in the question's language (see top_hits)
    fit: bool = True  # fitted on (script variants of a set are only measured)
    fold: int = 0
    rows: tuple[Weights, list[Any]] | None = None  # answer rows under the last weights asked about
    memo: dict[str, Any] = field(default_factory=dict)  # chunk id -> its sentences' rank-free features
    labels: dict[tuple[str, str], bool] = field(default_factory=dict)  # evidence / keyword found, by text

    @property
    def answerable(self) -> bool:
        return self.q.answerable

    @property
    def lang(self) -> str:
        return self.query.lang

    def has_evidence(self, c: Candidate | Hit | Any) -> bool:
        """Whether a passage (candidate, hit or citation) holds the question's evidence; kept per chunk."""
        key = ("e", c.chunk_id)
        if key not in self.labels:
            self.labels[key] = contains_evidence(c.text, self.q.evidence)
        return bool(self.labels[key])

    def has_keyword_one(self, keyword: str, text: str) -> bool:
        """Whether one keyword is in a text (keyword recall counts each)."""
        return _squash(keyword) in _squash(text)

    def has_keyword(self, text: str) -> bool:
        key = ("k", text)
        if key not in self.labels:
            squashed = _squash(text)
            self.labels[key] = any(_squash(k) in squashed for k in self.q.keywords)
        return bool(self.labels[key])

    def top_hits(self, weights: Weights, drop_answer: bool = False) -> list[Hit]:
        """The passages ``kb ask`` would cite, twins in the reader's language swapped in as it does."""
        def dropped(chunk: StoredChunk) -> bool:
            return drop_answer and (self.has_evidence(chunk) or self.has_keyword(chunk.text))

        return self.hits_of(self.cands, weights, dropped)

    def hits_of(self, cands: list[Candidate], weights: Weights, excluded: Callable[[StoredChunk], bool]) -> list[Hit]:
        """The passages ``kb ask`` would cite from ``cands``, leaving out the passages (and twins)
        ``excluded`` names: the answer's (``top_hits``) or its article's (``evals.absent``)."""
        def twin(c: Candidate) -> Twin | None:
            found = self.twins.get(c.row)
            return None if found is None or excluded(found.chunk) else found

        kept = [c for c in cands if has_content(c.chunk) and not excluded(c.chunk)]
        ranked = with_twins(rank(kept, Weights.pick(weights.passage, self.lang)), K, self.query, twin)
        return [c.to_hit("main") for c in ranked[:K]]

    def cut_hits(self, weights: Weights) -> list[Hit]:
        """The top passages with every sentence holding the answer cut out (a near miss: the topic is
        there, the asked-for fact is not). A cut sentence leaves a bare full stop, so the other
        sentences keep their positions (and their stored similarities)."""
        out = []
        for h in self.top_hits(weights):
            sents = sentences_of(h.text)
            cut = [s for s in sents if self.has_keyword(s) or contains_evidence(s, self.q.evidence)]
            if not cut:
                out.append(h)
                continue
            text = h.text
            for s in cut:
                text = text.replace(s, "。" if h.meta.lang == "zh" else ".", 1)
            out.append(replace(h, chunk_id=h.chunk_id + "#cut", text=text))
        return out


def placeholder() -> Weights:
    """Weights for collecting features: no model is applied while candidates are gathered."""
    def zero(names: tuple[str, ...]) -> dict[str, LinearModel]:
        n = len(names)
        return {lang: LinearModel(names, np.zeros(n), 0.0, np.zeros(n), np.ones(n)) for lang in LANGS}

    return Weights(zero(PASSAGE_FEATURES), zero(SENTENCE_FEATURES), zero(ANSWER_FEATURES), {"default": 0.5}, 0.9)


def group_of(library: str, q: Question) -> str:
    if q.docs:
        return f"{library}:{sorted(q.docs)[0]}"
    # Unanswerable questions are asked in both languages under ids that differ only by language.
    return f"{library}:{q.id.replace('-en-', '-').replace('-zh-', '-')}"


def code_hash() -> str:
    h = hashlib.sha256()
    for name in _CODE:
        h.update((REPO / name).read_bytes())
    return h.hexdigest()[:12]


def collect_cached(name: str, library: str, corpus: Path, questions: list[Question], fit: bool, cache: Path,
                   key: str, stem: str | None = None) -> list[Item]:
    """``stem`` names the cache file when one set spans several libraries (default: the set's name)."""
    path = cache / f"{stem or name}.items.{code_hash()}.{key}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            items = list(pickle.load(fh))
        for it in items:  # working memory of a run, not part of what was collected
            it.memo, it.labels, it.rows, it.fit = {}, {}, None, fit
        return items
    items = collect(name, library, corpus, questions, fit, cache)
    with path.open("wb") as fh:
        pickle.dump(items, fh)
    return items


def collect(name: str, library: str, corpus: Path, questions: list[Question], fit: bool, cache: Path) -> list[Item]:
    kb = KnowledgeBase(Settings(data_dir=cache / library), weights=placeholder())
    ingest_paths(kb, [corpus])
    kb.warm_up()
    return items_of(kb, name, library, questions, fit)


def items_of(kb: KnowledgeBase, name: str, library: str, questions: list[Question], fit: bool) -> list[Item]:
    """Each question read and searched as ``kb ask`` reads and searches it, kept with what the models need."""
    view = kb.view.get()
    items = []
    for q in questions:
        query = kb.asker.query(q.question, view=view)
        cands = kb.asker.retriever.candidates(query)
        twins = {c.row: t for c in cands if (t := twin_of(c, query)) is not None}
        items.append(Item(name, q, replace(query, view=None), group_of(library, q), cands, twins,  # type: ignore[arg-type]
                          fit))
    return items


def sample(questions: list[Question], per_set: int | None, seed: int) -> list[Question]:
    return stratified_sample(questions, per_set, seed) if per_set else questions
