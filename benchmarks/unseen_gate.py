"""What a gate on words the library never uses would refuse: a measurement, not a shipped rule.

A question on a subject the library lacks often meets it through one generic dictionary word
("巴西有多少人口？" over the seeds quotes "People from the entertainment industry…" through 人口 →
people), while its own subject ("巴西", Brazil) occurs nowhere in the library. The candidate gate
refuses when at least ``unseen`` of the question's term weight is never used by the library
(``unseen``) and the sentence to be quoted holds at most ``cov`` of it (``evidence_cov``). For each
pair of thresholds and each language pair it prints, per set, the answerable questions the shipped
models answer and the gate would refuse, and the absent-topic questions it would add to the
refusals.

    .venv/bin/python benchmarks/unseen_gate.py                 # the sets of fit_weights.py's table
    .venv/bin/python benchmarks/unseen_gate.py --weights /tmp/w.json --sets xquad seeds-foreign
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_qa import SHARED, sets  # noqa: E402
from fit_weights import collected  # noqa: E402

from evals.rows import ANSWERABLE, answer_rows  # noqa: E402
from kb.answering.extractive import refusal_reason  # noqa: E402
from kb.fitted import Weights  # noqa: E402

SETS = ("seeds", "general", "seeds-absent", "general-absent", "seeds-everyday", "general-everyday",
        "seeds-foreign", "general-foreign", "xquad", "cmrc2018", "drcd")
UNSEEN = (0.3, 0.4, 0.5, 0.6)
COVERAGE = (0.2, 0.34, 0.5)


@dataclass
class Row:
    set: str
    absent: bool  # a question on a topic the library lacks (else answerable)
    pair: str
    refused: bool  # by the models' decision (``kb.answering.extractive.refusal_reason``)
    unseen: float
    coverage: float


def rows_of(names: list[str], weights: Weights, cache: Path, per_set: int) -> list[Row]:
    out = []
    for qa in sets(SHARED / "bench"):
        if qa.name not in names:
            continue
        for it in collected(qa, cache, per_set, 0):
            for f, _, pair, role in answer_rows(it, weights):
                if role not in (*ANSWERABLE, "absent-topic"):
                    continue
                refused = refusal_reason(f, it.lang, pair.split(">")[1], weights) is not None
                out.append(Row(qa.name, role == "absent-topic", pair, refused, f["unseen"], f["evidence_cov"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    ap.add_argument("--weights", type=Path, default=REPO / "kb" / "weights.json")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--per-set", type=int, default=800)
    args = ap.parse_args()
    weights = Weights.from_dict(json.loads(args.weights.read_text(encoding="utf-8")))
    rows = rows_of(args.sets, weights, args.cache, args.per_set)
    print("| unseen ≥ | coverage ≤ | pair | answerable refused too (of answered) | absent topics refused too |")
    print("|---|---|---|---|---|")
    for unseen in UNSEEN:
        for cov in COVERAGE:
            for pair in ("all", "en>en", "zh>zh", "en>zh", "zh>en"):
                mine = [r for r in rows if pair in ("all", r.pair) and not r.refused]
                gated = [r for r in mine if r.unseen >= unseen and r.coverage <= cov]
                lost = Counter(r.set for r in gated if not r.absent)
                gained = Counter(r.set for r in gated if r.absent)
                answered = Counter(r.set for r in mine if not r.absent)
                print(f"| {unseen} | {cov} | {pair} | "
                      + ", ".join(f"{s} {lost[s]}/{answered[s]}" for s in answered if lost[s]) + " | "
                      + ", ".join(f"{s} +{n}" for s, n in gained.items()) + " |")


if __name__ == "__main__":
    main()
