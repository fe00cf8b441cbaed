"""``kb eval``: retrieval and answer quality on a question set, and baselines in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kb.knowledge_base import KnowledgeBase

from .matching import contains_evidence, doc_matches, keyword_recall
from .questions import Question


@dataclass
class Outcome:
    q: Question
    hit: bool | None = None
    rr: float | None = None
    keyword_recall: float | None = None
    citation_hit: bool | None = None
    refused: bool | None = None
    latency_ms: float | None = None
    answer: str = ""
    cited: list[str] = field(default_factory=list)  # chunk ids of the answer's citations

    def to_dict(self) -> dict[str, Any]:
        """One line of a per-question log, for reading failures after a run."""
        return {"id": self.q.id, "question": self.q.question, "kind": self.q.kind, "lang": self.q.lang,
                "hit": self.hit, "rr": self.rr, "keywords": self.keyword_recall, "cited_hit": self.citation_hit,
                "refused": self.refused, "answer": self.answer, "cited": self.cited,
                "expected": self.q.keywords, "evidence": self.q.evidence}


@dataclass
class Passage:
    doc: str  # the file it comes from
    text: str


Retrieve = Callable[[str, int], list[Passage]]


def retrieval_outcome(q: Question, passages: list[Passage], k: int) -> tuple[bool, float]:
    top = passages[:k]
    if q.kind == "multi" and q.docs:
        hit = all(any(doc_matches(p.doc, d) and contains_evidence(p.text, q.evidence) for p in top) for d in q.docs)
    else:
        hit = any(contains_evidence(p.text, q.evidence) for p in top)
    rr = 0.0
    for rank, p in enumerate(passages[:10], start=1):
        if contains_evidence(p.text, q.evidence):
            rr = 1.0 / rank
            break
    return hit, rr


def evaluate(kb: KnowledgeBase, questions: list[Question], k: int) -> list[Outcome]:
    kb.warm_up()  # latency is measured per question, not for loading the dictionary
    outcomes = []
    for q in questions:
        o = Outcome(q)
        started = time.perf_counter()
        answer = kb.answer(q.question)
        o.latency_ms = (time.perf_counter() - started) * 1000
        o.refused = answer.refused
        o.answer = answer.text
        o.cited = [c.chunk_id for c in answer.citations]
        if q.answerable:
            hits = kb.search(q.question, k=max(k, 10))
            o.hit, o.rr = retrieval_outcome(q, [Passage(h.meta.file, h.text) for h in hits], k)
            o.keyword_recall = keyword_recall(answer.text, q.keywords)
            o.citation_hit = any(contains_evidence(c.text, q.evidence) for c in answer.citations)
        outcomes.append(o)
    return outcomes


def evaluate_retriever(retrieve: Retrieve, questions: list[Question], k: int) -> list[Outcome]:
    outcomes = []
    for q in questions:
        o = Outcome(q)
        if q.answerable:
            o.hit, o.rr = retrieval_outcome(q, retrieve(q.question, max(k, 10)), k)
        outcomes.append(o)
    return outcomes


def _mean(values: list[Any]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return round(sum(vals) / len(vals), 3) if vals else None


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    vals = sorted(values)
    return round(vals[min(len(vals) - 1, int(round(p * (len(vals) - 1))))], 1)


def summarise(outcomes: list[Outcome], k: int) -> dict[str, Any]:
    ans = [o for o in outcomes if o.q.answerable]
    una = [o for o in outcomes if not o.q.answerable]
    lat = [o.latency_ms for o in outcomes if o.latency_ms is not None]
    return {
        "questions": len(outcomes),
        f"hit@{k}": _mean([o.hit for o in ans]),
        "mrr@10": _mean([o.rr for o in ans]),
        "keyword_recall": _mean([o.keyword_recall for o in ans]),
        "citation_hit": _mean([o.citation_hit for o in ans]),
        "refusal_accuracy": _mean([o.refused for o in una]),
        "false_refusal_rate": _mean([o.refused for o in ans]),
        "latency_ms": {"p50": round(statistics.median(lat), 1), "p95": _pct(lat, 0.95)} if lat else None,
    }


def report(outcomes: list[Outcome], k: int) -> dict[str, Any]:
    out = summarise(outcomes, k)
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(f"kind={o.q.kind}", []).append(o)
        groups.setdefault(f"lang={o.q.lang}", []).append(o)
        if o.q.source:
            groups.setdefault(f"source={o.q.source}", []).append(o)
    out["by_group"] = {g: summarise(v, k) for g, v in sorted(groups.items())}
    out["misses"] = [o.q.id for o in outcomes if o.q.answerable and not o.hit]
    out["wrong_refusals"] = [o.q.id for o in outcomes if o.refused != (not o.q.answerable)]
    return out


