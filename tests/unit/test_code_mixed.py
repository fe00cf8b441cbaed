"""Chinese questions with some nouns written in English, as bilingual readers type them
(benchmarks/code_mixed.py)."""

from __future__ import annotations

from benchmarks.code_mixed import code_mixed, english_nouns
from evals.questions import Question
from kb.search.bilingual import dictionary


def _q(text: str, qid: str = "q1") -> Question:
    return Question(qid, text, "zh", "fact", ["d.md"], ["x"], ["y"])


def test_nouns_become_the_everyday_english_word_that_translates_back() -> None:
    nouns = english_nouns("广茂铁路全长多少公里？", dictionary())
    assert nouns.get("铁路") in {"railway", "railroad"}
    mixed = code_mixed(_q("广茂铁路由哪家公司管理运营？"), dictionary())
    assert mixed is not None and mixed.variant == "code-mixed"
    assert any(w in mixed.question for w in ("railway", "railroad", "company"))
    assert mixed.question.endswith("？") and "  " not in mixed.question


def test_the_same_question_is_mixed_the_same_way_every_run() -> None:
    q = _q("德勤预计大多数大型电影制片公司会选择与什么样的伙伴合作来打造模型？", "d02")
    assert code_mixed(q, dictionary()) == code_mixed(q, dictionary())


def test_a_question_without_such_a_noun_is_left_out() -> None:
    assert code_mixed(_q("谁带领黑豹队擒杀？"), dictionary()) is None
