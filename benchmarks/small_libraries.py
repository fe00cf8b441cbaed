"""Small libraries cut from the benchmarks, so the refusal models see libraries of one to five articles.

Why: every benchmark library holds hundreds of articles, and features that read the library at
large (how rare a question's words are in it, how far a passage stands out from the candidates)
take other values in a library of a few documents, which is where a new user starts. Each small
library here is a handful of one benchmark's dev articles; its questions are theirs (answerable)
and questions about other articles of the same benchmark (whose topic is then absent). They are
fitted on like any set ("small", each library a group of the cross-validation folds).

    .venv/bin/python benchmarks/small_libraries.py --out data/bench/small    # (fit_weights does this)
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

SIZES = (1, 1, 2, 3, 5)  # articles per library: five libraries per benchmark
ANSWERABLE_PER_LIBRARY = 30  # at most (an XQuAD article has about 50 questions in its two languages)
ABSENT_PER_LIBRARY = 6  # questions about articles the library lacks
SOURCES = ("xquad", "cmrc2018", "drcd")


@dataclass(frozen=True)
class SmallLibrary:
    name: str  # "<benchmark>-<index>-<articles>", e.g. "cmrc2018-3-3"
    corpus: Path
    questions: Path


def make(bench: Path, out: Path, seed: int = 7) -> list[SmallLibrary]:
    """Write (or re-use) every small library's corpus and questions under ``out``."""
    made = []
    for source in SOURCES:
        rows = [json.loads(line) for line in (bench / source / "dev.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
        by_doc: dict[str, list[dict]] = {}
        for r in rows:
            if r.get("doc"):
                by_doc.setdefault(r["doc"], []).append(r)
        rng = random.Random(f"{seed}:{source}")
        docs = sorted(by_doc)
        rng.shuffle(docs)
        start = 0
        for size in SIZES:
            chosen, start = docs[start:start + size], start + size
            others = [r for d in docs[start:] for r in by_doc[d]]
            absent = [dict(r, id=f"{r['id']}-absent", kind="unanswerable", doc=None, evidence=[], answer_keywords=[])
                      for r in rng.sample(others, ABSENT_PER_LIBRARY)]
            name = f"{source}-{len(made) % len(SIZES)}-{size}"
            lib = SmallLibrary(name, out / name / "corpus", out / name / "dev.jsonl")
            answerable = [r for d in chosen for r in by_doc[d]]
            asked = rng.sample(answerable, min(ANSWERABLE_PER_LIBRARY, len(answerable))) + absent
            if not lib.questions.exists():
                lib.corpus.mkdir(parents=True, exist_ok=True)
                for d in chosen:
                    shutil.copy(bench / source / "corpus" / d, lib.corpus / d)
                lib.questions.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in asked),
                                         encoding="utf-8")
            made.append(lib)
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "bench")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "bench" / "small")
    args = ap.parse_args()
    for lib in make(args.bench, args.out):
        n = sum(1 for _ in lib.questions.open(encoding="utf-8"))
        print(f"{lib.name}: {len(list(lib.corpus.iterdir()))} articles, {n} questions")


if __name__ == "__main__":
    main()
