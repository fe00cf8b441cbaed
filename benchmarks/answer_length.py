"""Keyword recall against answer length, for fitted models at each extra-sentence ratio.

A model whose answers quote more sentences finds the keyword more often; this prints both, so two
models are compared at the same length, not only at the ratio each was fitted with:

    .venv/bin/python benchmarks/answer_length.py kb/weights.json other.json --per-set 800

``--as-fitted`` prints each model's own setting only (its share for a further sentence and the one
for a sentence from another document or language, ``kb.answering.extractive.quoted``).

Per set: keyword recall over the answerable questions (a refusal counts as a miss), the median
characters of the answers given and the mean number of sentences they quote (what
``evals.fitting.MAX_MEAN_SENTENCES`` caps).
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_qa import SHARED, sets  # noqa: E402
from fit_weights import collected  # noqa: E402

from evals.fitting import RATIOS, sentences_quoted  # noqa: E402
from kb.answering.extractive import compose  # noqa: E402
from kb.fitted import Weights  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("weights", nargs="+", type=Path)
    ap.add_argument("--bench", type=Path, default=SHARED / "bench")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--sets", nargs="*", default=["seeds", "general", "xquad", "cmrc2018", "drcd"])
    ap.add_argument("--per-set", type=int, default=800)
    ap.add_argument("--as-fitted", action="store_true",
                    help="only each model's own ratios (what it answers with), not the ratios' sweep")
    args = ap.parse_args()
    data = {qa.name: collected(qa, args.cache, args.per_set, 0) for qa in sets(args.bench) if qa.name in args.sets}
    print("| weights | ratio | " + " | ".join(f"{name} keywords / median chars / sentences" for name in data) + " |")
    print("|---|---|" + "---|" * len(data))
    for path in args.weights:
        fitted = Weights.from_dict(json.loads(path.read_text(encoding="utf-8")))
        for ratio in [fitted.extra_ratio] if args.as_fitted else RATIOS:
            weights = copy.copy(fitted)
            weights.extra_ratio = ratio
            cells = []
            for items in data.values():
                found, chars, quoted = [], [], []
                for it in items:
                    if not it.answerable or not it.q.keywords:
                        continue
                    answer = compose(it.query, it.top_hits(weights), weights, it.memo)
                    found.append(it.has_keyword(answer.text))
                    if not answer.refused:
                        chars.append(len(answer.text))
                        quoted.append(sentences_quoted(answer))
                median = statistics.median(chars) if chars else 0
                mean_quoted = statistics.mean(quoted) if quoted else 0
                cells.append(f"{sum(found) / max(1, len(found)):.3f} / {median:.0f} / {mean_quoted:.2f}")
            shown = f"{ratio} / {fitted.other_ratio}" if fitted.other_ratio else f"{ratio}"
            print(f"| {path.name} | {shown} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
