"""Refusal floors over the seeds for questions whose answer the library does not hold: our own absent
topics and facts (``seeds_absent.jsonl``) and 40 everyday questions on other subjects
(``everyday_absent.jsonl``, 20 English and 20 Chinese, written before any fit that measured them).
Neither set is fitted on (``benchmarks/bench_qa.py`` measures them only), so they say something
about questions the models never saw; the benchmarks' absent articles have their floors in
``test_bench_sample.py``."""

from __future__ import annotations

import pytest

from evals.questions import load_questions
from evals.run import evaluate, report
from kb import KnowledgeBase, Settings

from .conftest import REPO

EVAL = REPO / "tests" / "data" / "eval"
# Measured with the committed kb/weights.json (2026-12-02): seeds_absent 9 of 12 refused (topics 6 of
# 6, facts 3 of 6), everyday 37 of 40 (English 20 of 20, Chinese 17 of 20). Margins: two questions of
# 12, four of 40.
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
