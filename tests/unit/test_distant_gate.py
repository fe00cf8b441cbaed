"""The distant-library gate: when it fires and how its fit spends the false-refusal budget
(``kb.answering.distant``, ``evals.gates.choose_distant_gate``), and that it refuses through the
same decision the answers use (``kb.answering.extractive.refusal_reason``)."""

from __future__ import annotations

from dataclasses import replace

from evals.gates import GateRow, GateRows, choose_distant_gate
from kb.answering.boxes import fires_any
from kb.answering.distant import distant
from kb.answering.evidence import ANSWER_FEATURES
from kb.answering.extractive import refusal_reason
from kb.fitted import Weights, default_weights


def _features(passage: float, z: float) -> dict[str, float]:
    return {"best_passage": passage, "use_lib_z": z}


def test_the_gate_needs_an_improbable_passage_and_a_library_no_nearer_than_usual() -> None:
    assert distant(_features(0.01, 2.0), 0.02, 3.0)
    assert not distant(_features(0.5, 2.0), 0.02, 3.0)  # the passage model finds a likely passage
    assert not distant(_features(0.01, 4.5), 0.02, 3.0)  # the second encoder finds a passage near
    assert not distant(_features(0.0, 0.0), 0.0, 0.0)  # off


def test_the_gate_is_read_per_language_pair_and_kept_with_the_models() -> None:
    assert set(default_weights().distant_gate) <= {"en>en", "zh>zh", "en>zh", "zh>en"}  # the shipped fit's pairs
    w = replace(default_weights(), distant_gate={"zh>en": ((0.02, 3.5),), "zh>zh": ((0.07, 99.0), (0.2, 4.0))})
    assert w.distant_gate_for("zh", "en") == ((0.02, 3.5),)
    assert w.distant_gate_for("zh", "zh") == ((0.07, 99.0), (0.2, 4.0))
    assert w.distant_gate_for("en", "zh") == ()  # a pair the fit left off
    assert Weights.from_dict(w.to_dict()).distant_gate == w.distant_gate
    assert Weights.from_dict({k: v for k, v in w.to_dict().items() if k != "distant_gate"}).distant_gate == {}


def test_models_fitted_per_relation_with_one_box_still_read_their_gate() -> None:
    w = Weights.from_dict(default_weights().to_dict() | {"distant_gate": {"cross": [0.02, 3.5], "same": [0.2, 3.0]}})
    assert w.distant_gate_for("en", "zh") == ((0.02, 3.5),) and w.distant_gate_for("zh", "en") == ((0.02, 3.5),)
    assert w.distant_gate_for("en", "en") == ((0.2, 3.0),)


def test_a_second_box_refuses_what_the_first_leaves() -> None:
    boxes = ((0.07, 99.0), (0.2, 4.0))
    assert fires_any(distant, _features(0.05, 9.0), boxes)  # next to no chance, whatever the second encoder says
    assert fires_any(distant, _features(0.15, 3.0), boxes)  # unlikely, and nothing nearer than usual
    assert not fires_any(distant, _features(0.15, 5.0), boxes)
    assert not fires_any(distant, _features(0.05, 9.0), ())


def test_a_distant_answer_is_refused_as_unrelated() -> None:
    shipped = replace(default_weights(), distant_gate={})  # the gate off
    w = replace(shipped, distant_gate={"zh>en": ((0.02, 3.5),)})
    features = {n: 0.0 for n in ANSWER_FEATURES} | {"evidence_cov": 1.0, "evidence_use": 0.9, "evidence_zipf": 0.0}
    near = features | {"best_passage": 0.9, "use_lib_z": 6.0}
    far = features | {"best_passage": 0.01, "use_lib_z": 2.0}
    assert refusal_reason(far, "zh", "en", w) == "unrelated"
    assert refusal_reason(far, "zh", "zh", w) == refusal_reason(far, "zh", "zh", shipped)  # same language: off
    assert refusal_reason(near, "zh", "en", w) == refusal_reason(near, "zh", "en", shipped)


def _rows(name: str, role: str, n: int, passage: float, z: float, pair: str = "zh>en",
          fit: bool = True) -> list[GateRow]:
    relation = "same" if pair in ("en>en", "zh>zh") else "cross"
    return [GateRow(name, role, relation, _features(passage, z), fit, pair) for _ in range(n)]


def test_the_fit_takes_the_gate_that_refuses_absent_questions_within_budget() -> None:
    rows = GateRows(_rows("big", "answerable", 1000, 0.8, 5.0) + _rows("big", "absent-topic", 40, 0.005, 1.2),
                    {"big": 1000}, {("big", "absent-topic"): 50})
    gate = choose_distant_gate(rows)
    assert set(gate) == {"zh>en"} and len(gate["zh>en"]) == 1  # nothing left for a second box
    assert all(fires_any(distant, r.features, gate["zh>en"]) for r in rows.open if r.role == "absent-topic")
    assert not any(fires_any(distant, r.features, gate["zh>en"]) for r in rows.open if r.role == "answerable")


def test_each_pair_gets_its_own_floor() -> None:
    """Chinese answerable questions answered in Chinese keep a probable passage (0.4) where English
    ones answered in English sit at 0.1: one floor for both would refuse the English ones or miss
    the Chinese absent ones (at 0.2)."""
    rows = GateRows(_rows("big", "answerable", 500, 0.4, 2.0, "zh>zh") + _rows("big", "answerable", 500, 0.1, 2.0, "en>en")
                    + _rows("big", "absent-topic", 20, 0.2, 2.0, "zh>zh") + _rows("big", "absent-topic", 20, 0.05, 2.0, "en>en"),
                    {"big": 1000}, {("big", "absent-topic"): 40})
    gate = choose_distant_gate(rows)
    assert set(gate) == {"zh>zh", "en>en"}
    assert gate["zh>zh"][0][0] > 0.2 and 0.05 < gate["en>en"][0][0] <= 0.1
    assert not any(fires_any(distant, r.features, gate[r.pair]) for r in rows.open if r.role == "answerable")


def test_a_second_box_takes_the_absent_questions_a_first_cannot() -> None:
    """Absent questions of two kinds: a passage next to no chance with a near second encoder, and
    an unlikely passage with a distant one. Answerable questions sit between them, so no one box
    refuses both kinds; two do."""
    rows = GateRows(_rows("big", "answerable", 500, 0.5, 5.0, "zh>zh") + _rows("big", "answerable", 500, 0.15, 6.0, "zh>zh")
                    + _rows("big", "absent-topic", 20, 0.05, 6.0, "zh>zh")
                    + _rows("big", "absent-topic", 10, 0.15, 2.0, "zh>zh"),
                    {"big": 1000}, {("big", "absent-topic"): 30})
    gate = choose_distant_gate(rows)
    assert len(gate["zh>zh"]) == 2
    assert all(fires_any(distant, r.features, gate["zh>zh"]) for r in rows.open if r.role == "absent-topic")
    assert not any(fires_any(distant, r.features, gate["zh>zh"]) for r in rows.open if r.role == "answerable")


def test_answers_lost_in_a_small_library_measured_only_forbid_a_gate() -> None:
    small = _rows("small", "answerable", 10, 0.005, 1.2, fit=False) + _rows("small", "answerable", 290, 0.8, 5.0,
                                                                              fit=False)
    big = _rows("big", "answerable", 1000, 0.8, 5.0) + _rows("big", "absent-topic", 40, 0.005, 1.2)
    assert choose_distant_gate(GateRows(small + big, {"big": 1000, "small": 300}, {("big", "absent-topic"): 50})) == {}
