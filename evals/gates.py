"""Fitting the everyday-words gate (``kb.answering.evidence.generic_match``).

Like the evidence gate it is chosen after the models and thresholds, on every set alone, so that
a gate one set's questions need is not traded for another's refusals. Two things differ, both
learnt from a gate that failed CI (docs/quality.md, sixth stop): the budget counts the libraries
of one to five articles (``--sets small``) whenever they are collected, since a reader's first
library is a few files and a gate tuned on big libraries alone misfires there; and a gate is
charged for what it adds, the answerable questions the rest of the decision would answer and it
refuses, not for those refused anyway.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import product

import numpy as np

from kb.answering.evidence import GENERIC_FLOORS, GENERIC_ZIPFS, generic_match
from kb.answering.extractive import refusal_reason
from kb.fitted import Weights

from .fit_data import Item
from .fitting import ABSENT_ROLES, ANSWERABLE, EVIDENCE_GATE_BUDGET, MIN_SET_ROWS, answer_rows

RELATIONS = ("same", "cross")
OFF = (0.0, 0.0)


@dataclass
class GateRow:
    """A question the decision without the gate answers: its set, role and answer features."""

    set: str
    role: str  # an ``answer_rows`` role: answerable ones (``ANSWERABLE``) or ``ABSENT_ROLES``
    relation: str  # "same" (answered in the question's language) or "cross"
    features: dict[str, float]
    fit: bool  # a fitted set's (its absent questions are what the gate is chosen to refuse)


@dataclass
class GateRows:
    open: list[GateRow]
    answerable: dict[str, int]  # each set's answerable questions, answered or not
    absent: dict[tuple[str, str], int]  # each fitted set's questions to refuse, by role


def gate_rows(items: list[Item], weights: Weights) -> GateRows:
    without = replace(weights, generic_gate={})
    out = GateRows([], defaultdict(int), defaultdict(int))
    for it in items:
        for f, _, pair, role in answer_rows(it, weights):
            q_lang, a_lang = pair.split(">")
            if role in ANSWERABLE:
                out.answerable[it.set] += 1
            elif role in ABSENT_ROLES and it.fit:
                out.absent[(it.set, role)] += 1
            if refusal_reason(f, q_lang, a_lang, without) is None:
                out.open.append(GateRow(it.set, role, "same" if q_lang == a_lang else "cross", f, it.fit))
    return out


def fit_generic_gate(items: list[Item], weights: Weights) -> dict[str, tuple[float, float]]:
    return choose_generic_gate(gate_rows(items, weights))


def choose_generic_gate(rows: GateRows) -> dict[str, tuple[float, float]]:
    """The thresholds, per language relation, that refuse the most questions whose answer is absent
    (fitted sets only; each set and role weighing the same) among those adding refusals of at most
    ``EVIDENCE_GATE_BUDGET`` of the answerable questions of every set with ``MIN_SET_ROWS`` of them,
    fitted on or measured only (script variants, small libraries). The relations share each set's
    budget, so they are chosen together. Ties go to the gate refusing less: off, then the higher
    everyday-word threshold, then the lower similarity floor."""
    sized = {s for s, n in rows.answerable.items() if n >= MIN_SET_ROWS} or set(rows.answerable)
    choices = [OFF, *product(GENERIC_ZIPFS, GENERIC_FLOORS)]
    scored = []
    for same, cross in product(choices, choices):
        gate = {"same": same, "cross": cross}
        fired = [r for r in rows.open if generic_match(r.features, *gate[r.relation])]
        cost: dict[str, int] = defaultdict(int)
        caught: dict[tuple[str, str], int] = defaultdict(int)
        for r in fired:
            if r.role in ANSWERABLE and r.set in sized:
                cost[r.set] += 1
            elif r.role in ABSENT_ROLES and r.fit:
                caught[(r.set, r.role)] += 1
        if any(n / rows.answerable[s] > EVIDENCE_GATE_BUDGET for s, n in cost.items()):
            continue
        gain = float(np.mean([caught[g] / n for g, n in rows.absent.items()])) if rows.absent else 0.0
        scored.append((gain, *_restraint(same), *_restraint(cross), same, cross))
    top = max(scored, key=lambda s: s[:5], default=None)
    if top is None or top[0] <= 0:
        return {}
    return {k: v for k, v in zip(RELATIONS, top[5:], strict=True) if v != OFF}


def _restraint(choice: tuple[float, float]) -> tuple[float, float]:
    """Orders choices from the one refusing least (off) down, for ties."""
    return (99.0, 0.0) if choice == OFF else (choice[0], -choice[1])
