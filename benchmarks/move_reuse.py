"""What a move costs: ingest a copy of seeds/, move the folder, `ingest --prune` the new place.

Prints the chunks embedded and the time of each run (median of ``--rounds``), and the ratio of
the move to the first ingest. Run: ``.venv/bin/python benchmarks/move_reuse.py``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.pipeline import ingest_paths  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402


def one_round() -> tuple[float, int, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        first_place = root / "projA" / "seeds"
        shutil.copytree(REPO / "seeds", first_place)
        kb = KnowledgeBase(Settings(data_dir=root / "data"))
        kb.warm_up()
        t = time.perf_counter()
        first = ingest_paths(kb, [first_place])
        t_first = time.perf_counter() - t
        moved_place = root / "archive" / "2026" / "seeds"
        moved_place.parent.mkdir(parents=True)
        shutil.move(first_place, moved_place)
        t = time.perf_counter()
        moved = ingest_paths(kb, [moved_place, first_place.parent], prune=True)
        t_moved = time.perf_counter() - t
        assert moved.count("moved") == 5 and len(kb.documents()) == 5, moved.to_dict()
        return t_first, first.to_dict()["chunks_embedded"], t_moved, moved.to_dict()["chunks_embedded"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    rounds = [one_round() for _ in range(ap.parse_args().rounds)]
    first = statistics.median(r[0] for r in rounds)
    moved = statistics.median(r[2] for r in rounds)
    print(f"first ingest: {first:.2f} s, {rounds[0][1]} chunks embedded")
    print(f"after moving the folder, ingest --prune: {moved:.2f} s, {rounds[0][3]} chunks embedded")
    print(f"ratio move / first: {moved / first:.3f} (median of {len(rounds)} rounds)")


if __name__ == "__main__":
    main()
