"""The false-refusal budget that sets the refusal thresholds (``evals.fitting``): pooled over the
sets with each weighing the same, or held in every set."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from evals import fitting


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
