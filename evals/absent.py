"""Answerable questions asked as if their article were not in the library: the topic model's
negatives in every language pair.

The sets' own questions about left-out articles are 25 to 50 a set, and a language pair such as a
Chinese question over English text has a handful of them, so the topic threshold of that pair was
set by a model that had hardly seen it refuse ("黑洞的事件视界是什么意思？" over the seeds was answered
with an English sentence). Every answerable question, with its article's passages taken out of
its candidates, is a question whose topic the library lacks. What the candidates say of each other
(ranks, gaps to the best, the spread of similarities, the document's share) is computed again over
those left, as ``kb.search.candidates.gather`` computes it, so they look like the candidates a
library without the article returns; the library-wide scales are kept (one article of many moves
them little).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kb.fitted import Weights
from kb.records import Hit
from kb.search.candidates import Candidate, Listing, Spread, passage_features
from kb.search.retrieve import Twin, has_content, rank, with_twins
from kb.store.dense import LANGS, Scale
from kb.tuning import RRF_K

from .fit_data import Item, K


def without_article(it: Item) -> list[Candidate]:
    """The question's candidates other than its article's passages, their relative features anew."""
    gone = set(it.q.docs)
    left = [replace(c, dense={e: replace(listing) for e, listing in c.dense.items()}, fused=0.0, features={})
            for c in it.cands if Path(c.chunk.meta.file).name not in gone]
    for encoder in {e for c in left for e in c.dense}:
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
              for encoder in {e for c in left for e in c.dense}}
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

_LEFT: dict[int, list[Candidate]] = {}  # id of an item -> its candidates without its article, for a run


def absent_article_hits(it: Item, weights: Weights) -> list[Hit]:
    """The passages ``kb ask`` would cite were the question's article not in the library."""
    if id(it) not in _LEFT:
        _LEFT[id(it)] = without_article(it)
    gone = set(it.q.docs)

    def twin(c: Candidate) -> Twin | None:
        found = it.twins.get(c.row)
        return None if found is None or Path(found.chunk.meta.file).name in gone else found

    cands = [c for c in _LEFT[id(it)] if has_content(c.chunk)]
    ranked = with_twins(rank(cands, Weights.pick(weights.passage, it.lang)), K, it.query, twin)
    return [c.to_hit("main") for c in ranked[:K]]
