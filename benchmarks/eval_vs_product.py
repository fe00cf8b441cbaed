"""Whether the evaluation measures what a reader gets: every question of the chosen sets answered
twice, as ``fit_weights.py --evaluate`` answers it (the collected candidates, ``evals.fit_data``) and
as ``kb ask`` does (``KnowledgeBase.answer``), with the questions whose refusal or wording differ.

    .venv/bin/python benchmarks/eval_vs_product.py seeds general seeds-absent general-absent

Uses the same data folders and question samples as ``fit_weights.py --per-set 800``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_qa import SHARED, sets  # noqa: E402
from fit_weights import collected  # noqa: E402

from kb import KnowledgeBase, Settings  # noqa: E402
from kb.answering.extractive import compose  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--per-set", type=int, default=800)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    libraries: dict[str, KnowledgeBase] = {}
    for qa in sets(SHARED / "bench"):
        if qa.name not in args.sets:
            continue
        items = collected(qa, args.cache, args.per_set, args.seed)
        kb = libraries.setdefault(qa.library, KnowledgeBase(Settings(data_dir=args.cache / qa.library)))
        weights = kb.weights  # the models kb ask answers with
        refusals = wording = 0
        for it in items:
            evaluated = compose(it.query, it.top_hits(weights), weights, it.memo)
            product = kb.answer(it.q.question)
            if evaluated.refused != product.refused:
                refusals += 1
                print(f"  refused by {'the evaluation' if evaluated.refused else 'kb ask'} only: {it.q.question}")
            elif evaluated.text != product.text:
                wording += 1
                print(f"  other sentences: {it.q.question}")
        print(f"{qa.name}: {len(items)} questions, refusal differs {refusals}, wording differs {wording}", flush=True)


if __name__ == "__main__":
    main()
