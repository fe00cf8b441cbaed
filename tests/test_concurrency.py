"""The chat server keeps answering while another process ingests into the same data folder, and
sees the new documents afterwards without a restart."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from gradio_client import Client

from benchmarks.serve_child import running_app
from kb import Settings
from kb.store.chroma import RECHECK_SECONDS

from .conftest import REPO, SEEDS, SMALL_SEEDS


def test_server_answers_during_and_after_an_ingest_in_another_process(seeded_settings: Settings,
                                                                      tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    for name in SMALL_SEEDS:
        shutil.copy(SEEDS / name, extra / f"copy-{name}")
    (extra / "lichen.md").write_text("# 考察报告\n\n青藏高原的冰川考察队发现了一种新的地衣。\n", encoding="utf-8")
    with running_app(tmp_path / "data", seed_from=seeded_settings.data_dir) as url:
        client = Client(url, verbose=False)
        env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data")}
        proc = subprocess.Popen([sys.executable, "-m", "kbcli.main", "ingest", str(extra)], cwd=REPO, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        answered = 0
        while proc.poll() is None:
            ans = client.predict("How many performers did the union strike of July 2023 represent?", None,
                                 api_name="/ask")
            assert "16万" in ans["answer"], ans
            answered += 1
        out = proc.stdout.read() if proc.stdout else ""
        assert proc.returncode == 0, out
        assert answered >= 2
        # The server reads the store's fingerprint at most every RECHECK_SECONDS: an answer asked
        # within that time of the previous one may still see the library as it was.
        time.sleep(2 * RECHECK_SECONDS)
        ans = client.predict("冰川考察队发现了什么？", None, api_name="/ask")
        assert "地衣" in ans["answer"] and ans["citations"][0]["name"] == "lichen.md"
