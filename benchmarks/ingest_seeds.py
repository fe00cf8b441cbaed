"""Ingestion time for seeds/ (median of N fresh runs), re-ingest time, and the raw embedding time
of the same chunks measured in the same run, printed as JSON.

    .venv/bin/python benchmarks/ingest_seeds.py [--runs 3] [PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default="seeds")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    first, again, raw, chunks = [], [], [], 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            kb = KnowledgeBase(Settings(data_dir=Path(tmp) / "data"))
            kb.embedder.get_query_embedding("warm up")
            t = time.perf_counter()
            report = ingest_paths(kb, [args.path])
            first.append(time.perf_counter() - t)
            chunks = report.to_dict()["chunks_embedded"]
            t = time.perf_counter()
            ingest_paths(kb, [args.path])
            again.append(time.perf_counter() - t)
            texts = [c.text for c in kb.store.scan()]
            t = time.perf_counter()
            for i in range(0, len(texts), kb.settings.embed_batch_size):
                kb.embedder.get_text_embedding_batch(texts[i : i + kb.settings.embed_batch_size])
            raw.append(time.perf_counter() - t)
    med = statistics.median
    print(json.dumps({
        "path": args.path, "runs": args.runs, "chunks": chunks,
        "ingest_s_median": round(med(first), 2), "reingest_unchanged_s_median": round(med(again), 3),
        "raw_embedding_s_median": round(med(raw), 2),
        "pipeline_overhead_ratio": round(med(first) / med(raw), 3),
        "reingest_ratio": round(med(again) / med(first), 4),
        "chunks_per_s": round(chunks / med(first), 1),
    }, indent=2))


if __name__ == "__main__":
    main()
