"""Every number in the search and answer path that no fit sets, with why it has its value.

The fitted models (``kb/weights.json``, written by ``benchmarks/fit_weights.py``) decide which
passage ranks first, which sentences are quoted and whether to answer; the numbers here shape the
inputs those models see. Each was either measured once (the line says how) or follows from what
the product promises a reader.
"""

from __future__ import annotations

# --- candidates -------------------------------------------------------------------------------
CANDIDATE_POOL = 30  # passages each ranked list (dense per encoder and language, BM25, translated
# BM25) contributes; the answer passage is in the pooled top 30 for 99 % of the dev questions it
# is found for at all, and every further candidate costs feature time.
RRF_K = 20  # reciprocal-rank fusion constant of the ``fused`` feature; the fitted passage model
# weighs ranks on their own too, so this only sets how fast a fused rank decays.

# --- bilingual documents ----------------------------------------------------------------------
TWIN_NEARBY = 3  # chunks apart an English paragraph and its Chinese translation may be
TWIN_FLOOR = 0.8  # similarity below which two passages are not translations of each other
TWIN_COVERAGE = 0.8  # share of the question's coverage a reader-language twin must keep to replace
# the other-language passage (a translation may drop a name).

# --- the extractive answer --------------------------------------------------------------------
# How many sentences an answer quotes is fitted (``max_sentences`` and ``extra_ratio`` in weights.json);
# its length in characters follows: 140 a sentence, about one long Chinese or English sentence.
CHARS_PER_SENTENCE = 140
NEIGHBOUR_EXTRA_CHARS = 120  # a neighbour that completes a chosen sentence may run past the length
MIN_SENTENCE_CHARS = 6  # shorter pieces are headings, list markers, page numbers

# --- overview answers -------------------------------------------------------------------------
OVERVIEW_MIN_PROSE = 60  # characters: shorter passages are headings, captions, salutations
OVERVIEW_MAX_CHARS = 450
OVERVIEW_MAX_SENTENCES = 4
OVERVIEW_LEAD_CHUNKS = 3  # a document's opening, where a lead or abstract in another language may stand
OVERVIEW_SEARCH_K = 10  # passages searched to find the document a question names
RELATED_ON_REFUSAL = 3  # nearest passages shown with a refusal (``Answer.related``)

# --- checking an LLM's citations --------------------------------------------------------------
CITE_ATTRIBUTE = 0.5  # share of a sentence's terms a passage must hold to be its unmarked source
CITE_HIGHLIGHT = 0.3  # share a passage sentence must hold to be highlighted as support

# --- questions --------------------------------------------------------------------------------
MAX_QUESTION_CHARS = 2000
REMEMBERED_VECTORS = 256  # question embeddings kept (a follow-up tries two readings; the UI asks twice)
