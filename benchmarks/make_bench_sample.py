"""Vendor a small, stratified sample of the public QA benchmarks into ``tests/data/bench`` for CI.

    .venv/bin/python benchmarks/make_bench_sample.py [--bench ../shared/bench] [--seed 7]

For each set: a few articles drawn at random (their documents, unchanged, and their dev
questions, sampled so each kind and language keeps its share) plus questions about articles the
library leaves out (the right answer is a refusal). Small enough to ingest and answer in CI in
well under three minutes; the full dev splits are for ``benchmarks/bench_qa.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "data" / "bench"
# articles, answerable questions, unanswerable questions per set
PLAN = {"xquad": (6, 120, 16), "cmrc2018": (36, 80, 12), "drcd": (18, 80, 12)}

README = """# Benchmark sample for CI

A stratified sample of three public reading-comprehension sets, made by
`benchmarks/make_bench_sample.py` from the dev question splits in `../shared/bench` (seed {seed}).
Each folder holds `corpus/` (Wikipedia articles as Markdown, their paragraphs unchanged) and
`questions.jsonl` (`kb eval` format). `tests/test_bench_sample.py` ingests each library and
checks quality floors on these questions, and on the DRCD and CMRC 2018 questions converted to
the other Chinese script.

| set | articles | questions |
|---|---|---|
{rows}

Sources and licences (share-alike; anything built from these files carries the same licence):
- XQuAD, google-deepmind/xquad: CC BY-SA 4.0. Artetxe, Ruder and Yogatama, "On the Cross-lingual
  Transferability of Monolingual Representations", 2019.
- CMRC 2018, ymcui/cmrc2018: CC BY-SA 4.0. Cui et al., "A Span-Extraction Dataset for Chinese
  Machine Reading Comprehension", EMNLP 2019.
- DRCD, DRCKnowledgeTeam/DRCD: CC BY-SA 3.0, compiled from Wikipedia by Delta Electronics. Shao et
  al., "DRCD: a Chinese Machine Reading Comprehension Dataset", 2018.
"""


def sample_set(bench: Path, name: str, seed: int) -> tuple[int, int]:
    n_articles, n_answerable, n_unanswerable = PLAN[name]
    rng = random.Random(f"{seed}:{name}")
    questions = [json.loads(line) for line in (bench / name / "dev.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for q in questions:
        if q["doc"]:
            by_doc[q["doc"]].append(q)
    docs = sorted(by_doc)
    if name == "xquad":  # half the articles in each language, so both directions are asked
        en = [d for d in docs if d.endswith(".en.md")]
        zh = [d for d in docs if not d.endswith(".en.md")]
        chosen = rng.sample(en, n_articles // 2) + rng.sample(zh, n_articles // 2)
    else:
        chosen = rng.sample(docs, n_articles)
    pool = [q for d in chosen for q in by_doc[d]]
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for q in pool:
        groups[(q["kind"], q["lang"])].append(q)
    picked = []
    for key in sorted(groups):
        share = max(1, round(n_answerable * len(groups[key]) / len(pool)))
        picked += rng.sample(groups[key], min(share, len(groups[key])))
    unanswerable = [q for q in questions if q["kind"] == "unanswerable"]
    picked += rng.sample(unanswerable, min(n_unanswerable, len(unanswerable)))
    folder = OUT / name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "corpus").mkdir(parents=True)
    for d in chosen:
        shutil.copyfile(bench / name / "corpus" / d, folder / "corpus" / d)
    order = {q["id"]: i for i, q in enumerate(questions)}
    picked.sort(key=lambda q: order[q["id"]])
    (folder / "questions.jsonl").write_text(
        "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in picked), encoding="utf-8")
    return len(chosen), len(picked)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rows = []
    for name in PLAN:
        articles, questions = sample_set(args.bench, name, args.seed)
        rows.append(f"| {name} | {articles} | {questions} |")
        print(f"{name}: {articles} articles, {questions} questions")
    (OUT / "README.md").write_text(README.format(seed=args.seed, rows="\n".join(rows)), encoding="utf-8")


if __name__ == "__main__":
    main()
