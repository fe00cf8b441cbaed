"""The false-refusal budget that sets the refusal thresholds (``evals.fitting``): pooled over the
sets with each weighing the same, or held in every set."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from evals import fitting
from evals.gates import GateRow, GateRows, choose_evidence_gate


def _rows(name: str, topic: list[float], fact: float = 0.9) -> list[tuple[Any, str, str, float, float]]:
    item = SimpleNamespace(set=name)
    return [(item, "zh>zh", "answerable", p, fact) for p in topic]


def _refused(rows: list[tuple[Any, str, str, float, float]], threshold: float) -> float:
    return float(np.mean([p < threshold for _, _, _, p, _ in rows]))


def test_every_set_lets_the_worst_set_decide_and_pooled_weighs_sets_the_same() -> None:
    easy = _rows("easy", list(np.linspace(0.5, 1.0, 100)))
    hard = _rows("hard", list(np.linspace(0.0, 1.0, 100)))
    every, _ = fitting._thresholds(easy + hard, 0.1, 1.0, every_set=True)
    pooled, _ = fitting._thresholds(easy + hard, 0.1, 1.0, every_set=False)
    assert _refused(hard, every["zh>zh"]) <= 0.1 and _refused(easy, every["zh>zh"]) == 0.0
    assert every["zh>zh"] < pooled["zh>zh"]
    both = (_refused(easy, pooled["zh>zh"]) + _refused(hard, pooled["zh>zh"])) / 2
    assert 0.08 <= both <= 0.1  # the budget, spent over both sets together


def test_a_larger_set_does_not_outweigh_a_smaller_one() -> None:
    big = _rows("big", list(np.linspace(0.5, 1.0, 1000)))
    small = _rows("small", list(np.linspace(0.0, 1.0, 100)))
    pooled, _ = fitting._thresholds(big + small, 0.1, 1.0, every_set=False)
    both = (_refused(big, pooled["zh>zh"]) + _refused(small, pooled["zh>zh"])) / 2
    assert 0.08 <= both <= 0.1


def test_the_fact_threshold_spends_what_the_topic_left() -> None:
    item = SimpleNamespace(set="s")
    rows = [(item, "en>en", "answerable", 1.0, p) for p in np.linspace(0.0, 1.0, 200)]
    topic, fact = fitting._thresholds(rows, 0.05, 0.0, every_set=False)
    refused = np.mean([pt < topic["en>en"] or pf < fact["en>en"] for _, _, _, pt, pf in rows])
    assert 0.04 <= refused <= 0.05


def test_the_subject_gate_refuses_a_value_question_whose_sentences_hold_none_about_its_subject() -> None:
    from kb.answering.evidence import subject_missing

    near_miss = {"wanted": 1.0, "best_typed_key": 0.0, "typed_key_found": 1.0, "name_missing": 0.0}
    assert subject_missing(near_miss, "best") and not subject_missing(near_miss, "top3")
    assert not subject_missing(near_miss, "off")
    assert not subject_missing({**near_miss, "wanted": 0.0}, "best")  # not a question for a value


def test_a_gate_that_overspends_the_budget_is_not_taken() -> None:
    item = SimpleNamespace(set="s")
    answerable = [(item, "zh>zh", "answerable", 1.0, p) for p in np.linspace(0.0, 1.0, 200)]
    misses = [(item, "zh>zh", "near-miss", 1.0, 0.9) for _ in range(50)]
    rows = answerable + misses
    opts = fitting.FitOptions(max_false_refusals=0.05)
    # "best" shuts every near miss but also a fifth of the answerable; "top3" only the near misses.
    closed = {"off": [False] * len(rows),
              "best": [i % 5 == 0 for i in range(len(answerable))] + [True] * len(misses),
              "top3": [False] * len(answerable) + [True] * len(misses)}
    gate, _, _ = fitting.fit_refusals(rows, closed, opts)
    assert gate == "top3"


def test_with_counts_right_a_question_answered_wrongly_spends_no_budget() -> None:
    # Half the answerable questions would be answered from a passage without the evidence, and they
    # score lowest: counted, they hold the threshold down; not counted, it rises past them.
    item = SimpleNamespace(set="s")
    wrong = [(item, "zh>zh", "answerable-wrong", p, 1.0) for p in np.linspace(0.0, 0.4, 100)]
    right = [(item, "zh>zh", "answerable", p, 1.0) for p in np.linspace(0.5, 1.0, 100)]
    every, _ = fitting._thresholds(wrong + right, 0.1, 1.0, every_set=False)
    only_right, _ = fitting._thresholds(wrong + right, 0.1, 1.0, every_set=False, roles=("answerable",))
    assert every["zh>zh"] < 0.1 and only_right["zh>zh"] > 0.5
    assert fitting.counted(fitting.FitOptions(counts="right")) == ("answerable",)
    assert "answerable-wrong" in fitting.counted(fitting.FitOptions())  # the committed rule counts all


def test_answered_wrong_counts_quotes_without_the_answer_not_refusals() -> None:
    def row(refused: bool, keywords: float | None) -> dict[str, object]:
        return {"set": "s", "kind": "fact", "lang": "en", "variant": "as-asked", "refused": refused,
                "answerable": True, "hit": True, "keywords": keywords, "cited": True}

    got = fitting.summarise([row(False, 1.0), row(False, 0.0), row(True, 0.0), row(False, None)])["s"]["all"]
    assert got["answered_wrong"] == 0.333 and got["false_refusals"] == 0.25


def test_the_listwise_sentence_fit_learns_what_ranks_a_sentence_among_its_question_s_others() -> None:
    """One feature says how good a sentence is among its question's others, a second is the same
    for all of a question's sentences (it cannot choose between them). The listwise fit learns the
    first and gives the second no weight; its scores stay probabilities (between 0 and 1, the
    positives higher on average)."""
    from evals.logistic import fit_listwise

    rng = np.random.default_rng(0)
    rows, ys, starts = [], [], []
    for g in range(300):
        n = int(rng.integers(4, 12))
        quality = rng.normal(size=n)
        easy = np.full(n, float(g % 2))
        starts.append(len(rows))
        y = np.zeros(n)
        y[int(np.argmax(quality + rng.gumbel(size=n) * 0.3))] = 1.0
        rows.extend(np.column_stack([quality, easy]))
        ys.extend(y)
    x, y = np.array(rows), np.array(ys)
    model = fit_listwise(x, y, np.array(starts), ("quality", "easy"), l2=1.0)
    assert model.weights[0] > 1.0
    assert abs(model.weights[1]) < 0.05 * model.weights[0]
    probs = model.probs([{"quality": a, "easy": b} for a, b in x])
    assert 0.0 < probs.min() and probs.max() < 1.0
    assert probs[y == 1].mean() > 2 * probs[y == 0].mean()


def test_the_answer_length_fit_keeps_answers_within_the_mean_sentence_cap(monkeypatch: Any) -> None:
    """Recall rises with every further sentence here, up to four; with a cap the fit takes the best
    recall among settings whose answers quote at most that many on average, not the longest. The
    share for sentences from elsewhere changes nothing here, so the fit takes the highest; a floor
    for wordless sentences above 0.1 drops a sentence, so the fit takes 0.1."""
    def quoted(ranked: Any, hits: Any, length: fitting.AnswerLength) -> list[str]:
        n = min(length.max_sentences, 1 + int((1 - length.extra_ratio) * 5))
        return ["s"] * max(1, n - 1 if length.wordless_floor > 0.1 else n)

    def render(lang: str, chosen: list[str], hits: Any) -> Any:
        return SimpleNamespace(text=f"{len(chosen)}", refused=False, citations=[SimpleNamespace(highlights=chosen)])

    def item(need: int) -> Any:
        return SimpleNamespace(set="s", answerable=True, q=SimpleNamespace(keywords=["k"]),
                               query=SimpleNamespace(lang="en"), memo={}, top_hits=lambda w: [],
                               has_keyword=lambda text: int(text) >= need)

    monkeypatch.setattr(fitting, "decided", lambda *a: (["ranked"], None))
    monkeypatch.setattr(fitting, "quoted", quoted)
    monkeypatch.setattr(fitting, "render", render)
    items = [item(n) for n in (1, 2, 3, 4) for _ in range(2)]
    weights = SimpleNamespace()
    # recall 0.75; (4, 0.4) would give 1.0
    assert fitting.fit_answer_length(items, weights, 3.0) == fitting.AnswerLength(3, 0.6, 1.0, 0.1)
    # no cap (pointwise)
    assert fitting.fit_answer_length(items, weights) == fitting.AnswerLength(4, 0.4, 1.0, 0.1)


def test_a_feature_fitted_against_its_sign_is_left_out_and_the_rest_refitted() -> None:
    """Two correlated coverages: fitted freely, the second balances the first with a negative
    weight; with both signed +1 it is left out (weight 0) and the first keeps its direction."""
    from evals.logistic import fit_logistic, fit_signed

    rng = np.random.default_rng(0)
    z = rng.normal(size=3000)
    a = z + rng.normal(scale=0.5, size=z.size)
    x = np.column_stack([a, z, rng.normal(size=z.size)])
    y = (rng.random(z.size) < 1 / (1 + np.exp(-(3 * a - 2 * z)))).astype(float)
    names = ("sentence_cov", "passage_cov", "noise")
    assert fit_logistic(x, y, names).weights[1] < 0
    model = fit_signed(x, y, names, {"sentence_cov": 1, "passage_cov": 1})
    assert model.weights[0] > 0 and model.weights[1] == 0.0
    probs = model.probs([{"sentence_cov": 1.0, "passage_cov": 1.0, "noise": 0.0},
                         {"sentence_cov": 1.0, "passage_cov": 2.0, "noise": 0.0}])
    assert probs[1] == probs[0]  # more passage coverage no longer lowers the answer's probability


def test_an_article_taken_out_leaves_candidates_that_look_like_a_library_without_it() -> None:
    """The topic model's synthetic negatives (``evals.absent``): the question's article's passages
    go, and the best of those left is first again on every list (rank 0, no gap to the best, BM25
    relative to the best left), as a library without the article would rank it."""
    from evals.absent import without_article
    from kb.records import ChunkMeta, StoredChunk
    from kb.search.candidates import Candidate, Listing
    from kb.store.lexical import LexicalIndex

    from .conftest import make_query

    texts = [("gone.md", "The strike lasted 118 days."), ("gone.md", "It ended in November 2023."),
             ("kept.md", "The studio was founded in 2019."), ("kept.md", "Its films use generated images.")]
    chunks = [StoredChunk(f"{name}::{i}", text, ChunkMeta(name, i, "en", file=f"/lib/{name}"))
              for i, (name, text) in enumerate(texts)]
    query = make_query("How long did the strike last?", LexicalIndex.build(chunks))
    cands = [Candidate(c, i, c.text.lower(), {"main": Listing(0.9 - 0.1 * i, i), "use": Listing(0.5 - 0.1 * i, i)},
                       bm25=1.0 - 0.2 * i, bm25_rank=i) for i, c in enumerate(chunks)]
    item = SimpleNamespace(q=SimpleNamespace(docs=[]), cands=cands, query=query)
    item.cands = without_article(item)  # every feature computed from the listings
    kept = without_article(SimpleNamespace(q=SimpleNamespace(docs=[]), cands=item.cands, query=query))
    assert [c.features for c in kept] == [c.features for c in item.cands]  # nothing taken out: nothing moves
    left = without_article(SimpleNamespace(q=SimpleNamespace(docs=["gone.md"]), cands=item.cands, query=query))
    assert [c.chunk.meta.doc_id for c in left] == ["kept.md", "kept.md"]
    first = left[0].features
    assert first["dense_rr"] == 1.0 and first["dense_gap"] == 0.0 and first["bm25"] == 1.0
    assert item.cands[2].features["dense_rr"] < 1.0 and item.cands[2].features["dense_gap"] < 0.0
    assert item.cands[2].dense["main"].rank == 2 and item.cands[2].bm25_rank == 2  # the collected ones unchanged


def test_the_evidence_gate_takes_the_pair_that_refuses_most_absent_answers_within_the_budget() -> None:
    """Absent topics match one word in three and sit far by the second encoder; absent facts match
    none and sit nearer. The gate widens (a ceiling of a third, a higher floor) only while no set's
    answerable questions pay more than the budget for it; ties go to the smaller ceiling, then the
    higher floor; with nothing to gain the gate is off."""
    def f(cov: float, use: float) -> dict[str, float]:
        return {"evidence_cov": cov, "evidence_use": use}

    def rows(name: str, spec: list[tuple[dict[str, float], str]]) -> list[GateRow]:
        return [GateRow(name, role, "cross", feats, True) for feats, role in spec]

    answerable = [(f(0.6, 0.4), "answerable")] * 1000
    absent = [(f(0.33, 0.03), "absent-topic")] * 10 + [(f(0.0, 0.13), "absent-fact")] * 10
    totals = {(s, r): 10 for s in "ab" for r in ("absent-topic", "absent-fact")}
    clean = GateRows(rows("a", answerable + absent) + rows("b", answerable + absent), {"a": 1000, "b": 1000}, totals)
    assert choose_evidence_gate(clean) == (0.20, 0.34)  # refuses them all
    near = [(f(0.33, 0.12), "answerable")] * 3  # 3 of 1003 is over 1 in 500
    costly = GateRows(rows("a", answerable + absent) + rows("b", answerable + near + absent), {"a": 1000, "b": 1003},
                      totals)
    # (0.15, 0.34) would refuse both kinds but also the three; (0.10, 0.34) and (0.20, 0.0) each
    # refuse one kind: the smaller ceiling is taken.
    assert choose_evidence_gate(costly) == (0.20, 0.0)
    none_absent = GateRows(rows("a", answerable) + rows("b", answerable + near), {"a": 1000, "b": 1003}, totals)
    assert choose_evidence_gate(none_absent) == (0.0, 0.0)  # nothing to gain: off


def test_a_gate_is_charged_for_the_answers_it_adds_to_the_refusals_in_every_set_measured_or_fitted() -> None:
    """Only rows the decision without the gate answers are open to it, so an answerable question
    refused anyway costs nothing; but a measured-only set's answers (small libraries) count in full."""
    far = {"evidence_cov": 0.0, "evidence_use": 0.01}
    absent = [GateRow("big", "absent-topic", "same", far, True)] * 10
    # 300 answerable small-library questions, 5 of them open and caught by any gate: over the budget.
    small = [GateRow("small", "answerable", "same", far, False)] * 5
    assert choose_evidence_gate(GateRows(absent + small, {"big": 1000, "small": 300}, {("big", "absent-topic"): 10})) \
        == (0.0, 0.0)
    # The same five refused anyway (not open): the gate is free to refuse the absent ones.
    assert choose_evidence_gate(GateRows(absent, {"big": 1000, "small": 300}, {("big", "absent-topic"): 10}))[0] > 0


def test_keeping_the_ranking_fits_only_the_refusals(monkeypatch: Any) -> None:
    """With ``ranking`` the passage and sentence models and the answer length are the given ones,
    untouched; the topic and fact models, thresholds and gates are fitted."""
    from kb.fitted import Weights

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the ranking was refitted")

    for name in ("fit_passage", "fit_sentence", "fit_answer_length"):
        monkeypatch.setattr(fitting, name, never)
    monkeypatch.setattr(fitting, "out_of_fold", lambda items, weights, opts: ([], {}))
    monkeypatch.setattr(fitting, "fit_topic", lambda items, weights, taught: {"zh": "topic"})
    monkeypatch.setattr(fitting, "fit_answer", lambda items, weights, l2, features: {"zh": "fact"})
    monkeypatch.setattr(fitting, "fit_refusals", lambda rows, closed, opts: ("off", {"zh>zh": 0.1}, {"zh>zh": 0.2}))
    monkeypatch.setattr(fitting, "fit_gates", lambda items, weights: setattr(weights, "evidence_floor", 0.05))
    kept = Weights({"zh": "p"}, {"zh": "s"}, {}, {}, 0.3, 2)  # type: ignore[dict-item]
    w = fitting.fit_all([], fitting.FitOptions(ranking=kept))
    assert w.passage is kept.passage and w.sentence is kept.sentence and (w.extra_ratio, w.max_sentences) == (0.3, 2)
    assert w.topic == {"zh": "topic"} and w.answer == {"zh": "fact"} and w.thresholds == {"zh>zh": 0.2}
