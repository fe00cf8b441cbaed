"""Fit the passage, sentence and answer models on the dev splits of every question set together,
and write ``kb/weights.json`` with the figures the fit produced.

    .venv/bin/python benchmarks/fit_weights.py                 # all dev questions of every set
    .venv/bin/python benchmarks/fit_weights.py --per-set 400   # quicker, stratified samples
    make fit

Three logistic models, fitted in order, each on what the one before it hands on:
1. passage: does this candidate passage hold the answer's evidence? (every candidate of every question)
2. sentence: does this sentence of the top passages hold the answer? (every sentence of the top 5)
3. answer: does the library answer this question at all? Positives: answerable questions whose
   evidence was retrieved. Negatives: questions about articles left out of the library (topic
   absent), and the same answerable questions asked with every passage holding the answer
   removed from the candidates (topic present, asked-for fact absent).
Then, per language pair (question language > answer sentence language), the highest threshold
that keeps false refusals of answerable questions at or under ``--max-false-refusals``, and the
share of the best sentence's probability that lets a further sentence join the answer.

Figures are cross-validated: questions are split into folds by article, every fold is answered
by models fitted on the others, so no article is scored by a model that saw its questions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_qa import SHARED, QASet, converted, sets  # noqa: E402

from ingest.pipeline import ingest_paths  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402
from kb.answering.evidence import ANSWER_FEATURES, SENTENCE_FEATURES, Question, answer_features  # noqa: E402
from kb.answering.extractive import compose, rank_sentences  # noqa: E402
from kb.fitted import LinearModel, Weights, fit_logistic  # noqa: E402
from kb.search.candidates import LANGS, PASSAGE_FEATURES, Candidate  # noqa: E402
from kb.search.query import QueryTerms, analyse  # noqa: E402
from kb.search.retrieve import rank  # noqa: E402
from kbcli.evaluate import Question as EvalQuestion  # noqa: E402
from kbcli.evaluate import _contains_evidence, load_questions, stratified_sample  # noqa: E402
from kbcli.evaluate import _squash as _squash_once  # noqa: E402

K = 5
_squash = lru_cache(maxsize=500_000)(_squash_once)  # the same texts are compared many times over


@dataclass
class Item:
    """One question with its candidate passages (features do not depend on any model)."""

    set: str
    q: EvalQuestion
    text: str  # the question as the knowledge base reads it (``clean_question``)
    group: str
    terms: QueryTerms
    cands: list[Candidate]
    fit: bool = True  # fitted on (script variants of a set are only measured)
    fold: int = 0
    rows: tuple[Weights, list[Any]] | None = None  # answer rows under the last weights asked about
    memo: dict[str, Any] = field(default_factory=dict)  # chunk id -> its sentences' rank-free features
    labels: dict[tuple[str, str], bool] = field(default_factory=dict)  # evidence / keyword found, by text
    question: Question | None = None

    def asked(self) -> Question:
        if self.question is None:
            self.question = Question.of(self.text, self.terms)
        return self.question

    @property
    def answerable(self) -> bool:
        return self.q.answerable


def _placeholder() -> Weights:
    """Weights for collecting features: no model is applied while candidates are gathered."""
    def zero(names: tuple[str, ...]) -> dict[str, LinearModel]:
        n = len(names)
        return {lang: LinearModel(names, np.zeros(n), 0.0, np.zeros(n), np.ones(n)) for lang in LANGS}

    return Weights(zero(PASSAGE_FEATURES), zero(SENTENCE_FEATURES), zero(ANSWER_FEATURES), {"default": 0.5}, 0.9)


def _group(library: str, q: EvalQuestion) -> str:
    if q.docs:
        return f"{library}:{sorted(q.docs)[0]}"
    # Unanswerable questions are asked in both languages under ids that differ only by language.
    return f"{library}:{q.id.replace('-en-', '-').replace('-zh-', '-')}"


class _Unpickler(pickle.Unpickler):
    """Reads caches written before evaluation moved from ``kb.evaluate`` to ``kbcli.evaluate``."""

    def find_class(self, module: str, name: str) -> Any:
        return super().find_class("kbcli.evaluate" if module == "kb.evaluate" else module, name)


def _code_hash() -> str:
    """What the collected candidates depend on: the code that finds and describes them."""
    h = hashlib.sha256()
    for name in ("search/candidates", "search/query", "text", "store/lexical", "store/dense", "search/bilingual",
                 "search/retrieve"):
        h.update((REPO / "kb" / f"{name}.py").read_bytes())
    return h.hexdigest()[:12]


def collect_cached(qa: QASet, cache: Path, per_set: int | None, seed: int) -> list[Item]:
    """Candidates are the slow part (an embedding per question); kept per set until the code that
    makes them changes."""
    path = cache / f"{qa.name}.items.{_code_hash()}.{per_set}.{seed}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            items = list(_Unpickler(fh).load())
        for it in items:  # working memory of a run, not part of what was collected
            it.memo, it.labels, it.question, it.rows, it.fit = {}, {}, None, None, qa.fit
        return items
    items = collect(qa, cache, per_set, seed)
    with path.open("wb") as fh:
        pickle.dump(items, fh)
    return items


def collect(qa: QASet, cache: Path, per_set: int | None, seed: int) -> list[Item]:
    kb = KnowledgeBase(Settings(data_dir=cache / qa.library), weights=_placeholder())
    ingest_paths(kb, [qa.corpus])
    kb.warm_up()
    questions = load_questions(qa.questions)
    if per_set:
        questions = stratified_sample(questions, per_set, seed)
    questions = converted(questions, qa.convert)
    view = kb.view.get()
    items = []
    for q in questions:
        text = kb.clean_question(q.question)
        terms = analyse(text, view.lexical)
        vector = kb.question_vector(text)
        cands = kb.retriever.candidates(terms, vector, view)
        items.append(Item(qa.name, q, text, _group(qa.library, q), terms, cands, qa.fit))
    return items


def _has_evidence(item: Item, c: Candidate | Any) -> bool:
    """Whether a passage (candidate, hit or citation) holds the question's evidence; kept per chunk."""
    key = ("e", c.chunk_id)
    if key not in item.labels:
        item.labels[key] = _contains_evidence(c.text, item.q.evidence)
    return bool(item.labels[key])


def _has_keyword(item: Item, text: str) -> bool:
    key = ("k", text)
    if key not in item.labels:
        squashed = _squash(text)
        item.labels[key] = any(_squash(k) in squashed for k in item.q.keywords)
    return bool(item.labels[key])


def _balanced(weights: list[float], sets: list[str]) -> np.ndarray:
    """Every set weighs the same in a fit, whatever its number of questions (CMRC 2018 and DRCD
    would otherwise decide for XQuAD and the seeds); mean weight 1."""
    totals: dict[str, float] = defaultdict(float)
    for w, name in zip(weights, sets, strict=True):
        totals[name] += w
    out = np.array([w / totals[name] for w, name in zip(weights, sets, strict=True)])
    return out * len(out) / out.sum()


def _fit(rows: list[dict[str, float]], ys: list[float], ws: list[float], sets: list[str],
         names: tuple[str, ...], l2: float) -> LinearModel:
    x = np.array([[r[n] for n in names] for r in rows])
    return fit_logistic(x, np.array(ys), names, l2=l2, sample_weight=_balanced(ws, sets))


def _lang(it: Item) -> str:
    return it.terms.lang


def fit_passage(items: list[Item], l2: float) -> dict[str, LinearModel]:
    models = {}
    for lang in LANGS:
        rows, ys, ws, sets_ = [], [], [], []
        for it in items:
            labels = [_has_evidence(it, c) for c in it.cands] if it.answerable and _lang(it) == lang else []
            if not any(labels):
                continue
            for c, y in zip(it.cands, labels, strict=True):
                rows.append(c.features)
                ys.append(1.0 if y else 0.0)
                ws.append(1.0 / len(it.cands))
                sets_.append(it.set)
        models[lang] = _fit(rows, ys, ws, sets_, PASSAGE_FEATURES, l2)
    return models


def top_hits(it: Item, weights: Weights, drop_answer: bool = False) -> list[Any]:
    cands = [c for c in it.cands if not (drop_answer and (_has_evidence(it, c) or _has_keyword(it, c.text)))]
    return [c.to_hit() for c in rank(cands, Weights.pick(weights.passage, _lang(it)))[:K]]


def fit_sentence(items: list[Item], weights: Weights, l2: float) -> dict[str, LinearModel]:
    models = {}
    for lang in LANGS:
        rows, ys, ws, sets_ = [], [], [], []
        for it in items:
            if not it.answerable or _lang(it) != lang:
                continue
            sents = rank_sentences(it.asked(), top_hits(it, weights), weights, it.memo)
            labels = [_has_keyword(it, s.text) for s in sents]
            if not any(labels) or all(labels):
                continue
            for s, y in zip(sents, labels, strict=True):
                rows.append(s.features)
                ys.append(1.0 if y else 0.0)
                ws.append(1.0 / len(sents))
                sets_.append(it.set)
        models[lang] = _fit(rows, ys, ws, sets_, SENTENCE_FEATURES, l2)
    return models


def answer_rows(it: Item, weights: Weights) -> list[tuple[dict[str, float], float, str, str]]:
    """(features, label, pair, role) rows: the question as asked, and (answerable ones) with the answer removed."""
    if it.rows is not None and it.rows[0] is weights:
        return it.rows[1]
    out = []
    q = it.asked()
    variants = [(False, it.answerable)] + ([(True, False)] if it.answerable else [])
    for drop, positive in variants:
        hits = top_hits(it, weights, drop_answer=drop)
        if not hits:
            continue
        ranked = rank_sentences(q, hits, weights, it.memo)
        if not ranked:
            continue
        retrieved = any(_has_evidence(it, h) for h in hits) if positive else False
        role = "absent-fact" if drop else ("answerable" if positive else "absent-topic")
        label = 1.0 if (positive and retrieved) else 0.0
        if positive and not retrieved:
            role = "answerable-missed"
        out.append((answer_features(q, hits, ranked), label, f"{q.lang}>{ranked[0].lang}", role))
    it.rows = (weights, out)
    return out


def fit_answer(items: list[Item], weights: Weights, l2: float,
               features: tuple[str, ...] = ANSWER_FEATURES) -> dict[str, LinearModel]:
    models = {}
    for lang in LANGS:
        rows, ys, sets_ = [], [], []
        for it in items:
            if _lang(it) != lang:
                continue
            for f, y, _, role in answer_rows(it, weights):
                if role == "answerable-missed":
                    continue  # the answer is wrong whatever we decide: no evidence either way
                rows.append(f)
                ys.append(y)
                sets_.append(f"{it.set}:{y}")  # and within a set, "answer" and "refuse" weigh the same
        models[lang] = _fit(rows, ys, [1.0] * len(rows), sets_, features, l2)
    return models


def fit_thresholds(items: list[Item], weights: Weights, max_false: float) -> dict[str, float]:
    """Per language pair, the highest threshold whose false-refusal rate on answerable questions stays
    within ``max_false`` (questions asked as written; the answer-removed copies do not count here),
    every set weighing the same."""
    by_pair: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for it in items:
        if not it.answerable:
            continue
        for f, _, pair, role in answer_rows(it, weights):
            if role in ("answerable", "answerable-missed"):
                by_pair[pair].append((Weights.pick(weights.answer, _lang(it)).prob(f), it.set))
    out = {}
    pooled = [r for pair_rows in by_pair.values() for r in pair_rows]
    for pair, rows in [*by_pair.items(), ("default", pooled)]:
        if len(rows) < 20:
            out[pair] = 0.0
            continue
        probs = np.array([p for p, _ in rows])
        w = _balanced([1.0] * len(rows), [name for _, name in rows])
        order = np.argsort(probs)
        cum = np.cumsum(w[order]) / w.sum()
        out[pair] = float(probs[order][np.searchsorted(cum, max_false)])
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def mean(vals: list[Any]) -> float | None:
        vals = [float(v) for v in vals if v is not None]
        return round(sum(vals) / len(vals), 3) if vals else None

    def block(rs: list[dict[str, Any]]) -> dict[str, Any]:
        ans = [r for r in rs if r["answerable"]]
        una = [r for r in rs if not r["answerable"]]
        return {"n": len(rs), "hit@5": mean([r["hit"] for r in ans]), "keywords": mean([r["keywords"] for r in ans]),
                "cited": mean([r["cited"] for r in ans]), "false_refusals": mean([r["refused"] for r in ans]),
                "refusals": mean([r["refused"] for r in una])}

    out: dict[str, Any] = {}
    for name in dict.fromkeys(r["set"] for r in rows):
        rs = [r for r in rows if r["set"] == name]
        out[name] = {"all": block(rs)}
        for key in ("kind", "lang"):
            for v in sorted({r[key] for r in rs}):
                out[name][v] = block([r for r in rs if r[key] == v])
    return out


def fit_all(items: list[Item], args: argparse.Namespace) -> Weights:
    items = [it for it in items if it.fit]
    weights = _placeholder()
    weights.passage = fit_passage(items, args.l2)
    weights.sentence = fit_sentence(items, weights, args.l2)
    weights.answer = fit_answer(items, weights, args.l2, args.answer_features)
    weights.thresholds = fit_thresholds(items, weights, args.max_false_refusals)
    weights.extra_ratio = fit_extra_ratio(items, weights)
    return weights


def fit_extra_ratio(items: list[Item], weights: Weights) -> float:
    """The share of the best sentence's probability a further sentence needs to join the answer:
    the highest that keeps keyword recall within half a point of taking every allowed sentence."""
    sample = [it for it in items if it.answerable][::3]
    recall = {}
    for ratio in (1.0, 0.8, 0.6, 0.4, 0.2):
        weights.extra_ratio = ratio
        scores = []
        for it in sample:
            answer = compose(it.text, it.terms, top_hits(it, weights), weights, it.memo)
            scores.append(float(_has_keyword(it, answer.text)) if it.q.keywords else 0.0)
        recall[ratio] = float(np.mean(scores)) if scores else 0.0
    best = max(recall.values())
    return max(r for r, v in recall.items() if v >= best - 0.005)


def cross_validate(items: list[Item], args: argparse.Namespace) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for fold in range(args.folds):
        train = [it for it in items if it.fold != fold]
        test = [it for it in items if it.fold == fold]
        rows.extend(_rows_of(test, fit_all(train, args)))
        print(f"fold {fold + 1}/{args.folds}: {len(test)} questions", file=sys.stderr, flush=True)
    return summarise(rows)


def _rows_of(items: list[Item], weights: Weights) -> list[dict[str, Any]]:
    out = []
    for it in items:
        hits = top_hits(it, weights)
        answer = compose(it.text, it.terms, hits, weights, it.memo)
        row: dict[str, Any] = {"set": it.set, "kind": it.q.kind, "lang": it.q.lang, "refused": answer.refused,
                               "answerable": it.answerable, "hit": None, "keywords": None, "cited": None}
        if it.answerable:
            row["hit"] = any(_has_evidence(it, h) for h in hits)
            text = _squash(answer.text)
            row["keywords"] = (sum(_squash(k) in text for k in it.q.keywords) / len(it.q.keywords)
                               if it.q.keywords else None)
            row["cited"] = any(_has_evidence(it, c) for c in answer.citations)
        out.append(row)
    return out


def markdown(figures: dict[str, Any]) -> str:
    lines = ["| set | group | n | hit@5 | keywords | cited | false refusals | refusals |", "|" + "---|" * 8]
    for name, groups in figures.items():
        for g, b in groups.items():
            cells = [name, g, str(b["n"])] + ["-" if b[k] is None else f"{b[k]:.3f}"
                                              for k in ("hit@5", "keywords", "cited", "false_refusals", "refusals")]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=SHARED / "bench")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--sets", nargs="*")
    ap.add_argument("--per-set", type=int, help="stratified sample of each set's questions (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--max-false-refusals", type=float, default=0.03)
    ap.add_argument("--out", type=Path, default=REPO / "kb" / "weights.json")
    ap.add_argument("--no-cv", dest="cv", action="store_false")
    ap.add_argument("--answer-features", type=lambda v: tuple(v.split(",")), default=ANSWER_FEATURES,
                    help="comma-separated features of the answer model, to measure a change (default: the "
                    "committed set, kb.evidence.ANSWER_FEATURES)")
    args = ap.parse_args()
    started = time.perf_counter()
    items: list[Item] = []
    for qa in sets(args.bench):
        if args.sets and qa.name not in args.sets:
            continue
        if not qa.corpus.exists() or not qa.questions.exists():
            print(f"{qa.name}: skipped ({qa.corpus} or {qa.questions} is missing)", file=sys.stderr)
            continue
        t = time.perf_counter()
        got = collect_cached(qa, args.cache, args.per_set, args.seed)
        items.extend(got)
        print(f"{qa.name}: {len(got)} questions collected in {time.perf_counter() - t:.0f} s", file=sys.stderr,
              flush=True)
    for it in items:
        it.fold = int(hashlib.sha1(it.group.encode()).hexdigest(), 16) % args.folds
    cv = cross_validate(items, args) if args.cv else {}
    weights = fit_all(items, args)
    weights.figures = {
        "questions": {name: sum(1 for it in items if it.set == name) for name in dict.fromkeys(it.set for it in items)},
        "cross_validated": cv,
        "in_sample": summarise(_rows_of(items, weights)),
        "settings": {"per_set": args.per_set, "seed": args.seed, "folds": args.folds, "l2": args.l2,
                     "max_false_refusals": args.max_false_refusals},
        "command": "benchmarks/fit_weights.py" + (f" --per-set {args.per_set}" if args.per_set else ""),
    }
    args.out.write_text(json.dumps(weights.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if cv:
        print("Cross-validated (each article answered by models fitted without it):")
        print(markdown(cv))
    print("\nIn sample (the committed models on the questions they were fitted on):")
    print(markdown(weights.figures["in_sample"]))
    print(f"\nthresholds {weights.thresholds}, extra ratio {weights.extra_ratio}; "
          f"{time.perf_counter() - started:.0f} s; wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
