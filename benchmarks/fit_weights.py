"""Fit the passage, sentence and answer models on the dev splits of every question set together,
and write ``kb/weights.json`` with the figures the fit produced.

    .venv/bin/python benchmarks/fit_weights.py                 # all dev questions of every set
    .venv/bin/python benchmarks/fit_weights.py --per-set 400   # quicker, stratified samples
    make fit

What is fitted and how is described in ``evals/fitting.py``. Figures are cross-validated: questions
are split into folds by article, every fold is answered by models fitted on the others, so no
article is scored by a model that saw its questions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import small_libraries  # noqa: E402
from bench_qa import SHARED, QASet, converted, sets  # noqa: E402

from evals.fit_data import Item, collect_cached, sample  # noqa: E402
from evals.fitting import (  # noqa: E402
    FitOptions,
    cross_validate,
    fit_all,
    fit_answer_length,
    markdown,
    outcome_rows,
    summarise,
)
from evals.gates import fit_distant_gate, fit_evidence_gate, fit_generic_gate  # noqa: E402
from evals.questions import load_questions  # noqa: E402
from kb.answering.evidence import ANSWER_FEATURES  # noqa: E402
from kb.fitted import Weights  # noqa: E402


def small_sets(bench: Path, cache: Path) -> list[QASet]:
    """The libraries of one to five articles (``benchmarks/small_libraries.py``), one set: "small"."""
    if not all((bench / s / "dev.jsonl").exists() for s in small_libraries.SOURCES):
        return []
    return [QASet("small", f"small/{lib.name}", lib.corpus, lib.questions)
            for lib in small_libraries.make(bench, cache / "small")]


def collected(qa: QASet, cache: Path, per_set: int | None, seed: int) -> list[Item]:
    """A set's sampled questions with their candidates, collected once per code version and sample."""
    questions = converted(sample(load_questions(qa.questions), per_set, seed), qa.convert)
    return collect_cached(qa.name, qa.library, qa.corpus, questions, qa.fit, cache, f"{per_set}.{seed}",
                          qa.library.replace("/", "-") if "/" in qa.library else None)


# Each refits one gate of given models in place and says what it chose (the rest of the fit unchanged).
def _fit_evidence(items: list[Item], w: Weights) -> object:
    w.evidence_floor, w.evidence_ceiling = fit_evidence_gate(items, w)
    return w.evidence_floor, w.evidence_ceiling


def _fit_generic(items: list[Item], w: Weights) -> object:
    w.generic_gate = fit_generic_gate(items, w)
    return w.generic_gate


def _fit_distant(items: list[Item], w: Weights) -> object:
    w.distant_gate = fit_distant_gate(items, w)
    return w.distant_gate


def _fit_length(items: list[Item], w: Weights) -> object:
    # Fitted on the fitted sets only, as ``fit_all`` does (the gates also count the measured ones).
    found = fit_answer_length([it for it in items if it.fit], w)
    found.set_on(w)
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=SHARED / "bench")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--sets", nargs="*")
    ap.add_argument("--per-set", type=int, help="stratified sample of each set's questions (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--max-false-refusals", type=float, default=0.045)
    ap.add_argument("--budget", choices=("pooled", "every-set"), default="pooled",
                    help="false-refusal budget over all sets (each weighing the same) or in every set")
    ap.add_argument("--budget-counts", choices=("all", "right"), default="all",
                    help="which answerable questions the false-refusal budget counts: all, or those the best "
                    "sentence would answer from a passage holding the evidence")
    ap.add_argument("--out", type=Path, default=REPO / "kb" / "weights.json")
    ap.add_argument("--no-cv", dest="cv", action="store_false")
    ap.add_argument("--answer-features", type=lambda v: tuple(v.split(",")), default=ANSWER_FEATURES,
                    help="comma-separated features of the answer model, to measure a change (default: the "
                    "committed set, kb.answering.evidence.ANSWER_FEATURES)")
    ap.add_argument("--evaluate", type=Path, metavar="WEIGHTS",
                    help="fit nothing: answer every question with these models and print the table (the same "
                    "models on two trees measure a change that needs no refit, question for question)")
    ap.add_argument("--evidence-floor", type=Path, metavar="WEIGHTS",
                    help="fit only the evidence gate's floor and ceiling (evals.gates.fit_evidence_gate) for these models, "
                    "write them with it to --out and print the table (the rest of the fit is unchanged)")
    ap.add_argument("--generic-gate", type=Path, metavar="WEIGHTS",
                    help="fit only the everyday-words gate (evals.gates.fit_generic_gate) for these models, write "
                    "them with it to --out and print the table (the rest of the fit is unchanged)")
    ap.add_argument("--distant-gate", type=Path, metavar="WEIGHTS",
                    help="fit only the distant-library gate (evals.gates.fit_distant_gate) for these models, write "
                    "them with it to --out and print the table (the rest of the fit is unchanged)")
    ap.add_argument("--answer-length", type=Path, metavar="WEIGHTS",
                    help="fit only how much an answer quotes (evals.fitting.fit_answer_length) for these models, "
                    "write them with it to --out and print the table (the rest of the fit is unchanged)")
    ap.add_argument("--sentence-fit", choices=("pointwise", "listwise"), default="pointwise",
                    help="the sentence model's objective (evals.fitting.fit_sentence)")
    ap.add_argument("--topic-fit", choices=("plain", "taught"), default="plain",
                    help="the topic model's negatives and features (evals.fitting.fit_topic, evals/absent.py)")
    ap.add_argument("--keep-ranking", type=Path, metavar="WEIGHTS",
                    help="take the passage and sentence models and the answer length from these models and fit "
                    "only the refusal decisions (topic and fact models, thresholds, gates)")
    args = ap.parse_args()
    ranking = Weights.from_dict(json.loads(args.keep_ranking.read_text(encoding="utf-8"))) if args.keep_ranking else None
    opts = FitOptions(args.l2, args.max_false_refusals, args.answer_features, args.folds, args.budget,
                      args.budget_counts, args.sentence_fit, args.topic_fit, ranking)
    started = time.perf_counter()
    items: list[Item] = []
    # The small libraries are measured when asked for, and always in the gates' budget when fitting:
    # a gate fitted on big libraries alone misfired in libraries of a few articles (evals/gates.py).
    asked = bool(args.sets and "small" in args.sets)
    smalls = small_sets(args.bench, args.cache) if asked or not args.evaluate else []
    for qa in sets(args.bench) + [replace(qa, fit=False) for qa in smalls]:
        if args.sets and qa.name not in args.sets and not (qa.name == "small" and not args.evaluate):
            continue
        if not qa.corpus.exists() or not qa.questions.exists():
            print(f"{qa.name}: skipped ({qa.corpus} or {qa.questions} is missing)", file=sys.stderr)
            continue
        t = time.perf_counter()
        got = collected(qa, args.cache, args.per_set, args.seed)
        items.extend(got)
        print(f"{qa.name}: {len(got)} questions collected in {time.perf_counter() - t:.0f} s", file=sys.stderr,
              flush=True)
    for it in items:
        it.fold = int(hashlib.sha1(it.group.encode()).hexdigest(), 16) % args.folds
    gates = ((args.evidence_floor, "Evidence gate", _fit_evidence), (args.generic_gate, "Everyday-words gate",
             _fit_generic), (args.distant_gate, "Distant-library gate", _fit_distant),
             (args.answer_length, "Answer length", _fit_length))
    for source, name, fit in gates:
        if source:
            fixed = Weights.from_dict(json.loads(source.read_text(encoding="utf-8")))
            fitted = fit(items, fixed)
            args.out.write_text(json.dumps(fixed.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"{name} {fitted or 'off'} fitted for {source}, written to {args.out}:")
            print(markdown(summarise(outcome_rows(items, fixed))))
            return
    if args.evaluate:
        fixed = Weights.from_dict(json.loads(args.evaluate.read_text(encoding="utf-8")))
        print(f"Answered by {args.evaluate} (not refitted):")
        print(markdown(summarise(outcome_rows(items, fixed))))
        return
    cv = cross_validate(items, opts) if args.cv else {}
    weights = fit_all(items, opts)
    weights.figures = {
        "questions": {name: sum(1 for it in items if it.set == name) for name in dict.fromkeys(it.set for it in items)},
        "cross_validated": cv,
        "in_sample": summarise(outcome_rows(items, weights)),
        "settings": {"per_set": args.per_set, "seed": args.seed, "folds": args.folds, "l2": args.l2,
                     "max_false_refusals": args.max_false_refusals, "budget": args.budget,
                     "budget_counts": args.budget_counts, "sentence_fit": args.sentence_fit,
                     "topic_fit": args.topic_fit},
        "command": "benchmarks/fit_weights.py" + (f" --per-set {args.per_set}" if args.per_set else "")
        + (f" --sentence-fit {args.sentence_fit}" if args.sentence_fit != "pointwise" else "")
        + (f" --topic-fit {args.topic_fit}" if args.topic_fit != "plain" else ""),
    }
    args.out.write_text(json.dumps(weights.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if cv:
        print("Cross-validated (each article answered by models fitted without it):")
        print(markdown(cv))
    print("\nIn sample (the committed models on the questions they were fitted on):")
    print(markdown(weights.figures["in_sample"]))
    print(f"\nthresholds {weights.thresholds}, extra ratio {weights.extra_ratio}; "
          f"{time.perf_counter() - started:.0f} s; wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
