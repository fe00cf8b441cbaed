"""How common a word is in everyday English or Chinese, whatever the library holds.

A question on a subject the library lacks often meets a sentence through one everyday word only
("巴西有多少人口？" and a sentence holding 人口, "哪颗行星的卫星最多？" and one holding 最多). The
library's own IDF cannot tell: in a library of a few articles most words are rare. How common a
word is in the language at large can, and it means the same in a one-article library as in a big
one. The table is made from ``wordfreq`` by ``benchmarks/make_common_words.py``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

ZIPF_KEPT = 4.0  # the table holds words this common or more (once in 100,000 words)
TABLE = Path(__file__).with_name("common_words.tsv")
RARE = 0.0  # what a word missing from the table counts as: rarer than any word in it
# Rarer English words, listed without values: real words a question may use ("newer", "Kubrick"),
# which the typo corrector leaves as typed. Mistyped words almost never reach this frequency (of
# 1,113 slips made in XQuAD's questions, none did).
ZIPF_KNOWN = 2.5
KNOWN_ENGLISH = Path(__file__).with_name("english_words.txt")


@lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    text = (files("kb") / TABLE.name).read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, zipf = line.split("\t")
            out[word] = float(zipf)
    return out


def zipf(word: str) -> float:
    """The word's Zipf frequency (log10 of its count per billion words; "the" 7.7, "people" 6.3,
    "人口" 5.5, "好莱坞" 4.3), or ``RARE`` below ``ZIPF_KEPT``. ``word`` in matching form
    (``kb.text.normalize``, lower case): the table holds both languages, which the script tells
    apart. Numbers are not in it: a number a question names is specific to it."""
    return _table().get(word.lower(), RARE)


@lru_cache(maxsize=1)
def _known_english() -> frozenset[str]:
    text = (files("kb") / KNOWN_ENGLISH.name).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_english_word(word: str) -> bool:
    """Whether everyday English writes ``word`` (lower case) at all: in the table, or in the list of
    rarer real words (Zipf ``ZIPF_KNOWN`` and up)."""
    return zipf(word) > RARE or word.lower() in _known_english()
