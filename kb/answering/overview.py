"""Overview questions ("summarise this report", "这篇文章的主要内容是什么？") answered from the
document's own summary: its abstract, lead or conclusion, never from its references.

A question asking what a whole document says shares no particular words with any one passage,
so sentence scoring picks whatever passage repeats the title, often a bibliography entry. The
passage that stands for the whole document is the one closest to the document's centroid (the
mean of its passage vectors), looked for among the passages an author marks as a summary and
the document's opening passages.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import numpy as np

from ..records import Hit, StoredChunk
from ..text import looks_like_references, normalize
from ..tuning import OVERVIEW_MAX_CHARS, OVERVIEW_MAX_SENTENCES, OVERVIEW_MIN_PROSE
from .evidence import sentences_of

OVERVIEW_RE = re.compile(
    r"总结|概括|概述|归纳|主要内容|主要讲|讲了什么|讲的是什么|讲些什么|说了什么|写了什么|主旨|大意|要点|核心观点|"
    r"关于什么|讲什么|摘要|梗概|summari[sz]e|summary|overview|\bgist\b|main (?:points?|ideas?|argument)|"
    r"key (?:points|takeaways)|\btl;?dr\b|what (?:is|are) (?:this|that|the) (?:[\w'-]+ ){0,6}(?:about|saying)\b|"
    r"what does (?:this|that|the) (?:[\w'-]+ ){0,6}(?:say|argue|cover)\b",
    re.I,
)
# Words that only say "give me an overview" (and "of the document"), removed before searching.
_FILLER_RE = re.compile(
    r"请|帮我|一下|简要|简单|地|这篇|这份|该|的|了|什么|是|吗|呢|[？?。.!！,，]|"
    r"\b(?:please|can|could|you|briefly|give|me|an?|the|this|that|"
    r"of|for|what|is|are|does|do|about|say|saying|argue|cover)\b",
    re.I,
)
_MARKER_RE = re.compile(
    r"^\s*(?:[\[【(（]?\s*(?:摘\s*要|内容提要|提要|导读|导语|概要|结语|结论|总结)\s*[\]】)）]?\s*[:：]?"
    r"|(?:abstract|summary|tl;?dr|in summary|conclusions?)\s*[:：.]?)\s*",
    re.I,
)
# "作者: 某某", "Published: 2024-10-08": a document's fields, not its summary.
_FIELD_RE = re.compile(r"^[^\s:：]{1,12}\s*[:：]\s*\S[^。！？.!?]{0,60}$")


def is_overview(question: str) -> bool:
    return bool(OVERVIEW_RE.search(normalize(question)))


def topic_of(question: str) -> str:
    """The question without its overview words: what to search for to find the document."""
    rest = _FILLER_RE.sub(" ", OVERVIEW_RE.sub(" ", normalize(question)))
    return " ".join(rest.split())


def pick_document(hits: Sequence[Hit], doc_ids: Collection[str] | None, all_docs: Sequence[str]) -> str | None:
    """The document asked about: the only one in scope, else the one the search ranks highest."""
    scope = list(doc_ids or all_docs)
    if len(scope) == 1:
        return scope[0]
    weight: dict[str, float] = {}
    for h in hits:
        doc = h.meta.doc_id
        weight[doc] = weight.get(doc, 0.0) + h.score
    return max(weight, key=lambda d: weight[d]) if weight else None


def summary_start(lang: str, chunks: list[StoredChunk], vectors: np.ndarray) -> tuple[int, int] | None:
    """``(chunk, sentence)`` where the document's own summary starts: a passage an author labels
    (摘要, Abstract, 导读, 结论...) or the document's first prose passage, whichever is closer to
    the document's centroid; in the reader's language when the document has one there."""
    if not chunks:
        return None
    langs = [c.meta.lang for c in chunks]
    for want in (lang, None):
        pool = [i for i, c in enumerate(chunks)
                if (want is None or langs[i] == want) and not looks_like_references(c.text)
                and len(c.text) >= OVERVIEW_MIN_PROSE]
        if not pool:
            continue
        options: dict[int, int] = {}
        for i in pool:
            sents = sentences_of(chunks[i].text)
            marked = next((pos for pos, sent in enumerate(sents) if _MARKER_RE.match(sent)), None)
            if marked is not None:
                options.setdefault(i, marked)
        options.setdefault(pool[0], 0)
        same = [i for i in range(len(chunks)) if langs[i] == langs[pool[0]]]
        centroid = vectors[same].mean(axis=0)
        best = max(options, key=lambda i: float(vectors[i] @ centroid))
        return best, options[best]
    return None


def overview_sentences(chunks: list[StoredChunk], start: int, first: int) -> list[tuple[int, int, str]]:
    """``(chunk, position, sentence)``: the summary's sentences (its "Abstract:" label left out),
    continued into the following passages of its language while it is short; headings and the
    sentences that overlapping passages repeat are skipped."""
    chosen: list[tuple[int, int, str]] = []
    lang = chunks[start].meta.lang
    for ci in range(start, len(chunks)):
        text, meta = chunks[ci].text, chunks[ci].meta
        if ci > start and (meta.lang != lang or looks_like_references(text)):
            break
        headings = {(meta.section or "").strip(), meta.title.strip()}
        for pos, sent in enumerate(sentences_of(text)):
            if ci == start and pos < first:
                continue
            sent = sent.strip()
            label = _MARKER_RE.match(sent)
            shown = sent[label.end():].strip() if label else sent
            if len(shown) < 6 or sent in headings or _FIELD_RE.match(shown) or any(shown == s for _, _, s in chosen):
                continue
            if chosen and (sum(len(s) for _, _, s in chosen) + len(shown) > OVERVIEW_MAX_CHARS
                           or len(chosen) >= OVERVIEW_MAX_SENTENCES):
                return chosen
            chosen.append((ci, pos, shown))
    return chosen
