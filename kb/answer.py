"""The default, LLM-free answer: the sentences that best answer the question, with citations.

Sentences are scored by the IDF-weighted share of the question's words they contain, plus the
rank of their passage; the best one or two (and their neighbours when they continue the
thought) form the answer. Numbers of markers follow first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answer_type import counted_noun, expected_type, offers
from .models import Answer, Citation, Hit
from .query import QueryTerms
from .text import detect_lang, looks_like_references, split_sentences

REFUSAL = {
    "zh": "知识库中没有找到相关内容。",
    "en": "I could not find this in the documents.",
}
_LEAD_FOREIGN = {
    ("en", "zh"): "The documents say (in Chinese): ",
    ("zh", "en"): "文档原文（英文）：",
}
_MAX_SENTENCES = 3
_MAX_CHARS = 420
# A sentence opening with one of these answers or qualifies the one before it.
_CONTINUES_RE = re.compile(
    r"^(?:对此|为此|因此|所以|但是|然而|不过|相反|这并不|这意味着|However\b|But\b|Instead\b|In response\b|Therefore\b)"
)
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)?%?")


@dataclass
class _Sentence:
    hit_index: int
    text: str
    coverage: float
    score: float
    lang: str
    typed: bool = False
    position: int = 0


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


def _flat(text: str) -> str:
    """A sentence for the answer line: hard wraps removed (no space between Chinese characters)."""
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    text = re.sub(r"\s*\n\s*", " ", text)
    return re.sub(r"^\s*(?:[*•\-]\s+|\d{1,2}[.)、]\s*(?=\D))", "", text)  # list bullets and numbering


def compose(question: str, query: QueryTerms, hits: list[Hit], min_evidence: float) -> Answer:
    q_lang = detect_lang(question)
    q_numbers = set(_NUM_RE.findall(question))
    wanted = expected_type(question)
    counted = _counted_term(question, query) if wanted == "number" else None
    scored: list[_Sentence] = []
    for hi, hit in enumerate(hits):
        rank_bonus = 1.0 / (1 + hi)
        headings = {str(hit.meta.get("section") or "").strip(), str(hit.meta.get("title") or "").strip()} - {""}
        references = looks_like_references(hit.text)
        for pos, sent in enumerate(sentences_of(hit.text)):
            sent = sent.strip()
            if len(sent) < 6:
                continue
            cov = query.coverage(sent)
            nums = q_numbers & set(_NUM_RE.findall(sent))
            typed = wanted is not None and offers(sent, wanted)
            if typed and counted is not None:  # a count answers "how many X" only if it counts X
                typed = counted in query.covered(sent)
            lang = detect_lang(sent)
            score = 0.65 * cov + 0.35 * rank_bonus * hit.score + 0.05 * len(nums) + (0.1 if typed else 0.0)
            score += 0.05 if lang == q_lang else 0.0
            # A heading or a question restates the topic; it does not answer it.
            if any(sent in h for h in headings) or sent.rstrip().endswith(("?", "？")):
                score *= 0.5
            if references:
                score *= 0.5
            scored.append(_Sentence(hi, sent, cov, score, lang, typed, pos))
    if not scored:
        return Answer(REFUSAL[q_lang], [], q_lang, True)
    scored.sort(key=lambda s: -s.score)
    # A question asking for a number, date or amount is answered by the best sentence that
    # offers one (among the top three); when none does, the library does not hold the answer.
    typed_top = [s for s in scored[:3] if s.typed]
    if typed_top and not scored[0].typed:
        scored.remove(typed_top[0])
        scored.insert(0, typed_top[0])
    best = scored[0]
    confidence = _confidence(best, hits, q_lang)
    if wanted is not None and not typed_top:
        confidence = 0.0
    # Most of what the question asks about occurs nowhere in the library, and the best
    # sentence covers little of the rest: the library does not hold the answer.
    if query.unseen_share >= 0.5 and best.coverage < 0.5:
        confidence = 0.0
    if confidence < min_evidence:
        return Answer(REFUSAL[q_lang], [], q_lang, True)
    # Greedy: after the best sentence, take those that still score well, preferring ones that
    # cover question terms the answer does not cover yet.
    chosen = [best]
    covered = query.covered(best.text)
    for s in scored[1:]:
        if len(chosen) >= _MAX_SENTENCES or sum(len(c.text) for c in chosen) + len(s.text) > _MAX_CHARS:
            continue
        if s.text in {c.text for c in chosen}:
            continue
        terms = query.covered(s.text)
        adds = query.weight_of(terms - covered)
        if s.score >= 0.85 * best.score or (s.score >= 0.6 * best.score and adds >= 0.1):
            chosen.append(s)
            covered |= terms
    chosen = _with_continuations(chosen, hits)
    # Read in document order within a passage, passages in order of first choice.
    first = {hi: i for i, hi in reversed(list(enumerate(c.hit_index for c in chosen)))}
    chosen.sort(key=lambda c: (first[c.hit_index], c.position))
    return _render(q_lang, chosen, hits)


def _with_continuations(chosen: list[_Sentence], hits: list[Hit]) -> list[_Sentence]:
    """Add the sentence that completes a chosen one: after a colon, or a reply that refers back.

    "A significant subset of Hollywood is concerned that:" says nothing until its list item, and
    "对此，Demi 认为……" carries the answer to the concern stated just before it, yet shares no
    words with the question, so scoring alone never picks it.
    """
    out = list(chosen)
    for s in chosen:
        following = [t.strip() for t in sentences_of(hits[s.hit_index].text)[s.position + 1:] if len(t.strip()) >= 6]
        if not following:
            continue
        nxt = following[0] if s.text.rstrip().endswith((":", "：")) else None
        if nxt is None and _CONTINUES_RE.match(following[0]):
            nxt = following[0]
        if nxt is None or any(c.text == nxt for c in out):
            continue
        if sum(len(c.text) for c in out) + len(nxt) > _MAX_CHARS + 120:
            continue
        out.append(_Sentence(s.hit_index, nxt, 0.0, 0.0, detect_lang(nxt), position=s.position + 1))
    return out


def _counted_term(question: str, query: QueryTerms) -> int | None:
    """Index of the query term a "how many X" question counts."""
    noun = counted_noun(question)
    if not noun:
        return None
    for i, term in enumerate(query.terms):
        if term.text == noun or (not noun.isascii() and len(term.text) >= 2 and noun.startswith(term.text)):
            return i
    return None


def _confidence(best: _Sentence, hits: list[Hit], q_lang: str) -> float:
    """How sure we are that the best sentence answers the question (0..1).

    Word coverage (through translations across languages) is the main evidence; the dense
    similarity of the passage lifts a paraphrase that shares few words.
    """
    hit = hits[best.hit_index]
    dense = hit.dense or 0.0
    dense_part = max(0.0, min(1.0, (dense - 0.75) / 0.15))
    return max(best.coverage, 0.5 * best.coverage + 0.5 * dense_part)


def _render(q_lang: str, chosen: list[_Sentence], hits: list[Hit]) -> Answer:
    numbers: dict[int, int] = {}
    highlights: dict[int, list[str]] = {}
    parts: list[str] = []
    previous_lang = q_lang
    for s in chosen:
        n = numbers.setdefault(s.hit_index, len(numbers) + 1)
        highlights.setdefault(s.hit_index, []).append(s.text)
        text = _flat(s.text)
        if s.lang != q_lang:
            quoted = "“" + text + "”" if q_lang == "zh" else f'"{text}"'
            # One lead-in for a run of quoted sentences in the other language.
            text = quoted if previous_lang == s.lang else _LEAD_FOREIGN[(q_lang, s.lang)] + quoted
        previous_lang = s.lang
        parts.append(f"{text} [{n}]" if q_lang == "en" else f"{text}[{n}]")
    joiner = " " if q_lang == "en" else ""
    citations = [Citation.from_hit(n, hits[i], highlights[i]) for i, n in sorted(numbers.items(), key=lambda kv: kv[1])]
    return Answer(joiner.join(parts), citations, q_lang, False)
