"""Refusal floors over the seeds for questions whose answer the library does not hold: our own absent
topics and facts (``seeds_absent.jsonl``) and 40 everyday questions on other subjects
(``everyday_absent.jsonl``, 20 English and 20 Chinese, written before any fit that measured them).
Neither set is fitted on (``benchmarks/bench_qa.py`` measures them only), so they say something
about questions the models never saw; the benchmarks' absent articles have their floors in
``test_bench_sample.py``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from evals.questions import load_questions
from evals.run import evaluate, report
from kb import KnowledgeBase, Settings
from kb.fitted import default_weights

from .conftest import REPO

EVAL = REPO / "tests" / "data" / "eval"
# Measured with the committed kb/weights.json (2026-12-03, eighth stop): seeds_absent 9 of 12 refused
# (topics 6 of 6, facts 3 of 6), everyday 39 of 40 (English 20 of 20, Chinese 19 of 20; "巴西有多少人口？"
# is refused since the everyday-words gate, one more since the distant-library gate). Margins: two
# questions of 12, six of 40.
FLOORS = {"seeds_absent.jsonl": 7 / 12, "everyday_absent.jsonl": 33 / 40}


@pytest.mark.parametrize("name", list(FLOORS))
def test_questions_the_seeds_cannot_answer_are_refused(seeded_settings: Settings, name: str) -> None:
    questions = load_questions(EVAL / name)
    assert all(not q.answerable for q in questions)
    outcomes = evaluate(KnowledgeBase(seeded_settings), questions, 5)
    figures = report(outcomes, 5)
    answered = [o.to_dict()["question"] for o in outcomes if not o.refused]
    print(f"{name}: refused {figures['refusal_accuracy']} of {len(questions)}; answered: {answered}")
    assert figures["refusal_accuracy"] >= FLOORS[name] - 1e-9, answered


# Questions of XQuAD's Chinese dev split (CC BY-SA 4.0) on subjects the seeds never touch, that
# meet Chinese sentences of theirs through everyday words only (时, 地区, 宣布).
EVERYDAY_MATCHES = ("当法兰克人进入幼发拉底河流域时，谁是领导者？", "石油危机导致石油公司在哪个地区增加石油供应?",
                    "BSkyB是什么时候宣布打算替换免费数字频道的？")


def test_a_sentence_met_through_everyday_words_only_is_not_quoted(seeded_settings: Settings) -> None:
    """The everyday-words gate (``kb.answering.evidence.generic_match``) refuses them; without it
    the same models quote the sentence, so the test fails if the gate stops working."""
    shipped = default_weights()
    without = KnowledgeBase(seeded_settings, weights=replace(shipped, generic_gate={}, distant_gate={}))
    gated = KnowledgeBase(seeded_settings, weights=shipped)
    for question in EVERYDAY_MATCHES:
        assert not without.answer(question).refused, question
        answer = gated.answer(question)
        assert answer.refused and not answer.related, (question, answer.text)


# Benchmark questions on other subjects (XQuAD, CMRC 2018, DRCD dev splits, see
# benchmarks/foreign_questions.py) whose best passage over the seeds is improbable and no nearer to
# the second encoder than the seeds' passages usually are: one in the seeds' language, two across.
# The last two are refused since the gate has boxes per language pair (ninth stop): a Chinese
# question answered in Chinese by a merely unlikely passage (0.15) the second encoder finds no nearer
# than usual, and one answered in English by a passage next to no chance (0.013).
DISTANT_MATCHES = ("特斯拉是如何资助他的工作的？", "麦银汉鱼整体是什么颜色的？", "A decision made by what entity restored Tesla's patents?",
                   "西班牙和葡萄牙于哪年加入欧盟？", "路易-菲利普一世为什么要兴建七月圆柱？")


def test_a_question_the_library_holds_nothing_near_is_refused(seeded_settings: Settings) -> None:
    """The distant-library gate (``kb.answering.distant``) refuses them; without it the same models
    quote a sentence, so the test fails if the gate stops working."""
    shipped = default_weights()
    without = KnowledgeBase(seeded_settings, weights=replace(shipped, distant_gate={}))
    gated = KnowledgeBase(seeded_settings, weights=shipped)
    for question in DISTANT_MATCHES:
        assert not without.answer(question).refused, question
        answer = gated.answer(question)
        assert answer.refused and not answer.related, (question, answer.text)
