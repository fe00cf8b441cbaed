"""Why an answered question's answer lacks its keyword, counted per cause, for one set:

    .venv/bin/python benchmarks/keyword_misses.py cmrc2018 [--weights kb/weights.json] [--per-set 800]

Causes: the keyword is in no retrieved passage; it is in a passage but split over two sentences;
its sentence reached the share of the best sentence's probability but ranked past the answer's
length; or its sentence ranked under the share (with its rank). Says whether answers need better
evidence, a better sentence ranking or more length.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_qa import SHARED, sets  # noqa: E402
from fit_weights import collected  # noqa: E402

from kb.answering.extractive import compose, rank_sentences  # noqa: E402
from kb.fitted import Weights  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set")
    ap.add_argument("--weights", type=Path, default=REPO / "kb" / "weights.json")
    ap.add_argument("--bench", type=Path, default=SHARED / "bench")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--per-set", type=int, default=800)
    args = ap.parse_args()
    weights = Weights.from_dict(json.loads(args.weights.read_text(encoding="utf-8")))
    items = [it for qa in sets(args.bench) if qa.name == args.set for it in collected(qa, args.cache, args.per_set, 0)]
    causes: collections.Counter[str] = collections.Counter()
    answered = 0
    for it in items:
        if not it.answerable or not it.q.keywords:
            continue
        hits = it.top_hits(weights)
        answer = compose(it.query, hits, weights, it.memo)
        if answer.refused:
            continue
        answered += 1
        if it.has_keyword(answer.text):
            continue
        ranked = rank_sentences(it.query, hits, weights, it.memo)
        holding = [i for i, s in enumerate(ranked) if it.has_keyword(s.text)]
        if not holding:
            split = any(it.has_keyword(h.text) for h in hits)
            causes["split over two sentences" if split else "in no retrieved passage"] += 1
        elif ranked[holding[0]].prob >= weights.extra_ratio * ranked[0].prob:
            causes["reached the share, ranked past the length"] += 1
        else:
            causes[f"under the share, rank {min(holding[0] + 1, 10)}{'+' if holding[0] >= 9 else ''}"] += 1
    print(f"{args.set}: {answered} answered, {sum(causes.values())} without the keyword")
    for cause, n in sorted(causes.items()):
        print(f"  {cause}: {n}")


if __name__ == "__main__":
    main()
