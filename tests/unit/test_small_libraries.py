"""The small libraries the refusal models are fitted on (benchmarks/small_libraries.py), on a made-up bench."""

import json
from pathlib import Path

from benchmarks.small_libraries import SIZES, SOURCES, make


def _bench(root: Path) -> Path:
    for source in SOURCES:
        (root / source / "corpus").mkdir(parents=True)
        rows = []
        for d in range(20):
            doc = f"{d:03}_doc.md"
            (root / source / "corpus" / doc).write_text(f"# Doc {d}\n\nText {d}.\n", encoding="utf-8")
            rows += [{"id": f"{source}-{d}-{i}", "question": f"q{d}.{i}?", "lang": "zh", "kind": "fact", "doc": doc,
                      "evidence": [f"Text {d}"], "answer_keywords": [str(d)]} for i in range(3)]
        (root / source / "dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return root


def test_each_library_asks_about_its_own_articles_and_about_absent_ones(tmp_path: Path) -> None:
    libs = make(_bench(tmp_path / "bench"), tmp_path / "small")
    assert len(libs) == len(SOURCES) * len(SIZES)
    for lib, size in zip(libs, SIZES * len(SOURCES), strict=True):
        held = {p.name for p in lib.corpus.iterdir()}
        asked = [json.loads(line) for line in lib.questions.read_text(encoding="utf-8").splitlines()]
        assert len(held) == size
        assert {q["doc"] for q in asked if q["kind"] == "fact"} <= held
        absent = [q for q in asked if q["kind"] == "unanswerable"]
        assert absent and all(q["doc"] is None and q["id"].endswith("-absent") for q in absent)
    again = make(tmp_path / "bench", tmp_path / "small")  # re-used, the same libraries
    assert [lib.questions.read_text() for lib in again] == [lib.questions.read_text() for lib in libs]
