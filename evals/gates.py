"""Fitting the gates that refuse before the thresholds are read: the evidence gate
(``kb.answering.evidence.unrelated``), the everyday-words gate (``generic_match``) and the
distant-library gate (``kb.answering.distant.distant``).

They are chosen after the models and thresholds, on every set alone, so that a gate one set's
questions need is not traded for another's refusals. Each is charged for what it adds: the
answerable questions the rest of the decision would answer and it refuses, not those refused
anyway. The budget counts every set, fitted on or measured only: the seeds' 25 questions may
lose none, and the libraries of one to five articles (``small``) count whenever they are
collected: a reader's first library is a few files, and a gate tuned on big libraries alone
misfired there (docs/quality.md, sixth stop). Only the fitted sets' absent questions are what a
gate is chosen to refuse.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import product
from typing import TypeVar

import numpy as np

from kb.answering.boxes import Box, Gate, fires_any
from kb.answering.distant import DISTANT_PASSAGE_FLOORS, DISTANT_Z_FLOORS, distant
from kb.answering.evidence import (
    EVIDENCE_CEILINGS,
    EVIDENCE_FLOORS,
    GENERIC_FLOORS,
    GENERIC_ZIPFS,
    generic_match,
    unrelated,
)
from kb.answering.extractive import refusal_reason
from kb.fitted import Weights

from .fit_data import Item
from .rows import ABSENT_ROLES, ANSWERABLE, answer_rows

GATE_BUDGET = 0.002  # share of a set's answerable questions a gate may add to the refusals (1 in 500)
OFF = (0.0, 0.0)
Choice = TypeVar("Choice")


@dataclass
class GateRow:
    """A question the decision without the gate answers: its set, role and answer features."""

    set: str
    role: str  # an ``answer_rows`` role: answerable ones (``ANSWERABLE``) or ``ABSENT_ROLES``
    relation: str  # "same" (answered in the question's language) or "cross"
    features: dict[str, float]
    fit: bool  # a fitted set's (its absent questions are what the gate is chosen to refuse)
    pair: str = ""  # "zh>en": a Chinese question answered from English (default: its relation)

    @property
    def language_pair(self) -> str:
        return self.pair or self.relation


@dataclass
class GateRows:
    open: list[GateRow]
    answerable: dict[str, int]  # each set's answerable questions, answered or not
    absent: dict[tuple[str, str], int]  # each fitted set's questions to refuse, by role


def gate_rows(items: list[Item], weights: Weights, without: Weights) -> GateRows:
    """Every question's rows under ``weights``; open: those the decision of ``without`` (the same
    models, the gate to fit turned off) answers."""
    out = GateRows([], defaultdict(int), defaultdict(int))
    for it in items:
        for f, _, pair, role in answer_rows(it, weights):
            q_lang, a_lang = pair.split(">")
            if role in ANSWERABLE:
                out.answerable[it.set] += 1
            elif role in ABSENT_ROLES and it.fit:
                out.absent[(it.set, role)] += 1
            if refusal_reason(f, q_lang, a_lang, without) is None:
                out.open.append(GateRow(it.set, role, "same" if q_lang == a_lang else "cross", f, it.fit, pair))
    return out


def choose(rows: GateRows, choices: Sequence[Choice], fires: Callable[[Choice, GateRow], bool],
           restraint: Callable[[Choice], tuple[float, ...]],
           charged: Callable[[Choice, GateRow], bool] | None = None) -> Choice | None:
    """The choice that refuses the most absent questions (each fitted set and role weighing the
    same) among those adding at most ``GATE_BUDGET`` of every set's answerable questions to the
    refusals (none, in a set of fewer than 500); ties go to the largest ``restraint`` (each gate's
    own order). None when no choice refuses any absent question. Each gate has its own budget.
    ``charged``: the rows a choice is charged for, if not those it refuses (a margin: the answerable
    questions a slightly looser choice would refuse)."""
    scored = []
    charge = charged or fires
    for i, choice in enumerate(choices):
        cost: dict[str, int] = defaultdict(int)
        caught: dict[tuple[str, str], int] = defaultdict(int)
        for r in rows.open:
            if r.role in ANSWERABLE:
                cost[r.set] += charge(choice, r)
            elif r.role in ABSENT_ROLES and r.fit and fires(choice, r):
                caught[(r.set, r.role)] += 1
        if any(n / rows.answerable[s] > GATE_BUDGET for s, n in cost.items()):
            continue
        gain = float(np.mean([caught[g] / n for g, n in rows.absent.items()])) if rows.absent else 0.0
        scored.append((gain, restraint(choice), i))
    top = max(scored, default=None)
    return None if top is None or top[0] <= 0 else choices[top[2]]


def choose_evidence_gate(rows: GateRows) -> tuple[float, float]:
    """(floor, ceiling) of ``unrelated``; ties go to the smaller ceiling, then the higher floor
    (the gate as it was before ceilings were fitted); (0, 0), off, when none gains."""
    choices = list(product(EVIDENCE_FLOORS, EVIDENCE_CEILINGS))
    found = choose(rows, choices, lambda c, r: unrelated(r.features, *c), lambda c: (-c[1], c[0]))
    return found if found is not None else OFF


PAIRS = ("en>en", "zh>zh", "en>zh", "zh>en")
RELATIONS = ("same", "cross")
MAX_ROUNDS = 5  # rounds of choosing each pair's box in turn (they settle in two)
MAX_BOXES = 2  # a third distant-gate box measured: one more XQuAD answer refused for a few facts absent


def _with_box(gate: Gate, boxes: dict[str, tuple[Box, ...]], chosen: dict[str, Box],
              pair: str) -> Callable[[Box, GateRow], bool]:
    """Whether ``gate`` refuses a row when ``pair``'s new box is a given choice: the boxes already
    fitted, the other pairs' new boxes as chosen so far."""
    def fires(c: Box, r: GateRow) -> bool:
        p = r.language_pair
        new = c if p == pair else chosen.get(p, OFF)
        return fires_any(gate, r.features, (*boxes.get(p, ()), new))

    return fires


def _loosened(fires: Callable[[Box, GateRow], bool], looser: Callable[[Box], Box]) -> Callable[[Box, GateRow], bool]:
    def charged(c: Box, r: GateRow) -> bool:
        return fires(looser(c), r)

    return charged


def choose_boxes(rows: GateRows, grid: list[Box], gate: Gate, restraint: Callable[[Box], tuple[float, ...]],
                 looser: Callable[[Box], Box] | None = None, pairs: tuple[str, ...] = PAIRS,
                 max_boxes: int = MAX_BOXES) -> dict[str, tuple[Box, ...]]:
    """Up to ``MAX_BOXES`` threshold pairs ("boxes") of a two-threshold gate per language pair,
    the gate firing under any of them; ``restraint`` orders one box's choices (off included) for
    the ties. Missing from the result = off.

    Per pair rather than per relation: the passage model is fitted per question language, and a
    Chinese question's best passage is far more probable than an English one's (an answerable
    Chinese question answered in Chinese had one under 0.3 once in a hundred; an English one
    answered in English, once in ten), so one threshold for both refused too little or too much.
    Four pairs of thresholds are too many choices to weigh together, so each pair's box is chosen
    in turn with the others held (all starting off), round after round until none changes; then a
    second box the same way, on top of the first, so each pair's boundary can be a staircase of two
    steps. Every choice is weighed on every set's budget with all boxes' refusals counted: the boxes
    together spend the one gate's budget.

    ``looser`` charges each box for what the box one grid step looser would refuse (a margin),
    ``pairs`` = ("same", "cross") with ``max_boxes`` = 1 chooses as the gates were chosen before:
    both measured by ``benchmarks/gate_halves.py``."""
    choices: list[Box] = [OFF, *grid]
    boxes: dict[str, tuple[Box, ...]] = {p: () for p in pairs}
    for _ in range(max_boxes):
        chosen = {p: OFF for p in pairs}
        for _ in range(MAX_ROUNDS):
            before = dict(chosen)
            for pair in pairs:
                fires = _with_box(gate, boxes, chosen, pair)
                charged = None if looser is None else _loosened(fires, looser)
                chosen[pair] = choose(rows, choices, fires, restraint, charged) or OFF
            if chosen == before:
                break
        if all(g == OFF for g in chosen.values()):
            break
        boxes = {p: boxes[p] + ((chosen[p],) if chosen[p] != OFF else ()) for p in pairs}
    return {p: b for p, b in boxes.items() if b}


def by_relation(rows: GateRows) -> GateRows:
    """The rows keyed by language relation ("same", "cross") instead of pair."""
    return replace(rows, open=[replace(r, pair="") for r in rows.open])


def choose_generic_gate(rows: GateRows) -> dict[str, tuple[Box, ...]]:
    """One (Zipf floor, similarity floor) box of ``generic_match`` per language relation; ties go
    to off, then the higher Zipf floor, then the lower similarity floor. Not per pair, as the
    distant gate is: fitted on half of the articles and counted on the other, per pair it refused
    15 of 2,992 answerable questions where per relation refused 2, for a few more absent ones
    (``benchmarks/gate_halves.py``, docs/quality.md ninth stop)."""
    return choose_boxes(by_relation(rows), list(product(GENERIC_ZIPFS, GENERIC_FLOORS)), generic_match,
                        lambda g: (99.0, 0.0) if g == OFF else (g[0], -g[1]), pairs=RELATIONS, max_boxes=1)


def choose_distant_gate(rows: GateRows) -> dict[str, tuple[Box, ...]]:
    """(passage floor, library z floor) boxes of ``distant`` per language pair; ties go to off, then
    the lower passage floor, then the lower z floor."""
    return choose_boxes(rows, list(product(DISTANT_PASSAGE_FLOORS, DISTANT_Z_FLOORS)), distant,
                        lambda g: (-g[0], -g[1]))


def fit_evidence_gate(items: list[Item], weights: Weights) -> tuple[float, float]:
    without = replace(weights, evidence_floor=0.0, evidence_ceiling=0.0, generic_gate={}, distant_gate={})
    return choose_evidence_gate(gate_rows(items, weights, without))


def fit_generic_gate(items: list[Item], weights: Weights) -> dict[str, tuple[Box, ...]]:
    return choose_generic_gate(gate_rows(items, weights, replace(weights, generic_gate={}, distant_gate={})))


def fit_distant_gate(items: list[Item], weights: Weights) -> dict[str, tuple[Box, ...]]:
    return choose_distant_gate(gate_rows(items, weights, replace(weights, distant_gate={})))


def fit_gates(items: list[Item], weights: Weights) -> None:
    """The three gates in the order they were added, each on what the ones before leave (and as if
    the ones after were off). Each spends its own budget of 1 in 500."""
    weights.evidence_floor, weights.evidence_ceiling = fit_evidence_gate(items, weights)
    weights.generic_gate = fit_generic_gate(items, weights)
    weights.distant_gate = fit_distant_gate(items, weights)
