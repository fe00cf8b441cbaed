"""What a refusal shows: how often the nearest passages listed with a refusal (``Answer.related``)
hold the answer the models refused to quote, and how often a question whose answer is absent
lists any.

    .venv/bin/python benchmarks/refusal_passages.py [--per-set 800] [--weights W]

Questions are collected as ``benchmarks/fit_weights.py`` collects them (the same cache), and
answered as ``kb ask`` answers them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_qa import sets  # noqa: E402
from fit_weights import collected  # noqa: E402

from kb.answering.extractive import compose  # noqa: E402
from kb.fitted import Weights, default_weights  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--per-set", type=int, default=800)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--weights", type=Path)
    args = ap.parse_args()
    weights = Weights.from_dict(json.loads(args.weights.read_text(encoding="utf-8"))) if args.weights \
        else default_weights()
    print("| set | answerable refused | with passages listed | answer among them | absent refused | with passages listed |")
    print("|---|---|---|---|---|---|")
    for qa in sets(args.bench):
        if not qa.corpus.exists() or not qa.questions.exists():
            continue
        counts: Counter[str] = Counter()
        for it in collected(qa, args.cache, args.per_set, args.seed):
            answer = compose(it.query, it.top_hits(weights), weights)
            if not answer.refused:
                continue
            kind = "answerable" if it.answerable else "absent"
            counts[kind] += 1
            counts[kind + " listed"] += bool(answer.related)
            counts["found"] += it.answerable and any(it.has_keyword(c.text) for c in answer.related)
        print(f"| {qa.name} | {counts['answerable']} | {counts['answerable listed']} | {counts['found']} "
              f"| {counts['absent']} | {counts['absent listed']} |")


if __name__ == "__main__":
    main()
