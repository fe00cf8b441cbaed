"""Which neighbours an answer's sentences bring with them (``kb.answering.extractive._with_neighbours``):
a sentence announcing a list keeps the list, and one whose list is not in the passage is not quoted
unless it is the best sentence."""

from __future__ import annotations

from kb.answering.evidence import Sentence
from kb.answering.extractive import _with_neighbours
from kb.records import ChunkMeta, Hit

BEST = "Hollywood has many reasons to be uncomfortable with AI."
ANNOUNCES = "A significant subset of Hollywood is concerned that:"
ITEM = "AI companies are taking their work to learn from it without consent."


def _hit(text: str, ordinal: int) -> Hit:
    return Hit(f"d::{ordinal}", text, ChunkMeta("d", ordinal, "en"), 1.0)


def _sentence(hit_index: int, position: int, text: str) -> Sentence:
    return Sentence(hit_index, position, text, "en", 0.5, False)


def test_a_sentence_announcing_a_list_brings_the_list() -> None:
    hits = [_hit(BEST, 0), _hit(f"{ANNOUNCES}\n\n{ITEM}", 1)]
    out = _with_neighbours([_sentence(0, 0, BEST), _sentence(1, 0, ANNOUNCES)], hits, 600)
    assert [s.text for s in out] == [BEST, ANNOUNCES, ITEM]


def test_a_sentence_announcing_a_list_the_passage_lacks_is_left_out() -> None:
    hits = [_hit(BEST, 0), _hit(f"People come from a very different culture. {ANNOUNCES}", 1)]
    out = _with_neighbours([_sentence(0, 0, BEST), _sentence(1, 1, ANNOUNCES)], hits, 600)
    assert [s.text for s in out] == [BEST]


def test_the_best_sentence_stays_whatever_it_ends_with() -> None:
    hits = [_hit(f"People come from a very different culture. {ANNOUNCES}", 0)]
    out = _with_neighbours([_sentence(0, 1, ANNOUNCES)], hits, 600)
    assert [s.text for s in out] == [ANNOUNCES]
