"""Fitted logistic models: which passage to cite, which sentence to quote, when to refuse.

The weights are not chosen by hand: ``benchmarks/fit_weights.py`` (with ``evals.fitting``) fits
them on the dev splits of the public benchmarks and the project's own question sets together, and
writes ``weights.json`` beside this module with the figures the fit produced. The runtime only standardises the
features, takes the dot product and a logistic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

WEIGHTS_FILE = "weights.json"


@dataclass
class LinearModel:
    """``P(yes) = sigmoid(bias + sum(w_i * (x_i - mean_i) / scale_i))``."""

    features: tuple[str, ...]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LinearModel:
        names = tuple(d["features"])
        return cls(names, np.array([d["weights"][n] for n in names], dtype=np.float64), float(d["bias"]),
                   np.array([d["mean"][n] for n in names], dtype=np.float64),
                   np.array([d["scale"][n] for n in names], dtype=np.float64))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "weights": {n: round(float(w), 5) for n, w in zip(self.features, self.weights, strict=True)},
            "bias": round(self.bias, 5),
            "mean": {n: round(float(m), 5) for n, m in zip(self.features, self.mean, strict=True)},
            "scale": {n: round(float(s), 5) for n, s in zip(self.features, self.scale, strict=True)},
        }

    def matrix(self, rows: list[dict[str, float]]) -> np.ndarray:
        return np.array([[r.get(n, 0.0) for n in self.features] for r in rows], dtype=np.float64).reshape(
            len(rows), len(self.features))

    def probs(self, rows: list[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        z = self.bias + ((self.matrix(rows) - self.mean) / self.scale) @ self.weights
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def prob(self, row: dict[str, float]) -> float:
        return float(self.probs([row])[0])


Models = dict[str, LinearModel]  # one per question language ("zh", "en")


@dataclass(frozen=True)
class AnswerLength:
    """How much an answer quotes (``kb.answering.extractive.quoted``): the fields of ``Weights``
    that ``evals.fitting.fit_answer_length`` fits together, as one value to weigh and to set."""

    max_sentences: int
    extra_ratio: float
    other_ratio: float
    wordless_floor: float = -1.0

    @classmethod
    def of(cls, weights: Weights) -> AnswerLength:
        return cls(weights.max_sentences, weights.extra_ratio, weights.other_ratio, weights.wordless_floor)

    def set_on(self, weights: Weights) -> None:
        weights.max_sentences, weights.extra_ratio, weights.other_ratio, weights.wordless_floor = \
            self.max_sentences, self.extra_ratio, self.other_ratio, self.wordless_floor


@dataclass
class Weights:
    """The fitted models, one set per question language: what makes a passage or a sentence the
    answer differs between a Chinese and an English question (and the benchmarks hold far more
    Chinese questions, which would otherwise set the weights for both)."""

    passage: Models
    sentence: Models
    answer: Models  # does the best sentence hold the asked-for fact (not a near miss)?
    # Answer when P(answer) reaches the threshold of the question's language pair ("zh>en": a
    # Chinese question whose best sentence is English) ...
    thresholds: dict[str, float]
    extra_ratio: float  # a further sentence joins the answer when its probability is this share of the best
    max_sentences: int = 3  # the answer's length: fitted with ``extra_ratio`` (the shortest that keeps recall)
    # ... and the share a further sentence from another document, or in another language, needs
    # (``kb.answering.extractive.quoted``); models fitted before it hold none (0: as any other).
    other_ratio: float = 0.0
    # ... and the second encoder's similarity a further sentence holding none of the question's words
    # needs: it was quoted for its passage and its place in it alone ("利用AI技术降低电影制作成本…"
    # before the strike's date for "Which union went on strike?"). Models fitted before it: -1 (any).
    wordless_floor: float = -1.0
    # ... and P(topic) reaches its own: is the question's topic in the library at all? Two models,
    # because a question is refused when either fails, which one linear model cannot express.
    topic: Models = field(default_factory=dict)
    topic_thresholds: dict[str, float] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    # Refuse a question asking for a value when no best sentence holds one about its subject
    # (``kb.answering.evidence.subject_missing``): "off", "best" or "top3", chosen by the fit.
    subject_gate: str = "off"
    # Refuse when the sentence to be quoted holds at most ``evidence_ceiling`` of the question's words
    # and the second encoder puts it below ``evidence_floor`` (``kb.answering.evidence.unrelated``);
    # both fitted, a floor of 0 = off.
    evidence_floor: float = 0.0
    evidence_ceiling: float = 0.0
    # Refuse when the three best sentences hold only everyday words of the question and the second
    # encoder puts the best one low (``kb.answering.evidence.generic_match``): boxes of (zipf floor,
    # similarity floor) per language pair, as ``distant_gate``; fitted, missing = off.
    generic_gate: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    # Refuse when the best passage is improbable and the second encoder finds the library no nearer
    # than usual (``kb.answering.boxes.fires_any``): boxes of (passage floor, library z floor) per
    # language pair ("zh>en": a Chinese question answered from English), as the passage model's
    # probabilities differ by the question's language; models fitted before the gates were per pair
    # hold one box per relation ("same": answered in the question's language, "cross": in the
    # other). Fitted, missing = off.
    distant_gate: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)

    def generic_gate_for(self, q_lang: str, a_lang: str) -> tuple[tuple[float, float], ...]:
        return _boxes_for(self.generic_gate, q_lang, a_lang)

    def distant_gate_for(self, q_lang: str, a_lang: str) -> tuple[tuple[float, float], ...]:
        return _boxes_for(self.distant_gate, q_lang, a_lang)

    def threshold(self, q_lang: str, a_lang: str) -> float:
        return self.thresholds.get(f"{q_lang}>{a_lang}", self.thresholds.get("default", 0.5))

    def topic_threshold(self, q_lang: str, a_lang: str) -> float:
        return self.topic_thresholds.get(f"{q_lang}>{a_lang}", self.topic_thresholds.get("default", 0.0))

    @staticmethod
    def pick(models: Models, lang: str) -> LinearModel:
        return models.get(lang) or models["zh"]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Weights:
        def models(key: str) -> Models:
            return {lang: LinearModel.from_dict(m) for lang, m in d[key].items()}

        return cls(models("passage"), models("sentence"), models("answer"),
                   {k: float(v) for k, v in d["thresholds"].items()}, float(d["extra_ratio"]),
                   max_sentences=int(d.get("max_sentences", 3)), other_ratio=float(d.get("other_ratio", 0.0)),
                   wordless_floor=float(d.get("wordless_floor", -1.0)),
                   topic=models("topic") if "topic" in d else {},
                   topic_thresholds={k: float(v) for k, v in (d.get("topic_thresholds") or {}).items()},
                   figures=dict(d.get("figures") or {}),
                   subject_gate=str(d.get("subject_gate", "off")), evidence_floor=float(d.get("evidence_floor", 0.0)),
                   evidence_ceiling=float(d.get("evidence_ceiling", 0.0)),
                   generic_gate={k: _boxes(v) for k, v in (d.get("generic_gate") or {}).items()},
                   distant_gate={k: _boxes(v) for k, v in (d.get("distant_gate") or {}).items()})

    def to_dict(self) -> dict[str, Any]:
        def models(m: Models) -> dict[str, Any]:
            return {lang: model.to_dict() for lang, model in sorted(m.items())}

        return {"passage": models(self.passage), "sentence": models(self.sentence), "answer": models(self.answer),
                "thresholds": {k: round(v, 4) for k, v in sorted(self.thresholds.items())},
                "topic": models(self.topic),
                "topic_thresholds": {k: round(v, 4) for k, v in sorted(self.topic_thresholds.items())},
                "extra_ratio": round(self.extra_ratio, 4), "max_sentences": self.max_sentences,
                "other_ratio": round(self.other_ratio, 4), "wordless_floor": round(self.wordless_floor, 4),
                "subject_gate": self.subject_gate, "evidence_floor": self.evidence_floor,
                "evidence_ceiling": self.evidence_ceiling,
                "generic_gate": {k: [list(b) for b in v] for k, v in sorted(self.generic_gate.items())},
                "distant_gate": {k: [list(b) for b in v] for k, v in sorted(self.distant_gate.items())},
                "figures": self.figures}


@lru_cache(maxsize=1)
def default_weights() -> Weights:
    """The committed fit (package data)."""
    text = (files("kb") / WEIGHTS_FILE).read_text(encoding="utf-8")
    return Weights.from_dict(json.loads(text))


def _boxes_for(gate: dict[str, tuple[tuple[float, float], ...]], q_lang: str,
               a_lang: str) -> tuple[tuple[float, float], ...]:
    """A gate's boxes for a language pair, or for its relation in models fitted before pairs."""
    pair = gate.get(f"{q_lang}>{a_lang}")
    return pair if pair is not None else gate.get("same" if q_lang == a_lang else "cross", ())


def _boxes(value: list[Any]) -> tuple[tuple[float, float], ...]:
    """A language pair's gate boxes; models fitted before the gates had boxes hold one pair of
    floats."""
    if value and not isinstance(value[0], list):
        return ((float(value[0]), float(value[1])),)
    return tuple((float(b[0]), float(b[1])) for b in value)
