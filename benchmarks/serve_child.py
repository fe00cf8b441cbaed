"""Run `kb serve` (or another server) in a child process on a free loopback port until a block ends.

A harness, not product code: the benchmarks use it, and so do the tests (``from benchmarks.serve_child
import running_app``). It lives here rather than in ``tests/`` because benchmarks must not import the
tests, while tests may use a benchmark helper (as they use ``benchmarks.scans``): one copy, no cycle.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]  # the checkout `kb serve` runs in


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_serving(url: str, proc: subprocess.Popen[Any], timeout: float, log: str) -> None:
    """Poll ``url`` until it answers 200; fail early, naming the log, if the process exits."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server process exited with {proc.returncode}: see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing answered on {url} within {timeout:g} s: see {log}")
        time.sleep(0.3)


@contextmanager
def serving(
    cmd: list[str], health_url: str, log_path: Path, timeout: float = 90, env: dict[str, str] | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server process until the block ends; its output goes to ``log_path``."""
    with log_path.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_serving(health_url, proc, timeout, str(log_path))
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def running_app(
    data_dir: Path, seed_from: Path | None = None, extra_env: dict[str, str] | None = None,
    pids: list[int] | None = None,
) -> Iterator[str]:
    """Yield the base URL of a `kb serve` whose data folder is ``data_dir`` (copied from ``seed_from``)."""
    if seed_from is not None:
        shutil.copytree(seed_from, data_dir)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update({"KB_DATA_DIR": str(data_dir), "KB_PORT": str(port), **(extra_env or {})})
    url = f"http://127.0.0.1:{port}/"
    with serving([sys.executable, "-m", "kbcli.main", "serve"], url, data_dir.parent / f"serve-{port}.log",
                 env=env) as proc:
        if pids is not None:
            pids.append(proc.pid)
        yield url
