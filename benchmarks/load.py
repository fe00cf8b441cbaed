"""Load: N concurrent gradio_client sessions asking mixed Chinese and English questions for a fixed
time while another process ingests into the same data folder. Prints JSON: requests, errors,
answers whose citations do not belong to the question asked, p50/p95 latency, the server's peak
memory. Loopback only; bounded in time.

    PYTHONPATH=. .venv/bin/python benchmarks/load.py [--sessions 16] [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from gradio_client import Client

from benchmarks.serve_child import running_app  # run from the repo root with PYTHONPATH=.
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings

# (question, the document its first citation must come from, a string the answer must hold)
QUESTIONS = [  # noqa: E501
    ("德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？", "seeds/000_dd79d8dfbe91c922.txt", "3%"),
    ("How many performers did the union strike of July 2023 represent?", "seeds/001_d087a9b4bca2ef81.txt", "16万"),
    ("生成对抗网络由哪两个部分构成？", "seeds/003_c3fa23c84cad2f17.txt", "判别器"),
    ("Which AI video tools is Andrew Ng optimistic about?", "seeds/004_1fae406766ceb434.txt", "Veo"),
    ("Samir的公司会不会主张拥有创作者在其平台上所创作作品的所有权？", "seeds/002_fffc4b9c5afbf66f.txt", "所有权"),
]


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--ingest", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus" / "general"))
    args = ap.parse_args()
    latencies: list[float] = []
    errors: list[str] = []
    mixed: list[str] = []
    lock = threading.Lock()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        ingest_paths(KnowledgeBase(Settings(data_dir=data)), ["seeds"])
        pids: list[int] = []
        with running_app(data, pids=pids) as url:
            env = {**os.environ, "KB_DATA_DIR": str(data)}
            ingest = subprocess.Popen([sys.executable, "-m", "kbcli.main", "ingest", args.ingest], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + args.seconds

            def session(i: int) -> None:
                rng = random.Random(i)
                client = Client(url, verbose=False)
                while time.monotonic() < deadline:
                    q, doc, must = rng.choice(QUESTIONS)
                    t = time.perf_counter()
                    try:
                        ans = client.predict(q, None, api_name="/ask")
                    except Exception as exc:  # noqa: BLE001 - counted and reported
                        with lock:
                            errors.append(f"{type(exc).__name__}: {exc}"[:200])
                        continue
                    elapsed = (time.perf_counter() - t) * 1000
                    ok = bool(ans["citations"]) and ans["citations"][0]["doc_id"] == doc and must in ans["answer"]
                    with lock:
                        latencies.append(elapsed)
                        if not ok:
                            mixed.append(q[:30])

            threads = [threading.Thread(target=session, args=(i,)) for i in range(args.sessions)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            ingest_rc = ingest.wait(timeout=600)
            peak = peak_rss_mb(pids[0])
    lat = sorted(latencies)
    print(json.dumps({
        "sessions": args.sessions, "seconds": args.seconds, "requests_completed": len(lat),
        "errors": len(errors), "error_examples": errors[:3], "answers_not_matching_their_question": len(mixed),
        "latency_ms_p50": round(statistics.median(lat), 1) if lat else None,
        "latency_ms_p95": round(lat[int(0.95 * (len(lat) - 1))], 1) if lat else None,
        "server_peak_rss_mb": peak, "concurrent_ingest_exit_code": ingest_rc,
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
