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

from ..common_words import zipf
from ..lexicon import ANAPHORA, HEADING_LINE, compiled
from ..records import Hit
from ..search.answer_type import offers
from ..search.query import Query
from ..text import detect_lang, looks_like_references, normalize, sentences_of, words
from ..tuning import MIN_SENTENCE_CHARS
from .boilerplate import without_link_note

_NUM_RE = re.compile(r"\d+(?:[.,]\d+)?%?")
_LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# A sentence must hold a word to be quoted: "* * * * * *" (a Markdown rule) or "| 2019 | 35% |"
# answers nothing however near its passage is.
_WORDY_RE = re.compile(r"[A-Za-z\u3400-\u9fff]{2}")
ANAPHORA_RE = compiled(ANAPHORA)
_HEADING_LINE_RE = compiled(HEADING_LINE)


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
    "anaphora", "coverage_ctx", "key_cov", "typed_key", "use", "use_gap", "use_lib_z", "use_rr", "prev_use",
)
SECOND = "use"  # the encoder whose sentence similarities the models weigh (``kb.embed.encoders.SECOND``)


def candidate_sentences(q: Query, hits: list[Hit], memo: dict[str, list[Sentence]] | None = None) -> list[Sentence]:
    """Every sentence of the passages that may be quoted, with its features (the gap and rank features
    compare each with all the others).

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
    best_use = max((s.features["use"] for s in out), default=0.0)
    by_use = sorted(range(len(out)), key=lambda i: -out[i].features["use"])
    for rank, i in enumerate(by_use):
        s = out[i]
        s.features["coverage_gap"] = s.coverage - best
        s.features["use_gap"] = s.features["use"] - best_use
        s.features["use_rr"] = 1.0 / (1 + rank)
    return out


def _passage_sentences(q: Query, hit: Hit) -> list[Sentence]:
    own = {a for t in q.terms.terms for a in t.alternatives}
    headings = {(hit.meta.section or "").strip(), hit.meta.title.strip()} - {""}
    refs = 1.0 if looks_like_references(hit.text) else 0.0
    sents = [without_link_note(s.strip()) for s in sentences_of(hit.text)]
    norms = [normalize(s) for s in sents]
    covs = [q.terms.coverage(s, n) for s, n in zip(sents, norms, strict=True)]
    keys = [q.terms.key_coverage(s, norm=n) for s, n in zip(sents, norms, strict=True)]
    sims = hit.sentences.get(SECOND, {})
    floor = min(sims.values(), default=0.0)
    use = [sims.get(pos, floor) for pos in range(len(sents))]
    scales = q.scales.get(SECOND, {})
    skip = hit.meta.furniture_positions
    out = []
    for pos, (sent, norm) in enumerate(zip(sents, norms, strict=True)):
        if len(sent) < MIN_SENTENCE_CHARS or pos in skip or not _WORDY_RE.search(sent):
            continue
        typed = q.wanted is not None and offers(norm, q.wanted)
        if typed and q.counted is not None:  # a count answers "how many X" only if it counts X
            typed = q.counted in q.terms.covered(sent)
        anaphora = bool(ANAPHORA_RE.match(sent)) and pos > 0
        # A sentence whose subject is in the sentence before ("她今年才26岁") is read with it.
        ctx = q.terms.coverage(sents[pos - 1] + " " + sent) if anaphora else covs[pos]
        key = max(keys[pos], keys[pos - 1] if anaphora else 0.0)
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
            "heading": 1.0 if any(sent in h for h in headings) or _HEADING_LINE_RE.match(sent) else 0.0,
            "question_mark": 1.0 if sent.endswith(("?", "？")) else 0.0,
            "refs": refs, "novel": novel, "log_len": math.log1p(len(sent)), "first": 1.0 if pos == 0 else 0.0,
            "anaphora": 1.0 if ANAPHORA_RE.match(sent) else 0.0, "coverage_ctx": ctx, "key_cov": key,
            # The asked-for kind of value, in a sentence about the question's subject: what tells an
            # answer from a near miss (another person's age, a share where an amount is asked).
            "typed_key": 1.0 if typed and key > 0 else 0.0,
            "use": use[pos], "use_lib_z": scales[lang].z(use[pos]) if lang in scales else 0.0,
            "prev_use": use[pos - 1] if pos > 0 else floor,
        }
        out.append(Sentence(-1, pos, sent, lang, covs[pos], typed, f))
    return out


ANSWER_FEATURES = (
    "best_sentence", "second_sentence", "best_passage", "best_coverage", "passage_coverage", "key_coverage",
    "dense_top", "dense_z", "unseen", "wanted", "typed_found", "typed_missing", "cross", "log_terms",
    "dense_lib_z", "use_lib_z", "best_use", "best_use_lib_z", "best_key", "typed_key_found",
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
        # How far the best passage stands out from the library at large, by each encoder: the
        # calibration that says "this topic is not in the library" whatever the library's size.
        "dense_lib_z": max(h.features.get("dense_lib_z", 0.0) for h in hits),
        "use_lib_z": max(h.features.get("use_lib_z", 0.0) for h in hits),
        "best_use": best.features["use"], "best_use_lib_z": best.features["use_lib_z"],
        "best_key": best.features["key_cov"],
        "typed_key_found": 1.0 if any(s.features["typed_key"] for s in ranked[:3]) else 0.0,
        "best_typed_key": best.features["typed_key"],
        "name_missing": 1.0 if _names_elsewhere(q, hits, hit) else 0.0,
        # The second encoder's similarity of the sentence to be quoted, where it has one (else 1: no
        # say); with few question words in it, what ``unrelated`` weighs.
        "evidence_use": best.features["use"] if hit.sentences.get(SECOND) and SECOND in q.vectors else 1.0,
        # ... and how much of the question it holds read with the sentence before when it opens on a
        # pronoun ("她今年才26岁" after the sentence naming her).
        "evidence_cov": max(best.coverage, best.features["coverage_ctx"]),
        # ... and how common in everyday language the rarest question word the answer's sentences
        # hold is: met through "人口" or "最多" alone they say nothing of a question on Brazil or
        # planets. The three best sentences, quoted or not, not the best alone: the headline
        # Deloitte question's best sentence holds none of its words while the next holds the
        # prediction.
        "evidence_zipf": min(_rarest_held(q, hits[s.hit_index], s) for s in ranked[:EVIDENCE_SENTENCES]),
    }


NOTHING_HELD = 9.0  # ``evidence_zipf`` of a sentence holding no question word: commoner than any word
EVIDENCE_SENTENCES = 3  # the best sentences ``evidence_zipf`` reads


def _rarest_held(q: Query, hit: Hit, best: Sentence) -> float:
    """How common the rarest question word the sentence holds is, each word as common as the
    commoner of itself and the form the sentence holds it in: "人口" (Zipf 5.5) held as "people"
    (6.3) says no more than "people" does."""
    text = best.text
    if best.features["anaphora"] and best.position > 0:
        text = sentences_of(hit.text)[best.position - 1] + " " + text
    held = q.terms.held(normalize(text))
    return min((max(zipf(q.terms.terms[i].text), min(zipf(a) for a in forms)) for i, forms in held.items()),
               default=NOTHING_HELD)


def person_names(q: Query) -> tuple[list[set[int]], set[int]]:
    """The question's full names, each as the indexes of its words among the question's terms (a
    run of two or more capitalised Latin words not opening an English question: "Samir Mallal",
    "Josh Norman"), and every capitalised word it holds. A single capitalised word is too often a
    common noun or an abbreviation a passage spells out ("the Commission", "EU") to say whom a
    question is about. Written by hand: jieba's tagger reads Latin words as English, not names."""
    toks = [m.group().removesuffix("'s").removesuffix("’s") for m in _LATIN_WORD_RE.finditer(q.text)]
    if q.lang == "en":
        toks = toks[1:]
    index = {t.text.lower(): i for i, t in enumerate(q.terms.terms)}
    names, capitalised, run = [], set(), []
    for tok in [*toks, ""]:
        if len(tok) >= 2 and tok[0].isupper():
            run.append(tok)
            continue
        found = {index[w.lower()] for w in run if w.lower() in index}
        capitalised |= found
        if len(run) >= 2 and len(found) == len(run):
            names.append(found)
        run = []
    return names, capitalised


def _names_elsewhere(q: Query, hits: list[Hit], best: Hit) -> bool:
    """The library names whom the question is about, but the passage to be quoted names none of
    the question's names, not even in part: "How old is Samir Mallal?" quoting "她今年才26岁" from a
    passage on Demi Guo."""
    names, capitalised = person_names(q)
    if not names:
        return False
    covers = [q.terms.covered(h.text) for h in hits]
    if not any(n <= c for n in names for c in covers):
        return False  # nobody the question names is in the library: the topic model's question
    return not capitalised & q.terms.covered(best.text)


SUBJECT_GATES = ("off", "best", "top3")
EVIDENCE_FLOORS = (0.0, 0.05, 0.10, 0.15, 0.20)  # the choices of ``unrelated``'s floor the fit weighs
# ... and of the share of the question's words the sentence may hold and still be unrelated: one
# generic word matched through the dictionary ("更换" -> "change" in "technological change") is no
# more evidence than none when the second encoder finds the sentence unrelated.
EVIDENCE_CEILINGS = (0.0, 0.2, 0.34, 0.5)


def unrelated(features: dict[str, float], floor: float, ceiling: float = 0.0) -> bool:
    """The sentence to be quoted holds at most ``ceiling`` of the question's words (through the
    dictionary and the library's glossary; with the sentence before, if it opens on a pronoun) and
    the second encoder finds it no nearer than ``floor``: whatever the models say of the passage,
    quoting it answers nothing ("如何在家里种植番茄？" answered with a list of Apache reports). Both
    are fitted (``evals.gates.fit_evidence_gate``): the pair that refuses the most questions whose
    answer is absent while refusing next to no answerable question on any set; a floor of 0 turns
    the gate off."""
    return floor > 0 and features["evidence_cov"] <= ceiling and features["evidence_use"] < floor


# The choices of ``generic_match``'s thresholds the fit weighs (``evals.gates.fit_generic_gate``).
GENERIC_ZIPFS = (4.5, 4.75, 5.0, 5.25, 5.5, 5.75, 6.0, 6.5, NOTHING_HELD)
GENERIC_FLOORS = (0.1, 0.15, 0.2, 0.25, 0.3)


def generic_match(features: dict[str, float], zipf_floor: float, use_floor: float) -> bool:
    """The three best sentences hold no question word rarer than ``zipf_floor`` in everyday
    language (``evidence_zipf``: at ``NOTHING_HELD``, they hold none) and the second encoder finds the
    best one no nearer than ``use_floor``: met through "最多" alone, "哪颗行星的卫星最多？" is not answered
    by a survey's "最多的是在校学生". A word held through a translation counts as common as the
    translation ("人口" held as "people"). Unlike ``unrelated``'s share of the question, how common a
    word is does not depend on the library: a rare word in a one-article library is still an
    everyday word. Both thresholds are fitted per language pair, up to two pairs of them each
    (``evals.gates.choose_boxes``); a floor of 0 = off."""
    return use_floor > 0 and features["evidence_zipf"] >= zipf_floor and features["evidence_use"] < use_floor


def subject_missing(features: dict[str, float], gate: str) -> bool:
    """The question asks for a number, date, amount or age, and the answer would be a near miss.

    Always when the library names the person the question names and the passage to be quoted does
    not ("How old is Samir Mallal?" answered with Demi Guo's age): measured question for question
    on every set, it refuses such near misses and almost nothing else (docs/quality.md). Beyond
    that, when the sentence to be quoted (``best``) or none of the three best (``top3``) holds a
    value about the question's subject (another person's age, a share where a head count is asked):
    which of these, if any, is fitted (``evals.fitting.fit_refusals``), as it spends the same
    false-refusal budget as the thresholds."""
    if not features["wanted"]:
        return False
    if features["name_missing"]:
        return True
    if gate == "off":
        return False
    return not (features["best_typed_key"] if gate == "best" else features["typed_key_found"])
