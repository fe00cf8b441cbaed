"""Candidate answer sentences and the features the sentence and answer models weigh.

Every sentence of the retrieved passages is a candidate; what makes one the answer is learned
(``kb.fitted``) from how much of the question it holds (through the dictionary, across
languages), whether it offers what the question asks for (a number, a date, a duration...),
the passage it sits in and its neighbours, and what it adds beyond the question's own words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..lexicon import ANAPHORA, compiled
from ..records import Hit
from ..search.answer_type import offers
from ..search.query import Query
from ..text import detect_lang, looks_like_references, normalize, split_sentences, words

_NUM_RE = re.compile(r"\d+(?:[.,]\d+)?%?")
ANAPHORA_RE = compiled(ANAPHORA)


def sentences_of(text: str) -> list[str]:
    """Sentences as exact slices of the passage (so they can be highlighted in it).

    Paragraphs (blank-line separated) never share a sentence; single line breaks inside a
    paragraph are hard wraps and do not end one.
    """
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        if para.strip():
            out.extend(para[b:e] for b, e in split_sentences(para))
    return out


def flat(text: str) -> str:
    """A sentence for the answer line: hard wraps removed (no space between Chinese characters)."""
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    text = re.sub(r"\s*\n\s*", " ", text)
    return re.sub(r"^\s*(?:[*•\-]\s+|\d{1,2}[.)、]\s*(?=\D))", "", text)  # list bullets and numbering


@dataclass
class Sentence:
    hit_index: int
    position: int
    text: str
    lang: str
    coverage: float
    typed: bool
    features: dict[str, float] = field(default_factory=dict)
    prob: float = 0.0


SENTENCE_FEATURES = (
    "passage", "passage_rr", "coverage", "coverage_src", "coverage_gap", "prev_cov", "next_cov", "wanted",
    "typed", "untyped", "numbers", "same_lang", "heading", "question_mark", "refs", "novel", "log_len", "first",
    "anaphora",
)


def candidate_sentences(
    q: Query, hits: list[Hit], memo: dict[str, list[Sentence]] | None = None
) -> list[Sentence]:
    """Every sentence of the passages, with its features (``coverage_gap`` needs them all).

    What a sentence says of the question does not depend on where its passage ranks; ``memo``
    (chunk id -> sentences) keeps that part when the same passages are ranked again.
    """
    out: list[Sentence] = []
    for hi, hit in enumerate(hits):
        found = memo.get(hit.chunk_id) if memo is not None else None
        if found is None:
            found = _passage_sentences(q, hit)
            if memo is not None:
                memo[hit.chunk_id] = found
        for s in found:
            f = dict(s.features, passage=hit.score, passage_rr=1.0 / (1 + hi))
            out.append(Sentence(hi, s.position, s.text, s.lang, s.coverage, s.typed, f))
    best = max((s.coverage for s in out), default=0.0)
    for s in out:
        s.features["coverage_gap"] = s.coverage - best
    return out


def _passage_sentences(q: Query, hit: Hit) -> list[Sentence]:
    own = {a for t in q.terms.terms for a in t.alternatives}
    headings = {(hit.meta.section or "").strip(), hit.meta.title.strip()} - {""}
    refs = 1.0 if looks_like_references(hit.text) else 0.0
    sents = [s.strip() for s in sentences_of(hit.text)]
    norms = [normalize(s) for s in sents]
    covs = [q.terms.coverage(s, n) for s, n in zip(sents, norms, strict=True)]
    out = []
    for pos, (sent, norm) in enumerate(zip(sents, norms, strict=True)):
        if len(sent) < 6:
            continue
        typed = q.wanted is not None and offers(norm, q.wanted)
        if typed and q.counted is not None:  # a count answers "how many X" only if it counts X
            typed = q.counted in q.terms.covered(sent)
        toks = words(norm, normalized=True)
        novel = sum(1 for w in toks if w not in own) / len(toks) if toks else 0.0
        lang = detect_lang(sent)
        f = {
            "coverage": covs[pos], "coverage_src": q.terms.coverage(sent, norm, translations=False),
            "prev_cov": covs[pos - 1] if pos > 0 else 0.0,
            "next_cov": covs[pos + 1] if pos + 1 < len(covs) else 0.0,
            "wanted": 1.0 if q.wanted else 0.0, "typed": 1.0 if typed else 0.0,
            "untyped": 1.0 if q.wanted and not typed else 0.0,
            "numbers": float(min(2, len(q.numbers & set(_NUM_RE.findall(norm))))),
            "same_lang": 1.0 if lang == q.lang else 0.0,
            "heading": 1.0 if any(sent in h for h in headings) else 0.0,
            "question_mark": 1.0 if sent.rstrip().endswith(("?", "？")) else 0.0,
            "refs": refs, "novel": novel, "log_len": math.log1p(len(sent)), "first": 1.0 if pos == 0 else 0.0,
            "anaphora": 1.0 if ANAPHORA_RE.match(sent) else 0.0,
        }
        out.append(Sentence(-1, pos, sent, lang, covs[pos], typed, f))
    return out


ANSWER_FEATURES = (
    "best_sentence", "second_sentence", "best_passage", "best_coverage", "passage_coverage", "key_coverage",
    "dense_top", "dense_z", "unseen", "wanted", "typed_found", "typed_missing", "cross", "log_terms",
)


def answer_features(q: Query, hits: list[Hit], ranked: list[Sentence]) -> dict[str, float]:
    """What says the library holds the answer at all: the best sentence's and passage's
    probabilities, how much of the question they cover, and how much of it the library lacks."""
    best = ranked[0]
    hit = hits[best.hit_index]
    return {
        "best_sentence": best.prob, "second_sentence": ranked[1].prob if len(ranked) > 1 else 0.0,
        "best_passage": hits[0].score, "best_coverage": best.coverage,
        "passage_coverage": max(best.features["coverage"], q.terms.coverage(hit.text)),
        "key_coverage": q.terms.key_coverage(hit.text),
        "dense_top": max(h.dense or 0.0 for h in hits), "dense_z": hits[0].features.get("dense_z", 0.0),
        "unseen": q.terms.unseen_share,
        "wanted": 1.0 if q.wanted else 0.0,
        "typed_found": 1.0 if any(s.typed for s in ranked[:3]) else 0.0,
        # The question wants a number, date, amount or duration and none of the best sentences offers one.
        "typed_missing": 1.0 if q.wanted and not any(s.typed for s in ranked[:3]) else 0.0,
        "cross": 1.0 if best.lang != q.lang else 0.0, "log_terms": math.log1p(len(q.terms.terms)),
    }
