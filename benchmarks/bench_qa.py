"""Every question set side by side: the public QA benchmarks, the seeds and `general/`, with baselines.

Each library is ingested once into its own data folder under ``--cache`` and re-used (re-ingesting
an unchanged library costs nothing); the baselines' figures are cached beside it, keyed by the
library's content and the question file. Script variants ask the same questions converted to the
other Chinese script (OpenCC), of the same library.

    .venv/bin/python benchmarks/bench_qa.py                      # all sets, all dev questions
    .venv/bin/python benchmarks/bench_qa.py --sets xquad --sample 300 --no-baselines
    make bench-qa

Prints one table (a row per set and group: overall, kind, language) and writes the figures as
JSON (``--json``) and every question's outcome to ``<cache>/<set>.details.jsonl``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evals.baselines import bm25_alone, llama_index_stock  # noqa: E402
from evals.questions import Question, load_questions, stratified_sample  # noqa: E402
from evals.run import evaluate, evaluate_retriever, report  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402

SHARED = REPO.parent / "shared"


@dataclass(frozen=True)
class QASet:
    name: str
    library: str  # data folder name under the cache (variants share their library's)
    corpus: Path
    questions: Path
    convert: str | None = None  # OpenCC conversion applied to the questions ("t2s", "s2t")
    fit: bool = True  # script variants repeat their set's questions: measured, not fitted on


def sets(bench: Path) -> list[QASet]:
    return [
        QASet("seeds", "seeds", REPO / "seeds", REPO / "tests" / "data" / "eval" / "dev.jsonl"),
        QASet("general", "general", SHARED / "corpus" / "general", REPO / "tests" / "data" / "eval" / "general_own.jsonl"),
        # Our own absent topics and absent facts (measured only: never fitted on)
        QASet("seeds-absent", "seeds", REPO / "seeds", REPO / "tests" / "data" / "eval" / "seeds_absent.jsonl", None, False),
        QASet("general-absent", "general", SHARED / "corpus" / "general",
              REPO / "tests" / "data" / "eval" / "general_absent.jsonl", None, False),
        # 40 everyday questions on other subjects (20 English, 20 Chinese), written before the fit that
        # first took questions of topics these libraries lack (measured only)
        QASet("seeds-everyday", "seeds", REPO / "seeds", REPO / "tests" / "data" / "eval" / "everyday_absent.jsonl",
              None, False),
        QASet("general-everyday", "general", SHARED / "corpus" / "general",
              REPO / "tests" / "data" / "eval" / "everyday_absent.jsonl", None, False),
        # Short questions naming one thing ("What is Sora?", "张丽花是谁？"), as readers type them and no
        # benchmark asks them; written after "What is Sora?" was seen refused (measured only)
        QASet("seeds-short", "seeds", REPO / "seeds", REPO / "tests" / "data" / "eval" / "short_seeds.jsonl", None, False),
        QASet("general-short", "general", SHARED / "corpus" / "general",
              REPO / "tests" / "data" / "eval" / "short_general.jsonl", None, False),
        # The benchmarks' questions asked of the seeds and `general/`: topics they lack (measured only)
        *foreign_sets(bench),
        QASet("xquad", "xquad", bench / "xquad" / "corpus", bench / "xquad" / "dev.jsonl"),
        QASet("cmrc2018", "cmrc2018", bench / "cmrc2018" / "corpus", bench / "cmrc2018" / "dev.jsonl"),
        QASet("cmrc2018-hant", "cmrc2018", bench / "cmrc2018" / "corpus", bench / "cmrc2018" / "dev.jsonl", "s2t", False),
        QASet("drcd", "drcd", bench / "drcd" / "corpus", bench / "drcd" / "dev.jsonl"),
        QASet("drcd-hans", "drcd", bench / "drcd" / "corpus", bench / "drcd" / "dev.jsonl", "t2s", False),
        # English questions with two letters swapped in up to two long words, as typed in a hurry
        QASet("seeds-typos", "seeds", REPO / "seeds", REPO / "tests" / "data" / "eval" / "dev.jsonl", "typos", False),
        QASet("xquad-typos", "xquad", bench / "xquad" / "corpus", bench / "xquad" / "dev.jsonl", "typos", False),
    ]


def foreign_sets(bench: Path) -> list[QASet]:
    """``seeds-foreign`` and ``general-foreign`` (``benchmarks/foreign_questions.py``), written on first use."""
    import foreign_questions

    libraries = (("seeds", REPO / "seeds"), ("general", SHARED / "corpus" / "general"))
    if not all((bench / s / "dev.jsonl").exists() for s, _ in foreign_questions.SOURCES):
        return []
    return [QASet(f"{name}-foreign", name, corpus, foreign_questions.write(bench, corpus, REPO / "data" / "foreign"),
                  None, False) for name, corpus in libraries if corpus.exists()]


def converted(questions: list[Question], conversion: str | None) -> list[Question]:
    if not conversion:
        return questions
    if conversion == "typos":
        return [replace(q, question=with_typos(q.question, q.id), variant="typos") for q in questions if q.lang == "en"]
    import opencc

    cc = opencc.OpenCC(conversion)
    variant = {"t2s": "zh-Hans", "s2t": "zh-Hant"}[conversion]
    return [replace(q, question=cc.convert(q.question), variant=f"{variant} (converted)") for q in questions]


def with_typos(question: str, seed: str) -> str:
    """Two neighbouring different letters swapped inside each of up to two words of six letters or
    more, chosen by a hash of ``seed`` (the question's id): the same typos on every run. The word is
    changed where it stands whole, not inside a longer word."""
    rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())
    long_words = list(dict.fromkeys(re.findall(r"[A-Za-z]{6,}", question)))
    for word in rng.sample(long_words, min(2, len(long_words))):
        i = rng.randrange(1, len(word) - 2)
        # "committee" swapped at "tt" is no typo: take the next pair of different letters.
        while i < len(word) - 2 and word[i] == word[i + 1]:
            i += 1
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        question = re.sub(rf"(?<![A-Za-z]){word}(?![A-Za-z])", typo, question, count=1)
    return question


def _fingerprint(kb: KnowledgeBase, questions: Path, sample: int | None, seed: int) -> str:
    h = hashlib.sha256()
    for d in kb.documents():
        h.update(f"{d.doc_id}\0{d.content_hash}\n".encode())
    h.update(questions.read_bytes())
    h.update(f"{sample}:{seed}".encode())
    return h.hexdigest()[:16]


def run_set(qa: QASet, cache: Path, sample: int | None, seed: int, baselines: bool, k: int) -> dict[str, Any]:
    settings = Settings(data_dir=cache / qa.library)
    kb = KnowledgeBase(settings)
    started = time.perf_counter()
    ingested = ingest_paths(kb, [qa.corpus])
    if ingested.failed:
        print(f"{qa.name}: {len(ingested.failed)} files failed to ingest", file=sys.stderr)
    ingest_s = time.perf_counter() - started
    questions = load_questions(qa.questions)
    if sample:
        questions = stratified_sample(questions, sample, seed)
    questions = converted(questions, qa.convert)
    outcomes = evaluate(kb, questions, k)
    result: dict[str, Any] = report(outcomes, k)
    result["ingest_seconds"] = round(ingest_s, 1)
    result["chunks"] = kb.store.count()
    with (cache / f"{qa.name}.details.jsonl").open("w", encoding="utf-8") as fh:
        for o in outcomes:
            fh.write(json.dumps(o.to_dict(), ensure_ascii=False) + "\n")
    if baselines:
        result["baselines"] = _baselines(kb, qa, questions, cache, k, _fingerprint(kb, qa.questions, sample, seed))
    return result


def _baselines(kb: KnowledgeBase, qa: QASet, questions: list[Question], cache: Path, k: int,
               key: str) -> dict[str, Any]:
    """The two baselines do not change with our code: their figures are cached per library and question set."""
    path = cache / f"{qa.name}.baselines.{key}.{k}.json"
    if path.exists():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    out = {
        "llama_index_stock": report(evaluate_retriever(llama_index_stock(kb), questions, k), k),
        "bm25_jieba": report(evaluate_retriever(bm25_alone(kb), questions, k), k),
    }
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return out


_COLUMNS = [("hit@{k}", "hit@{k}"), ("mrr@10", "MRR"), ("keyword_recall", "keywords"), ("citation_hit", "cited"),
            ("refusal_accuracy", "refusals"), ("false_refusal_rate", "false ref.")]


def _fmt(v: Any) -> str:
    return "-" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def table(results: dict[str, dict[str, Any]], k: int) -> str:
    """Markdown: a row per set and group; hit@k and MRR show ours / llama-index / BM25."""
    head = ["set", "group", "n"] + [label.format(k=k) for _, label in _COLUMNS] + ["p50 / p95 ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, res in results.items():
        base = res.get("baselines") or {}
        groups = {"overall": res, **{g: v for g, v in res["by_group"].items() if not g.startswith("source=")}}
        for group, row in groups.items():
            cells = [name, group.split("=")[-1] if group != "overall" else "all", str(row["questions"])]
            for key, _ in _COLUMNS:
                key = key.format(k=k)
                value = _fmt(row.get(key))
                if base and key in (f"hit@{k}", "mrr@10") and row.get(key) is not None:
                    others = [b if group == "overall" else b["by_group"].get(group, {}) for b in base.values()]
                    value += " / " + " / ".join(_fmt(o.get(key)) for o in others)
                cells.append(value)
            lat = row.get("latency_ms") or {}
            cells.append(f"{lat.get('p50', '-')} / {lat.get('p95', '-')}" if group == "overall" else "")
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=SHARED / "bench", help="folder of the benchmark libraries")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench", help="data folders, one per library")
    ap.add_argument("--sets", nargs="*", help="names of the sets to run (default: all that are present)")
    ap.add_argument("--sample", type=int, help="questions per set, stratified by kind and language")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--no-baselines", dest="baselines", action="store_false")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    chosen = [s for s in sets(args.bench) if not args.sets or s.name in args.sets]
    results: dict[str, dict[str, Any]] = {}
    for qa in chosen:
        if not qa.corpus.exists() or not qa.questions.exists():
            print(f"{qa.name}: skipped, {qa.corpus if not qa.corpus.exists() else qa.questions} is missing",
                  file=sys.stderr)
            continue
        started = time.perf_counter()
        results[qa.name] = run_set(qa, args.cache, args.sample, args.seed, args.baselines, args.k)
        print(f"{qa.name}: {results[qa.name]['questions']} questions in {time.perf_counter() - started:.0f} s",
              file=sys.stderr, flush=True)
    print(table(results, args.k))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
