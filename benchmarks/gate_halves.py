"""The refusal gates fitted on half of the articles and measured on the other half: what a gate
refuses of questions it was not chosen on.

A gate is chosen where it refuses no more than 1 in 500 answerable questions of any set on the
questions it is fitted on (``evals.gates``), so in sample it costs next to nothing by construction;
on other questions it may not. Here every set's articles are split in two by a hash of their name;
each gate is fitted on one half (with the shipped models, the gate itself off) and its refusals are
counted on the other, both ways round, for three ways of choosing it:

- ``pair``: boxes per language pair, up to two each (``evals.gates.choose_boxes``, what the
  distant gate ships with);
- ``pair+margin``: the same, each box charged for what the box one grid step looser refuses;
- ``relation``: one box per language relation, "same" and "cross" (what the everyday-words gate
  ships with, and how both were chosen before the ninth stop).

    .venv/bin/python benchmarks/gate_halves.py                # both gates, every set of the table
    .venv/bin/python benchmarks/gate_halves.py --gate distant
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from itertools import product
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_qa import SHARED, sets  # noqa: E402
from fit_weights import collected, small_sets  # noqa: E402

from evals.fit_data import Item  # noqa: E402
from evals.gates import OFF, RELATIONS, Gate, GateRows, by_relation, choose_boxes, gate_rows  # noqa: E402
from evals.rows import ABSENT_ROLES, ANSWERABLE  # noqa: E402
from kb.answering.distant import DISTANT_PASSAGE_FLOORS, DISTANT_Z_FLOORS, Box, distant  # noqa: E402
from kb.answering.evidence import GENERIC_FLOORS, GENERIC_ZIPFS, generic_match  # noqa: E402
from kb.fitted import Weights  # noqa: E402

SETS = ("seeds", "general", "seeds-absent", "general-absent", "seeds-everyday", "general-everyday", "seeds-foreign",
        "general-foreign", "xquad", "cmrc2018", "drcd", "small", "seeds-typos", "xquad-typos")


def _step(value: float, grid: tuple[float, ...], up: bool) -> float:
    further = [g for g in grid if (g > value if up else g < value)]
    return (min(further) if up else max(further)) if further else value


# gate -> (the gate, its grid's two axes, ties, the box one step looser, the weights field)
GATES: dict[str, tuple[Gate, tuple[tuple[float, ...], tuple[float, ...]], Callable[[Box], tuple[float, ...]],
                       Callable[[Box], Box], str]] = {
    "distant": (distant, (DISTANT_PASSAGE_FLOORS, DISTANT_Z_FLOORS), lambda g: (-g[0], -g[1]),
                lambda b: b if b == OFF else (_step(b[0], DISTANT_PASSAGE_FLOORS, True),
                                              _step(b[1], DISTANT_Z_FLOORS, True)), "distant_gate"),
    "generic": (generic_match, (GENERIC_ZIPFS, GENERIC_FLOORS), lambda g: (99.0, 0.0) if g == OFF else (g[0], -g[1]),
                lambda b: b if b == OFF else (_step(b[0], GENERIC_ZIPFS, False), _step(b[1], GENERIC_FLOORS, True)),
                "generic_gate"),
}


def half_of(it: Item) -> int:
    return int(hashlib.sha1(it.group.encode()).hexdigest(), 16) % 2


def measured(rows: GateRows, gate: Gate, boxes: dict[str, tuple[Box, ...]]) -> tuple[Counter[str], Counter[str]]:
    """Answerable questions refused, and absent ones refused by role, per set."""
    cost: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    for r in rows.open:
        if any(gate(r.features, *b) for b in boxes.get(r.language_pair, ())):
            if r.role in ANSWERABLE:
                cost[r.set] += 1
            elif r.role in ABSENT_ROLES:
                caught[f"{r.set} {'topic' if r.role == 'absent-topic' else 'fact'}"] += 1
    return cost, caught


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=SHARED / "bench")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--weights", type=Path, default=REPO / "kb" / "weights.json")
    ap.add_argument("--gate", choices=sorted(GATES), nargs="*", default=sorted(GATES))
    ap.add_argument("--per-set", type=int, default=800)
    args = ap.parse_args()
    weights = Weights.from_dict(json.loads(args.weights.read_text(encoding="utf-8")))
    items: list[Item] = []
    for qa in sets(args.bench) + [replace(qa, fit=False) for qa in small_sets(args.bench, args.cache)]:
        if qa.name in SETS and qa.corpus.exists() and qa.questions.exists():
            items.extend(collected(qa, args.cache, args.per_set, 0))
    for name in args.gate:
        report(name, items, weights)


METHODS = ("pair", "pair+margin", "relation")


def fitted_by(method: str, name: str, rows: GateRows) -> dict[str, tuple[Box, ...]]:
    gate, (xs, ys), restraint, looser, _ = GATES[name]
    grid = list(product(xs, ys))
    if method == "relation":
        return choose_boxes(by_relation(rows), grid, gate, restraint, pairs=RELATIONS, max_boxes=1)
    return choose_boxes(rows, grid, gate, restraint, looser if method == "pair+margin" else None)


def report(name: str, items: list[Item], weights: Weights) -> None:
    gate, _, _, _, field = GATES[name]
    without = replace(weights, **{field: {}})
    halves = [gate_rows([it for it in items if half_of(it) == h], weights, without) for h in (0, 1)]
    answerable = sum(halves[0].answerable.values()) + sum(halves[1].answerable.values())
    costs: dict[str, Counter[str]] = {}
    caught: dict[str, Counter[str]] = {}
    for method in METHODS:
        costs[method], caught[method] = Counter(), Counter()
        for h in (0, 1):
            fitted = fitted_by(method, name, halves[h])
            print(f"{name}, {method}, fitted on half {h}: {fitted}", file=sys.stderr)
            other = by_relation(halves[1 - h]) if method == "relation" else halves[1 - h]
            c, g = measured(other, gate, fitted)
            costs[method].update(c)
            caught[method].update(g)
    print(f"\n## {name} gate: fitted on one half of the articles, counted on the other (both ways, summed)\n")
    print(f"| | {' | '.join(METHODS)} |")
    print(f"|---|{'---|' * len(METHODS)}")
    print(f"| answerable refused (of {answerable}) | "
          + " | ".join(str(sum(costs[m].values())) for m in METHODS) + " |")
    for s in sorted({s for m in METHODS for s in costs[m]}):
        print(f"| answerable refused: {s} | " + " | ".join(str(costs[m][s]) for m in METHODS) + " |")
    for key in sorted({k for m in METHODS for k in caught[m]}):
        print(f"| absent refused: {key} | " + " | ".join(str(caught[m][key]) for m in METHODS) + " |")


if __name__ == "__main__":
    main()
