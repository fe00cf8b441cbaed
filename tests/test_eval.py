"""`kb eval` on the development set (25 questions over the seeds).

25 questions are too few to tune on or to hold a quality claim (one flip is 4 points), so the
floors here sit well under what we measure and catch only a breakage; the quality floors are on
the benchmark sample (`test_bench_sample.py`) and the claims in the README come from
`make bench-qa` / `make fit` on the full dev splits.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kb import KnowledgeBase, Settings
from kbcli.main import app

from .conftest import REPO

DEV = REPO / "tests" / "data" / "eval" / "dev.jsonl"
FLOORS = {"hit@5": 0.85, "mrr@10": 0.8, "keyword_recall": 0.7, "citation_hit": 0.8}


def test_eval_dev_set_meets_floors(seeded_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_DATA_DIR", str(seeded_settings.data_dir))
    res = CliRunner().invoke(app, ["eval", str(DEV), "--json"])
    assert res.exit_code == 0, res.output
    figures = json.loads(res.stdout)
    assert {"hit@5", "mrr@10", "keyword_recall", "citation_hit", "refusal_accuracy", "false_refusal_rate",
            "latency_ms", "by_group"} <= set(figures)
    for key, floor in FLOORS.items():
        assert figures[key] >= floor, (key, figures[key], figures)
    assert figures["false_refusal_rate"] <= 0.15
    assert figures["by_group"]["kind=cross"]["hit@5"] >= 0.8


def test_eval_table_and_bad_file(seeded_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KB_DATA_DIR", str(seeded_settings.data_dir))
    few = tmp_path / "few.jsonl"  # the table's shape, not the figures (test_eval_dev_set_meets_floors)
    few.write_text("".join(DEV.read_text(encoding="utf-8").splitlines(keepends=True)[:4]), encoding="utf-8")
    res = CliRunner().invoke(app, ["eval", str(few), "--k", "3"])
    assert res.exit_code == 0 and "hit@3" in res.stdout and "MRR@10" in res.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    res = CliRunner().invoke(app, ["eval", str(bad)])
    assert res.exit_code == 2 and "line 1" in res.output


def test_the_docs_name_every_setting_and_command() -> None:
    configuration = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [f"KB_{name.upper()}" for name in Settings.model_fields if f"`KB_{name.upper()}`" not in configuration]
    assert not missing, f"docs/configuration.md lacks {missing}"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in ("kb ingest", "kb ask", "kb docs", "kb remove", "kb serve", "kb eval", "make run", "make test"):
        assert command in readme
    linked = {line.split("](")[1].split(")")[0] for line in readme.splitlines() if "](docs/" in line}
    assert all((REPO / path.split("#")[0]).is_file() for path in linked), linked


def test_the_fitting_evaluation_cites_and_answers_as_kb_ask_does(seeded_kb: KnowledgeBase) -> None:
    """`fit_weights.py --evaluate` answers from the candidates it collected; its passages and answers
    must be the product's, bilingual twins in the reader's language included (the seeds' document 004
    says most points in both languages), or its figures measure something no reader gets."""
    from evals.fit_data import items_of
    from evals.questions import load_questions
    from kb.answering.extractive import compose

    items = items_of(seeded_kb, "seeds", "seeds", load_questions(DEV), True)
    assert sum(1 for it in items if it.twins) >= 5  # the swap is exercised, not vacuous
    view = seeded_kb.view.get()
    for it in items:
        hits = it.top_hits(seeded_kb.weights)
        product = seeded_kb.asker.search(seeded_kb.asker.query(it.q.question, view=view), quotable=True)
        assert [h.chunk_id for h in hits] == [h.chunk_id for h in product], it.q.question
        assert compose(it.query, hits, seeded_kb.weights).text == seeded_kb.answer(it.q.question).text, it.q.question
