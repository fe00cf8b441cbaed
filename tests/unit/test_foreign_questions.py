"""The benchmarks' questions asked of another library as topics it lacks (benchmarks/foreign_questions.py)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.foreign_questions import SOURCES, foreign, write


def _bench(root: Path) -> Path:
    for source, lang in SOURCES:
        rows = [
            {"id": f"{source}-{lang}-1", "question": "Who painted the Mona Lisa?", "lang": lang, "kind": "fact",
             "doc": "a.md", "evidence": ["x"], "answer_keywords": ["Leonardo"]},
            {"id": f"{source}-{lang}-2", "question": "谁发明了电话？", "lang": lang, "kind": "fact",
             "doc": "b.md", "evidence": ["y"], "answer_keywords": ["贝尔"]},
            {"id": f"{source}-{lang}-3", "question": "How many moons has Mars?", "lang": lang, "kind": "fact",
             "doc": "c.md", "evidence": ["z"], "answer_keywords": ["2"]},
        ]
        (root / source).mkdir(parents=True, exist_ok=True)
        with (root / source / "dev.jsonl").open("a", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return root


def test_a_question_whose_answer_the_library_holds_is_left_out(tmp_path: Path) -> None:
    corpus = tmp_path / "library"
    corpus.mkdir()
    # "贝尔" (Bell) is in the library, so it may answer question 2; a bare number ("2") says nothing
    (corpus / "notes.md").write_text("# Notes\n\n贝尔实验室在1925年成立。Mars has 2 moons, it says here.\n",
                                     encoding="utf-8")
    got = foreign(_bench(tmp_path / "bench"), corpus)
    ids = {r["id"] for r in got}
    assert not any(str(i).endswith("-2") for i in ids)
    assert {f"foreign-{s}-{lang}-{n}" for s, lang in SOURCES for n in (1, 3)} <= ids
    assert {r["kind"] for r in got} == {"absent_topic"}
    assert all(r["doc"] is None and r["answer_keywords"] == [] for r in got)


def test_the_questions_are_written_once_and_read_back_alike(tmp_path: Path) -> None:
    corpus = tmp_path / "library"
    corpus.mkdir()
    (corpus / "a.md").write_text("# A\n\nNothing about paintings.\n", encoding="utf-8")
    bench = _bench(tmp_path / "bench")
    path = write(bench, corpus, tmp_path / "out")
    first = path.read_text(encoding="utf-8")
    assert len(first.splitlines()) == 3 * len(SOURCES)
    assert write(bench, corpus, tmp_path / "out").read_text(encoding="utf-8") == first
