"""What the second encoder (USE, per sentence) costs: ingest time, answer latency and memory, against
the main encoder alone, measured alternately in one run (medians, and their ratios).

    .venv/bin/python benchmarks/second_encoder_cost.py [--runs 3] [--path seeds]

"Main only" is the library without sentence vectors (the fitted models then lack the second
encoder's features, so its answers are only timed, not judged).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.pipeline import ingest_paths  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402
from kb.embed.encoders import MAIN, Encoders  # noqa: E402


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--path", default=str(REPO / "seeds"))
    args = ap.parse_args()
    questions = [json.loads(line)["question"] for line in
                 (REPO / "tests" / "data" / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    both = Encoders.build(Settings())
    main_only = Encoders({MAIN: both.main})
    before = _rss_mb()
    both.query("warm up")  # loads both models
    loaded = _rss_mb()
    ingest: dict[str, list[float]] = {"both": [], "main": []}
    answer: dict[str, list[float]] = {"both": [], "main": []}
    chunks = 0
    for _ in range(args.runs):
        for name, encoders in (("main", main_only), ("both", both)):
            with tempfile.TemporaryDirectory() as tmp:
                kb = KnowledgeBase(Settings(data_dir=Path(tmp) / "data"), encoders=encoders)
                t = time.perf_counter()
                report = ingest_paths(kb, [args.path])
                ingest[name].append(time.perf_counter() - t)
                chunks = report.to_dict()["chunks_embedded"]
                kb.warm_up()
                for q in questions:
                    t = time.perf_counter()
                    kb.answer(q)
                    answer[name].append((time.perf_counter() - t) * 1000)

    def p95(v: list[float]) -> float:
        return sorted(v)[int(0.95 * (len(v) - 1))]

    med = statistics.median
    print(json.dumps({
        "path": args.path, "runs": args.runs, "chunks": chunks,
        "ingest_s_median": {k: round(med(v), 2) for k, v in ingest.items()},
        "ingest_ratio": round(med(ingest["both"]) / med(ingest["main"]), 3),
        "answer_ms_p50": {k: round(med(v), 1) for k, v in answer.items()},
        "answer_ms_p95": {k: round(p95(v), 1) for k, v in answer.items()},
        "answer_p50_ratio": round(med(answer["both"]) / med(answer["main"]), 3),
        "models_loaded_rss_mb": round(loaded - before, 1),
    }, indent=1))


if __name__ == "__main__":
    main()
