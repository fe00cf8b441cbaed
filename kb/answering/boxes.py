"""Gates bounded by a staircase of threshold pairs ("boxes").

The everyday-words gate (``kb.answering.evidence.generic_match``) and the distant-library gate
(``kb.answering.distant.distant``) each compare two features with two thresholds. One pair of
thresholds had to choose between refusing too little and refusing answerable questions, so each
is fitted as up to two pairs per language pair or relation (``evals.gates.choose_boxes``), and
the gate fires under any of them. Answering and fitting both ask through ``fires_any``, so the
gate the fit weighs is the gate that answers.
"""

from __future__ import annotations

from collections.abc import Callable

Box = tuple[float, float]  # a gate's two thresholds; (0, 0) = off
Gate = Callable[[dict[str, float], float, float], bool]


def fires_any(gate: Gate, features: dict[str, float], boxes: tuple[Box, ...]) -> bool:
    """``gate`` under any of ``boxes`` (``kb.fitted.Weights.distant_gate_for``, ``generic_gate_for``)."""
    return any(gate(features, *box) for box in boxes)
