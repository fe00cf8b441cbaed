"""Time to the first streamed answer token through the OpenAI-compatible API, against a real
`kb serve` over seeds/, with the official `openai` client; next to it, in the same run, the
complete answer through the same API without streaming and through Gradio's `/ask` (the
baseline: the entry scripts had before).

    PYTHONPATH=. .venv/bin/python benchmarks/api_latency.py [--rounds 2]

Prints medians (ms) over the dev questions (tests/data/eval/dev.jsonl) and the ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import openai
from gradio_client import Client

from benchmarks.serve_child import running_app
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    questions = [json.loads(line)["question"]
                 for line in (REPO / "tests/data/eval/dev.jsonl").read_text(encoding="utf-8").splitlines()]
    first_token, api_full, gradio_full = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        ingest_paths(KnowledgeBase(Settings(data_dir=data)), [REPO / "seeds"])
        with running_app(data) as url:
            client = openai.OpenAI(base_url=url + "v1", api_key="local", max_retries=0)
            gradio = Client(url, verbose=False)
            client.chat.completions.create(model="default", messages=[{"role": "user", "content": "warm up"}])
            for _ in range(args.rounds):
                for q in questions:
                    messages = [{"role": "user", "content": q}]
                    t0 = time.perf_counter()
                    first = None
                    for chunk in client.chat.completions.create(model="default", messages=messages,  # type: ignore[arg-type]
                                                                stream=True):
                        if first is None and chunk.choices[0].delta.content:
                            first = time.perf_counter() - t0
                    first_token.append((first or 0) * 1000)
                    t0 = time.perf_counter()
                    client.chat.completions.create(model="default", messages=messages)  # type: ignore[arg-type]
                    api_full.append((time.perf_counter() - t0) * 1000)
                    t0 = time.perf_counter()
                    gradio.predict(q, None, api_name="/ask")
                    gradio_full.append((time.perf_counter() - t0) * 1000)
    med = {k: round(statistics.median(v), 1) for k, v in
           {"api_first_token": first_token, "api_complete": api_full, "gradio_ask_complete": gradio_full}.items()}
    print(json.dumps({"questions": len(questions), "rounds": args.rounds, "median_ms": med,
                      "ratio_first_token_vs_gradio_ask": round(med["api_first_token"] / med["gradio_ask_complete"], 2),
                      "ratio_api_complete_vs_gradio_ask": round(med["api_complete"] / med["gradio_ask_complete"], 2)},
                     indent=1))


if __name__ == "__main__":
    main()
