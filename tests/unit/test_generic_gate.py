"""The everyday-words gate: the word table it reads, when it fires, and how its fit spends the
false-refusal budget (``kb.common_words``, ``kb.answering.evidence.generic_match``,
``evals.gates``)."""

from __future__ import annotations

from evals.gates import GateRow, GateRows, choose_generic_gate
from kb.answering.evidence import NOTHING_HELD, answer_features, candidate_sentences, generic_match
from kb.common_words import RARE, TABLE, zipf
from kb.fitted import Weights, default_weights

from .conftest import hit, make_query


def test_everyday_words_are_commoner_than_names_and_numbers() -> None:
    assert zipf("people") > 6 and zipf("人口") > 5 and zipf("最") > 5.5
    assert zipf("Deloitte") < 4 and zipf("变分自编码器") == RARE and zipf("2016") == RARE and zipf("3") == RARE
    assert zipf("People") == zipf("people")
    assert "CC BY-SA 4.0" in TABLE.read_text(encoding="utf-8").splitlines()[0]


def test_a_word_held_through_a_translation_counts_as_common_as_the_translation(chunks, lexical) -> None:  # type: ignore[no-untyped-def]
    """罢工 is held in "The strike of July 2023…" as "strike", which is commoner than 罢工: the sentence
    says as much as "strike" does. A sentence holding none of the question's words holds nothing."""
    strike = [hit(chunks[2], sims={0: 0.02, 1: 0.03})]
    q = make_query("罢工持续了多久？", lexical)
    held = answer_features(q, strike, candidate_sentences(q, strike))["evidence_zipf"]
    assert held == zipf("strike") > zipf("罢工")
    other = make_query("这件事持续了多久？", lexical)
    assert answer_features(other, strike, candidate_sentences(other, strike))["evidence_zipf"] == NOTHING_HELD


def _features(held: float, use: float) -> dict[str, float]:
    return {"evidence_zipf": held, "evidence_use": use}


def test_the_gate_needs_both_an_everyday_match_and_a_distant_sentence() -> None:
    assert generic_match(_features(5.5, 0.1), 5.25, 0.15)
    assert generic_match(_features(NOTHING_HELD, 0.1), 5.25, 0.15)
    assert not generic_match(_features(4.0, 0.1), 5.25, 0.15)  # holds a rarer word of the question
    assert not generic_match(_features(5.5, 0.3), 5.25, 0.15)  # the second encoder finds it near
    assert not generic_match(_features(NOTHING_HELD, 0.0), 5.25, 0.0)  # off


def test_the_shipped_gate_is_read_per_language_relation() -> None:
    w = default_weights()
    assert set(w.generic_gate) == {"same", "cross"}
    assert w.generic_gate_for("zh", "zh") == w.generic_gate["same"] == w.generic_gate_for("en", "en")
    assert Weights.from_dict(w.to_dict()).generic_gate == w.generic_gate
    assert Weights.from_dict({k: v for k, v in w.to_dict().items() if k != "generic_gate"}).generic_gate_for(
        "en", "zh") == ()


def test_models_written_before_boxes_still_read_their_gate() -> None:
    w = Weights.from_dict(default_weights().to_dict() | {"generic_gate": {"same": [5.0, 0.2], "cross": [6.0, 0.15]}})
    assert w.generic_gate_for("zh", "zh") == ((5.0, 0.2),) and w.generic_gate_for("en", "zh") == ((6.0, 0.15),)


def _rows(name: str, role: str, n: int, held: float, use: float, fit: bool = True) -> list[GateRow]:
    return [GateRow(name, role, "same", _features(held, use), fit, "zh>zh") for _ in range(n)]


def test_the_fit_takes_the_gate_that_refuses_absent_questions_within_budget() -> None:
    rows = GateRows(_rows("big", "answerable", 1000, 3.0, 0.5) + _rows("big", "absent-topic", 40, 5.6, 0.05),
                    {"big": 1000}, {("big", "absent-topic"): 50})
    gate = choose_generic_gate(rows)
    assert set(gate) == {"same"} and len(gate["same"]) == 1  # one box per relation
    assert all(generic_match(r.features, *gate["same"][0]) for r in rows.open if r.role == "absent-topic")


def test_answers_lost_in_a_small_library_measured_only_forbid_a_gate() -> None:
    """A set fitted on is not traded for a measured one: the small libraries' answers count in full."""
    small = _rows("small", "answerable", 60, 5.6, 0.05, fit=False) + _rows("small", "answerable", 240, 3.0, 0.5, False)
    big = _rows("big", "answerable", 1000, 3.0, 0.5) + _rows("big", "absent-topic", 40, 5.6, 0.05)
    assert choose_generic_gate(GateRows(small + big, {"big": 1000, "small": 300}, {("big", "absent-topic"): 50})) == {}


def test_no_absent_question_to_catch_means_no_gate() -> None:
    rows = GateRows(_rows("big", "answerable", 1000, 5.6, 0.05), {"big": 1000}, {("big", "absent-topic"): 10})
    assert choose_generic_gate(rows) == {}
