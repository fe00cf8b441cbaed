"""Overview questions ("Summarise the BBC report", "What is the Deloitte article about?", "总结一下
那篇 BBC 的文章") answered from the document's own summary: its abstract, lead or conclusion, never
from its references or its furniture.

A question is an overview only when it asks about a whole document, and only when the document it
names can be told: by its title or name, by the search concentrating on one document, or because
only one is in scope. A question that merely contains "summary" is an ordinary question. The
passage that stands for the whole document is the one closest to the document's centroid (the
mean of its passage vectors), looked for among the passages an author marks as a summary and the
document's opening passages, in the reader's language when the document has one there.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from ..lexicon import DOCUMENT_WORDS, FIELD_LINE, OVERVIEW, OVERVIEW_FILLER, OVERVIEW_WORDS, SUMMARY_LABEL, compiled
from ..records import DocumentInfo, Hit, StoredChunk
from ..search.query import QueryTerms
from ..text import looks_like_references, normalize, sentences_of
from ..tuning import OVERVIEW_LEAD_CHUNKS, OVERVIEW_MAX_CHARS, OVERVIEW_MAX_SENTENCES, OVERVIEW_MIN_PROSE

OVERVIEW_RE = compiled(OVERVIEW)
_WORDS_RE = compiled(OVERVIEW_WORDS)
_FILLER_RE = compiled(OVERVIEW_FILLER)
_DOCUMENT_RE = compiled(DOCUMENT_WORDS)
_MARKER_RE = compiled(SUMMARY_LABEL)
_FIELD_RE = compiled(FIELD_LINE)
_TITLE_MATCH = 0.5  # share of the naming words a title (or file name) must hold
_CONCENTRATION = 0.6  # share of the search's weight one document must hold to be the one meant


def overview_topic(question: str) -> str | None:
    """The words naming the document an overview question asks about ("" when it names none);
    None when the question is not about a whole document."""
    norm = normalize(question)
    if not OVERVIEW_RE.search(norm):
        return None
    rest = _DOCUMENT_RE.sub(" ", _FILLER_RE.sub(" ", _WORDS_RE.sub(" ", norm)))
    return " ".join(rest.split())


def pick_document(topic: QueryTerms, hits: Sequence[Hit], documents: Collection[DocumentInfo],
                  doc_ids: Collection[str] | None) -> str | None:
    """The document asked about: the only one in scope, the one whose title or name holds the naming
    words, or the one the search for them concentrates on; None when that cannot be told."""
    scope = [d for d in documents if not doc_ids or d.doc_id in doc_ids]
    if len(scope) == 1:
        return scope[0].doc_id
    if not topic.terms:
        return None
    by_title = {d.doc_id: topic.coverage(f"{d.title} {d.name}") for d in scope}
    best = max(by_title.values(), default=0.0)
    if best >= _TITLE_MATCH and sum(1 for v in by_title.values() if v == best) == 1:
        return max(by_title, key=lambda d: by_title[d])
    weight: dict[str, float] = {}
    for h in hits:
        weight[h.meta.doc_id] = weight.get(h.meta.doc_id, 0.0) + h.score
    total = sum(weight.values())
    if not total:
        return None
    doc = max(weight, key=lambda d: weight[d])
    return doc if weight[doc] >= _CONCENTRATION * total else None


def summary_start(lang: str, chunks: list[StoredChunk], vectors: np.ndarray) -> tuple[int, int] | None:
    """``(chunk, sentence)`` where the document's own summary starts: a passage an author labels
    (摘要, Abstract, 导读, 结论...) or the document's first prose passage, whichever is closer to
    the document's centroid; in the reader's language when the document has one there."""
    if not chunks:
        return None
    langs = [c.meta.lang for c in chunks]
    labelled = {i for i, c in enumerate(chunks) if any(_MARKER_RE.match(sent) for sent in sentences_of(c.text))}
    for want in (lang, None):
        # In the reader's language only an author's summary or the document's opening counts (an
        # English abstract of a Chinese paper); a stray English note in it is not its summary.
        pool = [i for i, c in enumerate(chunks)
                if (want is None or langs[i] == want and (i in labelled or i < OVERVIEW_LEAD_CHUNKS))
                and not looks_like_references(c.text) and _content_chars(c) >= OVERVIEW_MIN_PROSE]
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


def _content_chars(chunk: StoredChunk) -> int:
    """Characters of a passage that are not furniture (a byline passage has none)."""
    skip = chunk.meta.furniture_positions
    return sum(len(s.strip()) for pos, s in enumerate(sentences_of(chunk.text)) if pos not in skip)


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
        skip = meta.furniture_positions
        for pos, sent in enumerate(sentences_of(text)):
            if ci == start and pos < first or pos in skip:
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
