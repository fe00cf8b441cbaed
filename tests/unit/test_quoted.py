"""Which further sentences an answer quotes (``kb.answering.extractive.quoted``): one from the best
sentence's document and language needs ``extra_ratio`` of its probability, one from another
document or in another language ``other_ratio``; models written before ``other_ratio`` read as 0."""

from __future__ import annotations

import json
from pathlib import Path

from kb.answering.evidence import Sentence
from kb.answering.extractive import quoted
from kb.fitted import AnswerLength, Weights
from kb.records import ChunkMeta, Hit

BEST = "If you do need a contributor agreement, consider an integration such as CLA assistant."
SAME_DOC = "A CLA is needed when your licence has no express patent grant."
OTHER_DOC = "A second document's sentence on something else entirely, in the same language."
OTHER_LANG = "关键信息基础设施的具体范围和安全保护办法由国务院制定。"


def _hit(doc: str, text: str, lang: str = "en") -> Hit:
    return Hit(f"{doc}::0", text, ChunkMeta(doc, 0, lang), 1.0)


def _sentence(hit_index: int, text: str, prob: float, lang: str = "en") -> Sentence:
    return Sentence(hit_index, 0, text, lang, 0.5, False, prob=prob)


HITS = [_hit("legal", BEST), _hit("legal", SAME_DOC), _hit("guide", OTHER_DOC), _hit("law", OTHER_LANG, "zh")]
RANKED = [_sentence(0, BEST, 0.8), _sentence(1, SAME_DOC, 0.12), _sentence(2, OTHER_DOC, 0.12),
          _sentence(3, OTHER_LANG, 0.12, "zh")]


def test_a_sentence_from_elsewhere_needs_the_higher_share() -> None:
    # 0.12 is 15 % of the best: enough for the same document at 10 %, not for elsewhere at 20 %.
    assert [s.text for s in quoted(RANKED, HITS, AnswerLength(4, 0.1, 0.2))] == [BEST, SAME_DOC]


def test_without_the_other_share_every_sentence_needs_the_same() -> None:
    assert [s.text for s in quoted(RANKED, HITS, AnswerLength(4, 0.1, 0.0))] == [BEST, SAME_DOC, OTHER_DOC, OTHER_LANG]


def test_models_written_before_the_other_share_read_as_zero() -> None:
    d = json.loads((Path(__file__).resolve().parents[2] / "kb" / "weights.json").read_text(encoding="utf-8"))
    d.pop("other_ratio", None)
    assert Weights.from_dict(d).other_ratio == 0.0
    d["other_ratio"] = 0.3
    assert Weights.from_dict(d).other_ratio == 0.3
    assert Weights.from_dict(Weights.from_dict(d).to_dict()).other_ratio == 0.3


def test_a_further_sentence_holding_no_question_word_needs_the_second_encoders_floor() -> None:
    """"Which union went on strike in July 2023?" had quoted, before the strike's date, a sentence
    of the same passage on film costs: no question word, the second encoder at -0.03."""
    wordless = Sentence(1, 0, SAME_DOC, "en", 0.0, False, {"use": -0.03}, prob=0.5)
    near = Sentence(1, 1, "A CLA bridges the gap.", "en", 0.0, False, {"use": 0.3}, prob=0.4)
    ranked = [_sentence(0, BEST, 0.8), wordless, near]
    hits = [_hit("legal", BEST), _hit("legal", SAME_DOC + " A CLA bridges the gap.")]
    assert [s.text for s in quoted(ranked, hits, AnswerLength(4, 0.1, 0.2, 0.1))] == [BEST, near.text]
    assert [s.text for s in quoted(ranked, hits, AnswerLength(4, 0.1, 0.2))] == [BEST, SAME_DOC, near.text]  # older models: any


def test_models_written_before_the_wordless_floor_read_as_any() -> None:
    d = json.loads((Path(__file__).resolve().parents[2] / "kb" / "weights.json").read_text(encoding="utf-8"))
    d.pop("wordless_floor", None)
    assert Weights.from_dict(d).wordless_floor == -1.0
