"""The rows the refusal decisions are fitted and measured on: each question as asked and, for an
answerable one, asked again without its answer, with the features of the answer the models would
give and its role (what the right decision is)."""

from __future__ import annotations

from kb.answering.evidence import answer_features
from kb.answering.extractive import rank_sentences
from kb.fitted import Weights

from .fit_data import Item

# The roles of an answerable question's row (``answer_rows``): its evidence retrieved, with the sentence
# to quote from a passage holding it or not, and its evidence not retrieved.
RETRIEVED = ("answerable", "answerable-wrong")
ANSWERABLE = (*RETRIEVED, "answerable-missed")
ABSENT_ROLES = ("absent-topic", "absent-fact", "near-miss")  # the rows that should be refused


def answer_rows(it: Item, weights: Weights) -> list[tuple[dict[str, float], float, str, str]]:
    """(features, label, pair, role) rows: the question as asked, and (answerable ones) with the answer
    removed. An answerable question's role says whether the evidence was retrieved ("answerable-missed"
    if not) and whether the sentence to quote comes from a passage holding it ("answerable-wrong" if not)."""
    if it.rows is not None and it.rows[0] is weights:
        return list(it.rows[1])
    out = []
    variants = ["as-asked"] + (["absent-fact", "near-miss"] if it.answerable else [])
    for variant in variants:
        if variant == "near-miss":
            hits = it.cut_hits(weights)
        else:
            hits = it.top_hits(weights, drop_answer=variant == "absent-fact")
        if not hits:
            continue
        ranked = rank_sentences(it.query, hits, weights, it.memo)
        if not ranked:
            continue
        positive = variant == "as-asked" and it.answerable
        retrieved = positive and any(it.has_evidence(h) for h in hits)
        role = variant if variant != "as-asked" else ("answerable" if positive else "absent-topic")
        if positive and not retrieved:
            role = "answerable-missed"
        elif positive and not it.has_evidence(hits[ranked[0].hit_index]):
            role = "answerable-wrong"  # the evidence was found, but the sentence to quote is elsewhere
        out.append((answer_features(it.query, hits, ranked), 1.0 if retrieved else 0.0,
                    f"{it.lang}>{ranked[0].lang}", role))
    it.rows = (weights, out)
    return out
