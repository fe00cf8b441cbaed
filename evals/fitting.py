"""Fitting the passage, sentence and answer models on every question set together, and measuring
them by cross-validation (``benchmarks/fit_weights.py`` is the command).

Three logistic models, fitted in order, each on what the one before it hands on:
1. passage: does this candidate passage hold the answer's evidence? (every candidate of every question)
2. sentence: does this sentence of the top passages hold the answer? (every sentence of the top 5)
3. answer: does the library answer this question at all? Positives: answerable questions whose
   evidence was retrieved. Negatives: questions about articles left out of the library (topic
   absent), and the same answerable questions asked with every passage holding the answer
   removed from the candidates (topic present, asked-for fact absent).
Then, per language pair (question language > answer sentence language), the highest threshold
that keeps false refusals of answerable questions at or under a budget, and the share of the best
sentence's probability that lets a further sentence join the answer.
"""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from kb.answering.evidence import (
    ANSWER_FEATURES,
    SENTENCE_FEATURES,
    SUBJECT_GATES,
    subject_missing,
)
from kb.answering.extractive import compose, decided, quoted, rank_sentences, render
from kb.fitted import AnswerLength, LinearModel, Weights
from kb.records import Answer
from kb.search.candidates import PASSAGE_FEATURES
from kb.store.dense import LANGS

from .absent import article_rows
from .fit_data import Item, placeholder
from .gates import fit_gates
from .logistic import fit_listwise, fit_logistic, fit_signed
from .rows import ABSENT_ROLES, ANSWERABLE, RETRIEVED, answer_rows

MIN_SET_ROWS = 50  # a set with fewer answerable rows (of a pair) does not hold a budget alone


@dataclass
class FitOptions:
    l2: float = 1.0
    max_false_refusals: float = 0.045  # under the 5 % a reader may see, for the spread between sets
    answer_features: tuple[str, ...] = ANSWER_FEATURES
    folds: int = 5
    # "pooled": the budget holds over all sets' answerable questions, each set weighing the same;
    # "every-set": in each set with MIN_SET_ROWS rows of a pair (the lowest threshold is taken).
    budget: str = "pooled"
    # Which answerable questions the budget counts: "all", or only those whose best sentence comes
    # from a passage holding the evidence ("right": refusing a question that would be answered
    # wrongly costs the reader nothing; measured and not taken, docs/quality.md says why).
    counts: str = "all"
    # The sentence model's objective: "pointwise" or "listwise" (``fit_sentence``).
    sentence_fit: str = "pointwise"
    # The topic model: "plain" (the sets' questions about left-out articles against the answerable
    # ones) or "taught" (also every answerable XQuAD, CMRC 2018 and DRCD question asked without its
    # article, role "absent-article", ``evals.absent``, with signed features and no language-pair
    # feature; measured, not taken: docs/quality.md).
    topic_fit: str = "plain"
    # Models that choose what is quoted (passage and sentence models, answer length) taken as they
    # are, so that only the refusal decisions are fitted: a refit of the ranking moves the answers
    # by about as much as a change to the refusals does (docs/quality.md), and keeping it apart
    # measures the refusals alone. None fits everything.
    ranking: Weights | None = None


def balanced(weights: list[float], sets: list[str]) -> np.ndarray:
    """Every set weighs the same in a fit, whatever its number of questions (CMRC 2018 and DRCD
    would otherwise decide for XQuAD and the seeds); mean weight 1."""
    totals: dict[str, float] = defaultdict(float)
    for w, name in zip(weights, sets, strict=True):
        totals[name] += w
    out = np.array([w / totals[name] for w, name in zip(weights, sets, strict=True)])
    return out * len(out) / out.sum()


def _fit(rows: list[dict[str, float]], ys: list[float], ws: list[float], sets: list[str],
         names: tuple[str, ...], l2: float, signs: dict[str, int] | None = None) -> LinearModel:
    x = np.array([[r[n] for n in names] for r in rows])
    if signs:
        return fit_signed(x, np.array(ys), names, signs, l2, balanced(ws, sets))
    return fit_logistic(x, np.array(ys), names, l2=l2, sample_weight=balanced(ws, sets))


def fit_passage(items: list[Item], l2: float) -> dict[str, LinearModel]:
    models = {}
    for lang in LANGS:
        rows, ys, ws, sets_ = [], [], [], []
        for it in items:
            labels = [it.has_evidence(c) for c in it.cands] if it.answerable and it.lang == lang else []
            if not any(labels):
                continue
            for c, y in zip(it.cands, labels, strict=True):
                rows.append(c.features)
                ys.append(1.0 if y else 0.0)
                ws.append(1.0 / len(it.cands))
                sets_.append(it.set)
        models[lang] = _fit(rows, ys, ws, sets_, PASSAGE_FEATURES, l2)
    return models


def fit_sentence(items: list[Item], weights: Weights, l2: float, listwise: bool = False) -> dict[str, LinearModel]:
    """Which sentence holds the answer: pointwise (every sentence a row of one logistic) or listwise
    (each question's sentences ranked against each other, ``evals.logistic.fit_listwise``)."""
    models = {}
    for lang in LANGS:
        rows: list[dict[str, float]] = []
        ys: list[float] = []
        ws: list[float] = []
        sets_: list[str] = []
        starts: list[int] = []
        group_sets: list[str] = []
        for it in items:
            if not it.answerable or it.lang != lang:
                continue
            sents = rank_sentences(it.query, it.top_hits(weights), weights, it.memo)
            labels = [it.has_keyword(s.text) for s in sents]
            if not any(labels) or all(labels):
                continue
            starts.append(len(rows))
            group_sets.append(it.set)
            for s, y in zip(sents, labels, strict=True):
                rows.append(s.features)
                ys.append(1.0 if y else 0.0)
                ws.append(1.0 / len(sents))
                sets_.append(it.set)
        if listwise:
            x = np.array([[r[n] for n in SENTENCE_FEATURES] for r in rows])
            models[lang] = fit_listwise(x, np.array(ys), np.array(starts), SENTENCE_FEATURES, l2,
                                        balanced([1.0] * len(starts), group_sets))
        else:
            models[lang] = _fit(rows, ys, ws, sets_, SENTENCE_FEATURES, l2)
    return models


# What says a question's topic is in the library at all (not whether a sentence holds its fact).
TOPIC_FEATURES = ("best_passage", "best_coverage", "passage_coverage", "key_coverage", "dense_top", "dense_z",
                  "unseen", "dense_lib_z", "use_lib_z", "best_use", "best_use_lib_z", "cross", "log_terms")
# ``--topic-fit taught`` leaves out the language pair: the thresholds are per pair already, and the
# feature learnt the benchmarks' mix (a Chinese question whose best sentence is English was mostly
# answerable in XQuAD), raising "the topic is here" by about 3 logits for any such question.
TAUGHT_TOPIC_FEATURES = tuple(f for f in TOPIC_FEATURES if f != "cross")
TOPIC_L2 = 5.0  # few topic-absent questions per set (25-113): a stronger prior keeps the model simple
INNER_FOLDS = 3


# The direction a feature can only push "the topic is here" in the taught topic model
# (``evals.logistic.fit_signed``; the fact model stays free: signed, it refused fewer facts absent):
# more of the question covered or a passage nearer the question never lowers it; more of the
# question unknown to the library never raises it. The entries of features only the fact model
# reads (best_sentence, typed_*) say the same of it, for a measurement of signing it too.
SIGNS = {name: 1 for name in (
    "best_sentence", "best_passage", "best_coverage", "passage_coverage", "key_coverage", "dense_top", "dense_z",
    "dense_lib_z", "use_lib_z", "best_use", "best_use_lib_z", "best_key", "typed_found", "typed_key_found")}
SIGNS |= {"unseen": -1, "typed_missing": -1}


def _answer_fit(items: list[Item], weights: Weights, l2: float, features: tuple[str, ...],
                roles: tuple[str, ...], signs: dict[str, int] | None = None) -> dict[str, LinearModel]:
    """Answerable questions as asked (evidence retrieved) against the negatives of ``roles``."""
    models = {}
    for lang in LANGS:
        rows, ys, sets_ = [], [], []
        for it in items:
            if it.lang != lang:
                continue
            extra = article_rows(it, weights) if "absent-article" in roles else []
            for f, y, _, role in answer_rows(it, weights) + extra:
                if role in RETRIEVED or role in roles:
                    rows.append(f)
                    ys.append(y)
                    sets_.append(f"{it.set}:{y}")  # and within a set, "answer" and "refuse" weigh the same
        models[lang] = _fit(rows, ys, [1.0] * len(rows), sets_, features, l2, signs)
    return models


def fit_answer(items: list[Item], weights: Weights, l2: float, features: tuple[str, ...]) -> dict[str, LinearModel]:
    """Does the best sentence hold the asked-for fact: against the answer removed and the near misses."""
    return _answer_fit(items, weights, l2, features, ("absent-fact", "near-miss"))


def fit_topic(items: list[Item], weights: Weights, taught: bool = False) -> dict[str, LinearModel]:
    """Is the question's topic in the library: against the questions about articles left out."""
    if taught:  # negatives from every answerable question without its article, signed features
        return _answer_fit(items, weights, TOPIC_L2, TAUGHT_TOPIC_FEATURES, ("absent-topic", "absent-article"), SIGNS)
    return _answer_fit(items, weights, TOPIC_L2, TOPIC_FEATURES, ("absent-topic",))


Row = tuple[Item, str, str, float, float]  # (item, pair, role, P(topic), P(fact))


def out_of_fold(items: list[Item], weights: Weights, opts: FitOptions) -> tuple[list[Row], dict[str, list[bool]]]:
    """(item, pair, role, P(topic), P(fact)) for every answer row, each from models fitted without its
    article: thresholds chosen on these hold on questions the models never saw (chosen on the rows
    the models were fitted on, they refused three times the budget on new ones). With them, for
    each subject gate, whether it refuses the row."""
    fold = {it.group: int(hashlib.sha1(f"inner:{it.group}".encode()).hexdigest(), 16) % INNER_FOLDS for it in items}
    out: list[Row] = []
    closed: dict[str, list[bool]] = {gate: [] for gate in SUBJECT_GATES}
    for k in range(INNER_FOLDS):
        train = [it for it in items if fold[it.group] != k]
        topic = fit_topic(train, weights, opts.topic_fit == "taught")
        fact = fit_answer(train, weights, opts.l2, opts.answer_features)
        for it in (it for it in items if fold[it.group] == k):
            for f, _, pair, role in answer_rows(it, weights):
                out.append((it, pair, role, Weights.pick(topic, it.lang).prob(f), Weights.pick(fact, it.lang).prob(f)))
                for gate in SUBJECT_GATES:
                    closed[gate].append(subject_missing(f, gate))
    return out, closed


def fit_refusals(rows: list[Row], closed: dict[str, list[bool]], opts: FitOptions
                 ) -> tuple[str, dict[str, float], dict[str, float]]:
    """The subject gate and the thresholds that together refuse most of what should be refused
    within the false-refusal budget: a gate's refusals count against the budget like a
    threshold's (a gated row takes P(fact) = -1, below every threshold), and a gate whose
    thresholds then refuse more answerable questions than without it is not taken."""
    best: tuple[float, str, dict[str, float], dict[str, float]] | None = None
    allowed = opts.max_false_refusals
    for gate in SUBJECT_GATES:
        gated = [(it, pair, role, pt, -1.0 if shut else pf)
                 for (it, pair, role, pt, pf), shut in zip(rows, closed[gate], strict=True)]
        topic_t, fact_t = fit_thresholds(gated, opts)
        score, spent = _refused_share(gated, topic_t, fact_t), _false_refusals(gated, topic_t, fact_t, counted(opts))
        if gate == "off":
            allowed = max(allowed, spent)  # the thresholds' own rounding, not the gate's doing
        print(f"subject gate {gate}: refuses {score:.3f} of what should be refused, "
              f"{spent:.3f} of answerable questions", file=sys.stderr, flush=True)
        if spent > allowed + 0.002:
            continue
        if best is None or score > best[0] + 0.005:  # a gate must earn its place
            best = (score, gate, topic_t, fact_t)
    assert best is not None
    return best[1], best[2], best[3]


def fit_thresholds(rows: list[Row], opts: FitOptions) -> tuple[dict[str, float], dict[str, float]]:
    """Per language pair, a topic threshold that alone spends a share of the false-refusal budget of
    answerable questions, then the highest fact threshold that keeps both together within the budget.

    The budget holds over the sets with ``MIN_SET_ROWS`` answerable questions of the pair, each set
    weighing the same (``budget="pooled"``), or in each of them (``"every-set"``: the lowest of their
    thresholds, which lets the set whose scores separate worst decide for all); a pair with no such
    set takes the thresholds of all its rows. The share is the one of
    ``TOPIC_SHARES`` that refuses most of the questions that should be refused (topic absent, fact
    absent and near misses weighing the same, every set the same), on these out-of-fold rows."""
    best: tuple[float, dict[str, float], dict[str, float]] | None = None
    for share in TOPIC_SHARES:
        topic_t, fact_t = _thresholds(rows, opts.max_false_refusals, share, opts.budget == "every-set",
                                      counted(opts))
        score = _refused_share(rows, topic_t, fact_t)
        if best is None or score > best[0]:
            best = (score, topic_t, fact_t)
    assert best is not None
    return best[1], best[2]


TOPIC_SHARES = (0.2, 0.4, 0.6, 0.8, 1.0)


def counted(opts: FitOptions) -> tuple[str, ...]:
    """The roles of answerable rows whose refusal the budget counts."""
    return ("answerable",) if opts.counts == "right" else ANSWERABLE


def _thresholds(rows: list[Row], budget: float, share: float, every_set: bool,
                roles: tuple[str, ...] = ANSWERABLE) -> tuple[dict[str, float], dict[str, float]]:
    by_pair: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for it, pair, role, p_topic, p_fact in rows:
        if role in roles:
            by_pair[pair].append((it.set, p_topic, p_fact))
    topic_t, fact_t = {}, {}
    pooled = [r for pair_rows in by_pair.values() for r in pair_rows]
    for pair, got in [*by_pair.items(), ("default", pooled)]:
        sets = [name for name in dict.fromkeys(n for n, _, _ in got)
                if sum(1 for n, _, _ in got if n == name) >= MIN_SET_ROWS]
        if every_set:
            groups = [[r for r in got if r[0] == name] for name in sets] or ([got] if len(got) >= 20 else [])
        else:  # one group of the sets with enough rows, each weighing the same (a small easy set decides nothing)
            groups = [[r for r in got if r[0] in sets]] if sets else ([got] if len(got) >= 20 else [])
        if not groups:
            continue
        topic_t[pair] = min(_quantile(np.array([p for _, p, _ in g]), budget * share, _set_weights(g)) for g in groups)
        fact_t[pair] = min(_fact_threshold(g, topic_t[pair], budget) for g in groups)
    return topic_t, fact_t


def _set_weights(rows: list[tuple[str, float, float]]) -> np.ndarray:
    """Each set's rows weighing the same in all (mean weight 1)."""
    return balanced([1.0] * len(rows), [name for name, _, _ in rows])


def _refused_share(rows: list[Row], topic_t: dict[str, float],
                   fact_t: dict[str, float]) -> float:
    """Mean refusal rate of the rows that should be refused, each role and set weighing the same."""
    refused: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for it, pair, role, p_topic, p_fact in rows:
        if role in ABSENT_ROLES:
            refused[(it.set, role)].append(_refuses(pair, p_topic, p_fact, topic_t, fact_t))
    return float(np.mean([np.mean(v) for v in refused.values()])) if refused else 0.0


def _false_refusals(rows: list[Row], topic_t: dict[str, float], fact_t: dict[str, float],
                    roles: tuple[str, ...] = ANSWERABLE) -> float:
    """Refusals of answerable questions, each set with ``MIN_SET_ROWS`` of them weighing the same."""
    refused: dict[str, list[bool]] = defaultdict(list)
    for it, pair, role, p_topic, p_fact in rows:
        if role in roles:
            refused[it.set].append(_refuses(pair, p_topic, p_fact, topic_t, fact_t))
    sized = [v for v in refused.values() if len(v) >= MIN_SET_ROWS] or list(refused.values())
    return float(np.mean([np.mean(v) for v in sized])) if sized else 0.0


def _refuses(pair: str, p_topic: float, p_fact: float, topic_t: dict[str, float], fact_t: dict[str, float]) -> bool:
    """Whether the thresholds of the pair (else the default ones) refuse a row, as ``Weights`` would."""
    return (p_topic < topic_t.get(pair, topic_t.get("default", 0.0))
            or p_fact < fact_t.get(pair, fact_t.get("default", 0.0)))


def _fact_threshold(rows: list[tuple[str, float, float]], topic: float, budget: float) -> float:
    """The highest fact threshold whose refusals, with the topic model's, stay within the budget
    (each set's rows weighing the same)."""
    w = _set_weights(rows)
    pt = np.array([p for _, p, _ in rows])
    pf = np.array([p for _, _, p in rows])
    kept = pt >= topic
    left = budget - float(w[~kept].sum() / w.sum())
    if left <= 0 or not kept.any():
        return 0.0
    return _quantile(pf[kept], left * w.sum() / w[kept].sum(), w[kept])


def _quantile(values: np.ndarray, q: float, weights: np.ndarray | None = None) -> float:
    """The value below which a share ``q`` of the (weighted) values lies."""
    order = np.argsort(values)
    ordered = values[order]
    if weights is None:
        return float(ordered[min(int(q * len(ordered)), len(ordered) - 1)])
    cum = np.cumsum(weights[order]) / weights.sum()
    return float(ordered[min(int(np.searchsorted(cum, q, side="right")), len(ordered) - 1)])


RATIOS = (1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05)
LENGTHS = (2, 3, 4)
# The second encoder's similarity a further sentence holding no question word needs (-1: any).
WORDLESS_FLOORS = (-1.0, 0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 1.0)
# How many sentences a listwise model's answer may quote on average, its neighbours included (over
# the answers given, every set weighing the same): what the shipped pointwise models quote at their
# ratio (3.0, ``benchmarks/answer_length.py``). Without it, the listwise model's probabilities, which
# sit closer together, let a fourth sentence in for a point of recall.
MAX_MEAN_SENTENCES = 3.0


def sentences_quoted(answer: Answer) -> int:
    """The sentences an answer quotes, its neighbours included (each citation's highlights)."""
    return sum(len(c.highlights) for c in answer.citations)


def fit_answer_length(items: list[Item], weights: Weights, cap: float | None = None) -> AnswerLength:
    """How much an answer quotes: the most sentences allowed, the share of the best sentence's
    probability a further one needs, and the share one from another document or language needs.
    Of the settings whose answers quote at most ``cap`` sentences on average
    (``MAX_MEAN_SENTENCES`` for the listwise model; none for the pointwise one), the shortest
    (fewest sentences, then the highest shares) whose keyword recall is within half a point of the
    best of them, every set weighing the same. Then, for that setting, the highest floor of the
    second encoder's similarity for a further sentence holding no question word that loses no
    recall. Each question is ranked and its refusal decided once; only the
    choice of sentences varies."""
    asked = [it for it in items if it.answerable and it.q.keywords]
    sets = sorted({it.set for it in asked})
    ranked_once = []
    for it in asked:
        hits = it.top_hits(weights)
        ranked, why = decided(it.query, hits, weights, it.memo)
        ranked_once.append((it, hits, ranked if why is None else []))

    def measured(setting: AnswerLength, every: bool = False) -> tuple[float, float]:
        """Keyword recall and mean sentences quoted, every set weighing the same: on every second
        question (the grid of lengths and shares), or on all (the floor, whose steps move recall
        by a tenth of a point)."""
        found, counts = defaultdict(list), defaultdict(list)
        for it, hits, ranked in (ranked_once if every else ranked_once[::2]):
            if not ranked:
                found[it.set].append(0.0)
                continue
            answer = render(it.query.lang, quoted(ranked, hits, setting), hits)
            found[it.set].append(float(it.has_keyword(answer.text)))
            counts[it.set].append(sentences_quoted(answer))
        mean_quoted = float(np.mean([np.mean(v) for v in counts.values()])) if counts else 0.0
        return (float(np.mean([np.mean(found[s]) for s in sets])) if sets else 0.0), mean_quoted

    recall: dict[AnswerLength, float] = {}
    for length in LENGTHS:
        for ratio in RATIOS:
            for other in (r for r in RATIOS if r >= ratio):
                setting = AnswerLength(length, ratio, other)
                found_share, mean_quoted = measured(setting)
                if sets and (cap is None or mean_quoted <= cap):
                    recall[setting] = found_share
    if not recall:  # no setting within the cap: the shortest answers
        return AnswerLength(LENGTHS[0], RATIOS[0], RATIOS[0])
    best = max(recall.values())
    chosen_length = min((k for k, v in recall.items() if v >= best - 0.005),
                        key=lambda k: (k.max_sentences, -k.extra_ratio, -k.other_ratio))
    # The floor goes only as high as loses no keyword against no floor: it shortens answers, and the
    # half-point tolerance, spent a second time, took "never" (XQuAD cross-lingual 0.730 -> 0.717).
    without = measured(chosen_length, every=True)[0]
    floors = [replace(chosen_length, wordless_floor=f) for f in WORDLESS_FLOORS[1:]]
    kept = [s for s in floors if measured(s, every=True)[0] >= without]
    return max(kept, key=lambda s: s.wordless_floor, default=chosen_length)


def fit_all(items: list[Item], opts: FitOptions) -> Weights:
    """The models fitted on the fitted sets; then the gates, whose budget also counts the sets
    measured only (script variants, the small libraries)."""
    everything = items
    items = [it for it in items if it.fit]
    weights = placeholder()
    if opts.ranking is not None:
        weights.passage, weights.sentence = opts.ranking.passage, opts.ranking.sentence
    else:
        weights.passage = fit_passage(items, opts.l2)
        weights.sentence = fit_sentence(items, weights, opts.l2, opts.sentence_fit == "listwise")
    oof, closed = out_of_fold(items, weights, opts)
    weights.topic = fit_topic(items, weights, opts.topic_fit == "taught")
    weights.answer = fit_answer(items, weights, opts.l2, opts.answer_features)
    weights.subject_gate, weights.topic_thresholds, weights.thresholds = fit_refusals(oof, closed, opts)
    if opts.ranking is not None:
        AnswerLength.of(opts.ranking).set_on(weights)
    else:
        cap = MAX_MEAN_SENTENCES if opts.sentence_fit == "listwise" else None
        fit_answer_length(items, weights, cap).set_on(weights)
    fit_gates(everything, weights)
    return weights


def cross_validate(items: list[Item], opts: FitOptions) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for fold in range(opts.folds):
        train = [it for it in items if it.fold != fold]
        test = [it for it in items if it.fold == fold]
        rows.extend(outcome_rows(test, fit_all(train, opts)))
        print(f"fold {fold + 1}/{opts.folds}: {len(test)} questions", file=sys.stderr, flush=True)
    return summarise(rows)


def asked_row(it: Item, weights: Weights) -> dict[str, Any]:
    """The outcome of one question as asked: refused or not, and for an answerable one whether its
    evidence is among the passages offered (hit), its keyword recall, and whether a citation holds
    the evidence."""
    hits = it.top_hits(weights)
    answer = compose(it.query, hits, weights, it.memo)
    row: dict[str, Any] = {"set": it.set, "kind": it.q.kind, "lang": it.q.lang, "variant": "as-asked",
                           "refused": answer.refused, "answerable": it.answerable, "hit": None,
                           "keywords": None, "cited": None}
    if it.answerable:
        row["hit"] = any(it.has_evidence(h) for h in hits)
        row["keywords"] = (sum(it.has_keyword_one(k, answer.text) for k in it.q.keywords) / len(it.q.keywords)
                           if it.q.keywords else None)
        row["cited"] = any(it.has_evidence(c) for c in answer.citations)
    return row


def outcome_rows(items: list[Item], weights: Weights) -> list[dict[str, Any]]:
    """One row per question as asked, and for answerable ones two more: the same question with the
    passages holding the answer removed (fact absent) and with the answer sentences cut (near miss)."""
    out = []
    for it in items:
        row = asked_row(it, weights)
        if it.answerable:
            for variant, cut in (("absent-fact", it.top_hits(weights, drop_answer=True)),
                                 ("near-miss", it.cut_hits(weights))):
                refused = not cut or compose(it.query, cut, weights, it.memo).refused
                out.append({**row, "variant": variant, "refused": refused, "hit": None, "keywords": None,
                            "cited": None})
        out.append(row)
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def mean(vals: list[Any]) -> float | None:
        vals = [float(v) for v in vals if v is not None]
        return round(sum(vals) / len(vals), 3) if vals else None

    def block(rs: list[dict[str, Any]]) -> dict[str, Any]:
        asked = [r for r in rs if r["variant"] == "as-asked"]
        ans = [r for r in asked if r["answerable"]]
        una = [r for r in asked if not r["answerable"]]
        fact = [r for r in rs if r["variant"] == "absent-fact"]
        near = [r for r in rs if r["variant"] == "near-miss"]
        return {"n": len(asked), "hit@5": mean([r["hit"] for r in ans]),
                "keywords": mean([r["keywords"] for r in ans]), "cited": mean([r["cited"] for r in ans]),
                "false_refusals": mean([r["refused"] for r in ans]),
                # what costs a reader's trust most: a quote without the answer, given with confidence
                "answered_wrong": mean([None if r["keywords"] is None else not r["refused"] and r["keywords"] == 0
                                        for r in ans]),
                "refusals_topic": mean([r["refused"] for r in una]), "n_topic": len(una),
                "refusals_fact": mean([r["refused"] for r in fact]),
                "refusals_near": mean([r["refused"] for r in near])}

    out: dict[str, Any] = {}
    for name in dict.fromkeys(r["set"] for r in rows):
        rs = [r for r in rows if r["set"] == name]
        out[name] = {"all": block(rs)}
        for key in ("kind", "lang"):
            for v in sorted({r[key] for r in rs}):
                out[name][v] = block([r for r in rs if r[key] == v])
    return out


COLUMNS = ("hit@5", "keywords", "cited", "false_refusals", "answered_wrong", "refusals_topic", "refusals_fact",
           "refusals_near")


def markdown(figures: dict[str, Any]) -> str:
    head = ["set", "group", "n", "hit@5", "keywords", "cited", "false refusals", "answered wrong",
            "refused: topic absent (n)", "fact absent", "near miss"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, groups in figures.items():
        for g, b in groups.items():
            cells = [name, g, str(b["n"])] + ["-" if b.get(k) is None else f"{b[k]:.3f}" for k in COLUMNS]
            if b.get("refusals_topic") is not None:
                cells[8] += f" ({b['n_topic']})"
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


__all__ = ["FitOptions", "fit_all", "cross_validate", "outcome_rows", "summarise", "markdown", "placeholder"]
