"""``kb eval``: retrieval and answer quality on a question set, and baselines in the same run.

Evidence and keywords are compared after NFKC normalisation and case folding, with all
whitespace removed; numbers are compared as written in the source (after NFKC), not parsed.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.errors import KBError
from kb.knowledge_base import KnowledgeBase
from kb.text import plain


@dataclass
class Question:
    id: str
    question: str
    lang: str
    kind: str
    docs: list[str]
    evidence: list[str]
    keywords: list[str]
    source: str | None = None
    variant: str | None = None

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


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


def load_questions(path: Path) -> list[Question]:
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise KBError(f"cannot read {path}: {exc.strerror or exc}") from exc
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            doc = d.get("doc")
            out.append(Question(
                id=str(d.get("id", no)), question=d["question"], lang=d.get("lang", ""), kind=d.get("kind", "fact"),
                docs=[] if doc is None else ([doc] if isinstance(doc, str) else list(doc)),
                evidence=list(d.get("evidence") or []), keywords=list(d.get("answer_keywords") or []),
                source=d.get("source"), variant=d.get("variant"),
            ))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise KBError(f"{path}, line {no}: not a question record ({exc}); see tests/data/eval/dev.jsonl") from exc
    if not out:
        raise KBError(f"{path} holds no questions")
    return out


def _squash(s: str) -> str:
    return "".join(plain(s).split())


def _contains_evidence(text: str, evidence: Sequence[str]) -> bool:
    t = _squash(text)
    return any(_squash(e) in t for e in evidence)


def _doc_matches(file: str, name: str) -> bool:
    """A question names its document by file name (or a tail of its path)."""
    return file == name or file.endswith("/" + name) or Path(file).name == name


def retrieval_outcome(q: Question, passages: list[Passage], k: int) -> tuple[bool, float]:
    top = passages[:k]
    if q.kind == "multi" and q.docs:
        hit = all(any(_doc_matches(p.doc, d) and _contains_evidence(p.text, q.evidence) for p in top) for d in q.docs)
    else:
        hit = any(_contains_evidence(p.text, q.evidence) for p in top)
    rr = 0.0
    for rank, p in enumerate(passages[:10], start=1):
        if _contains_evidence(p.text, q.evidence):
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
            o.hit, o.rr = retrieval_outcome(q, [Passage(str(h.meta.get("file", "")), h.text) for h in hits], k)
            text = _squash(answer.text)
            o.keyword_recall = (sum(_squash(w) in text for w in q.keywords) / len(q.keywords)) if q.keywords else None
            o.citation_hit = any(_contains_evidence(c.text, q.evidence) for c in answer.citations)
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


def stratified_sample(questions: list[Question], n: int, seed: int = 0) -> list[Question]:
    """``n`` questions drawn so that each (kind, language) group keeps its share (at least one each).

    Used for anything that must run quickly (CI): a sample that keeps the mix of the full set
    says more about unseen questions than the first ``n`` lines would.
    """
    import random

    if n >= len(questions):
        return list(questions)
    groups: dict[tuple[str, str], list[Question]] = {}
    for q in questions:
        groups.setdefault((q.kind, q.lang), []).append(q)
    rng = random.Random(seed)
    out: list[Question] = []
    for key in sorted(groups):
        members = groups[key]
        take = max(1, round(n * len(members) / len(questions)))
        out.extend(rng.sample(members, min(take, len(members))))
    order = {q.id: i for i, q in enumerate(questions)}
    return sorted(out, key=lambda q: order[q.id])
