"""Commands that put questions to the library: ``ask``, ``search`` and ``eval`` (a question set)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from . import render
from .common import load_settings, open_library, out, reported, require_documents


def ask(
    question: Annotated[str, typer.Argument(help="The question, in Chinese or English.")],
    doc: Annotated[list[str] | None,
                   typer.Option("--doc", metavar="ID", help="Restrict to these doc ids (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer and citations as JSON.")] = False,
) -> None:
    """Answer a question from the documents, with numbered citations."""
    kb = open_library(load_settings(), create=False)
    require_documents(kb)
    doc_ids = [kb.find_document(d).doc_id for d in doc] if doc else None
    answer = render.streamed_answer(out, kb.answer_events(question, doc_ids=doc_ids), live=not as_json)
    if as_json:
        data: dict[str, Any] = answer.to_dict()
        out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        render.answer(out, answer)


def search(
    query: Annotated[str, typer.Argument(help="Words or a question, in Chinese or English.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the passages as JSON.")] = False,
) -> None:
    """The passages that match best, with their scores (no answer is composed)."""
    hits = open_library(load_settings(), create=False).search(query, k=k)
    if as_json:
        out.print_json(json.dumps([h.to_dict() for h in hits], ensure_ascii=False))
    else:
        render.hits(out, [h.to_dict() for h in hits])


def eval_(
    file: Annotated[Path, typer.Argument(help="Questions, one JSON object a line (see tests/data/eval/dev.jsonl).")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="Cut-off for hit@k.")] = 5,
    baselines: Annotated[bool, typer.Option("--baselines", help="Also score stock llama-index and BM25 alone.")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Measure retrieval and answers on a question set against the current knowledge base."""
    from evals.baselines import bm25_alone, llama_index_stock
    from evals.questions import load_questions
    from evals.run import evaluate, evaluate_retriever, report

    with reported(code=2):  # an unreadable question file is a usage error
        questions = load_questions(file)
    kb = open_library(load_settings(), create=False)
    require_documents(kb)
    results: dict[str, Any] = dict(report(evaluate(kb, questions, k), k))
    if baselines:
        results["baselines"] = {
            "llama_index_stock": report(evaluate_retriever(llama_index_stock(kb), questions, k), k),
            "bm25_jieba": report(evaluate_retriever(bm25_alone(kb), questions, k), k),
        }
    if as_json:
        out.print_json(json.dumps(results, ensure_ascii=False))
        return
    render.eval_report(out, results, k)
