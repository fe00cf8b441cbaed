"""The default, LLM-free answer: the sentences that best answer the question, with citations.

Sentences are scored by the IDF-weighted share of the question's words they contain, plus the
rank of their passage; the best one or two (and their neighbours when they continue the
thought) form the answer. Numbers of markers follow first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answer_type import expected_type, offers
from .models import Answer, Citation, Hit
from .query import QueryTerms
from .text import detect_lang, split_sentences

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
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)?%?")


@dataclass
class _Sentence:
    hit_index: int
    text: str
    coverage: float
    score: float
    lang: str
    typed: bool = False


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            out.extend(line[b:e] for b, e in split_sentences(line))
    return out


def compose(question: str, query: QueryTerms, hits: list[Hit], min_evidence: float) -> Answer:
    q_lang = detect_lang(question)
    q_numbers = set(_NUM_RE.findall(question))
    wanted = expected_type(question)
    scored: list[_Sentence] = []
    for hi, hit in enumerate(hits):
        rank_bonus = 1.0 / (1 + hi)
        for sent in _sentences(hit.text):
            if len(sent) < 6:
                continue
            cov = query.coverage(sent)
            nums = q_numbers & set(_NUM_RE.findall(sent))
            typed = wanted is not None and offers(sent, wanted)
            score = 0.65 * cov + 0.35 * rank_bonus * hit.score + 0.05 * len(nums) + (0.1 if typed else 0.0)
            scored.append(_Sentence(hi, sent.strip(), cov, score, detect_lang(sent), typed))
    if not scored:
        return Answer(REFUSAL[q_lang], [], q_lang, True)
    scored.sort(key=lambda s: -s.score)
    best = scored[0]
    confidence = _confidence(best, hits, q_lang)
    # The question asks for a number, date or amount and the best sentences offer none.
    if wanted is not None and not any(s.typed for s in scored[:3]):
        confidence = 0.0
    if confidence < min_evidence:
        return Answer(REFUSAL[q_lang], [], q_lang, True)
    chosen = [best]
    for s in scored[1:]:
        if len(chosen) >= _MAX_SENTENCES or sum(len(c.text) for c in chosen) + len(s.text) > _MAX_CHARS:
            break
        if s.score >= 0.8 * best.score and s.text not in {c.text for c in chosen}:
            chosen.append(s)
    return _render(q_lang, chosen, hits)


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
    for s in chosen:
        n = numbers.setdefault(s.hit_index, len(numbers) + 1)
        highlights.setdefault(s.hit_index, []).append(s.text)
        text = s.text
        if s.lang != q_lang:
            text = _LEAD_FOREIGN[(q_lang, s.lang)] + ("“" + text + "”" if q_lang == "zh" else f'"{text}"')
        parts.append(f"{text} [{n}]" if q_lang == "en" else f"{text}[{n}]")
    joiner = " " if q_lang == "en" else ""
    citations = []
    for hit_index, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        hit = hits[hit_index]
        m = hit.meta
        citations.append(Citation(
            n=n, doc_id=str(m.get("doc_id", "")), file=str(m.get("file", "")), title=str(m.get("title", "")),
            page=int(m["page"]) if "page" in m else None, section=m.get("section"), text=hit.text,
            score=hit.score, highlights=highlights[hit_index], chunk_id=hit.chunk_id,
        ))
    return Answer(joiner.join(parts), citations, q_lang, False)
