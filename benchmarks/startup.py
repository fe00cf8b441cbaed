"""Cold start-up of the `kb` command: `kb --help` and `kb ask` on the seeds, as separate processes.

Each run is a new interpreter (what a user or a script pays); the figure is the median of
``--runs``. A bare ``python -c pass`` is measured in the same run, so the ratios hold on a
faster or slower machine. The seeds are ingested first into ``--data`` (re-used when unchanged).

    .venv/bin/python benchmarks/startup.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    res = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {res.stderr[-500:]}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--data", type=Path, default=REPO / "data" / "startup")
    args = ap.parse_args()
    env = {**os.environ, "KB_DATA_DIR": str(args.data)}
    kb = [sys.executable, "-m", "kbcli.main"]
    subprocess.run([*kb, "ingest", str(REPO / "seeds")], cwd=REPO, env=env, capture_output=True, check=True)
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "kb --help": [*kb, "--help"],
        "kb ask (seeds, zh)": [*kb, "ask", "德勤预测制作预算的多少用于生成式AI？"],
        "kb ask (seeds, en)": [*kb, "ask", "How many performers did the union strike represent?"],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):  # interleaved, so a busy moment hits every case alike
        for name, cmd in cases.items():
            times[name].append(_timed(cmd, env))
    base = statistics.median(times["python -c pass"])
    print(f"| command | median of {args.runs} (s) | ratio to `python -c pass` |")
    print("|---|---|---|")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"| {name} | {med:.2f} | {med / base:.1f} |")


if __name__ == "__main__":
    main()
