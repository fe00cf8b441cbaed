"""Answerable questions asked as if their article were not in the library: negatives for the taught
topic model (``benchmarks/fit_weights.py --topic-fit taught``) in every language pair.

The sets' own questions about left-out articles are 36 to 50 a set in the 800-question samples, and
a language pair such as a Chinese question over English text has a handful of them, so that pair's
topic threshold is set by a model that has hardly seen it refuse ("黑洞的事件视界是什么意思？" over the
seeds is answered with an English sentence; it still is with the taught model). Every answerable
question, with its article's passages taken out of its candidates, is a question whose topic the
library lacks. What the candidates say of each other (ranks, gaps to the best, the spread of
similarities, the document's share) is computed again over those left, as
``kb.search.candidates.gather`` computes it: approximately what a library without the article
returns, as the lists are not refilled to their length. What rests on the whole library is kept:
its similarity scales, and the question's terms' weights and the share of them the library never
uses (``unseen``), which for a rare name may only be in the article taken out; so each negative has
its positive's ``unseen``, and the taught model learns little from that feature.
"""

from __future__ import annotations

from dataclasses import replace

from kb.answering.evidence import answer_features
from kb.answering.extractive import rank_sentences
from kb.fitted import Weights
from kb.records import Hit
from kb.search.candidates import Candidate, Listing, Spread, passage_features
from kb.store.dense import LANGS, Scale
from kb.tuning import RRF_K

from .fit_data import Item
from .matching import doc_matches


def _in_article(it: Item, file: str) -> bool:
    return any(doc_matches(file, name) for name in it.q.docs)


def without_article(it: Item) -> list[Candidate]:
    """The question's candidates other than its article's passages, their relative features anew."""
    left = [replace(c, dense={e: replace(listing) for e, listing in c.dense.items()}, fused=0.0, features={})
            for c in it.cands if not _in_article(it, c.chunk.meta.file)]
    encoders = list(dict.fromkeys(e for c in left for e in c.dense))  # in a fixed order: sums round alike
    for encoder in encoders:
        for lang in LANGS:
            listed = sorted((c for c in left if c.lang == lang and c.dense.get(encoder, Listing()).rank is not None),
                            key=lambda c: c.dense[encoder].rank or 0)
            for r, c in enumerate(listed):
                c.dense[encoder].rank = r
                c.fused += 1.0 / (RRF_K + r + 1)
    for score, rank_of in (("bm25", "bm25_rank"), ("bm25tr", "bm25tr_rank")):
        listed = sorted((c for c in left if getattr(c, rank_of) is not None), key=lambda c: getattr(c, rank_of))
        best = max((getattr(c, score) for c in listed), default=0.0) or 1.0
        for r, c in enumerate(listed):
            setattr(c, rank_of, r)
            setattr(c, score, getattr(c, score) / best)
            c.fused += 1.0 / (RRF_K + r + 1)
    spread = {encoder: {lang: Spread.of([c.sim(encoder) or 0.0 for c in left if c.lang == lang],
                                        it.query.scales.get(encoder, {}).get(lang, Scale(0.0, 1.0)))
                        for lang in LANGS}
              for encoder in encoders}
    by_doc: dict[str, float] = {}
    for c in left:
        by_doc[c.chunk.meta.doc_id] = by_doc.get(c.chunk.meta.doc_id, 0.0) + c.fused
    total = sum(by_doc.values()) or 1.0
    for c in left:
        c.features = passage_features(c, it.query, spread, by_doc[c.chunk.meta.doc_id] / total)
    return left


# The sets whose articles are each on a topic of their own (Wikipedia articles): there a question
# without its article is a question on a topic the library lacks. In the seeds and `general/` the
# documents share subjects (five articles on generative AI and film), so one taken out leaves its
# topic in the others: such a question is not a negative of the topic model.
TOPIC_PER_ARTICLE = ("xquad", "cmrc2018", "drcd")

_LEFT, _ROWS = "#without-article", "#without-article-rows"  # keys of an item's working memory (``Item.memo``)


def absent_article_hits(it: Item, weights: Weights) -> list[Hit]:
    """The passages ``kb ask`` would cite were the question's article not in the library."""
    if _LEFT not in it.memo:
        it.memo[_LEFT] = without_article(it)
    return it.hits_of(it.memo[_LEFT], weights, lambda chunk: _in_article(it, chunk.meta.file))


def article_rows(it: Item, weights: Weights) -> list[tuple[dict[str, float], float, str, str]]:
    """The question asked without its article, as a row of the answer fits (features, label 0,
    language pair, role "absent-article"); none for a question of a set not in
    ``TOPIC_PER_ARTICLE`` or one that cites no article."""
    if not (it.answerable and it.q.docs and it.set in TOPIC_PER_ARTICLE):
        return []
    cached = it.memo.get(_ROWS)
    if cached is not None and cached[0] is weights:
        return list(cached[1])
    hits = absent_article_hits(it, weights)
    ranked = rank_sentences(it.query, hits, weights, it.memo) if hits else []
    rows = [(answer_features(it.query, hits, ranked), 0.0, f"{it.lang}>{ranked[0].lang}", "absent-article")
            ] if ranked else []
    it.memo[_ROWS] = (weights, rows)
    return list(rows)
