"""Documents read as they are laid out: before (the code at main) and after (this tree), per format.

Builds documents with known structure and facts (``layout_docs``/``layout_writers``): a long
Chinese PDF of articles with running headers, "第 N 页" footers and ruled tables; company reports
with a revenue table in both languages as DOCX, PDF and XLSX (several companies per format, same
columns, so a row without its context matches every company's table); a justified English PDF
with hyphenated line ends and abbreviations. Each code tree ingests them in its own process and
data folder; then prints, per format:

- chunks spanning two sections (a chunk holding sentences of two sections) and chunks whose text
  holds a heading line (the heading glued to the text);
- chunks with page furniture (running header or footer, page number);
- chunks with a split number (a known number present only once spaces and line ends are removed);
- sentences cut at an abbreviation ("Dr." ending a sentence), chunks with runs of spaces, words
  split at a hyphen;
- table-cell questions answered with the right row (asked through ``KnowledgeBase.answer``; right
  when the answer holds the value and a citation of the right document quotes the row's label
  and value);
- ingest time of the PDFs, old and new runs alternating, medians (model loaded before timing).

    .venv/bin/python benchmarks/bench_layout.py                 # main from `git archive main`
    .venv/bin/python benchmarks/bench_layout.py --old /path/to/main/tree --rounds 3
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def build(folder: Path, seed: int = 7, companies: int = 4, articles: int = 60) -> list[dict[str, Any]]:
    """Write every document into ``folder``; return their specs (sections, numbers, questions)."""
    sys.path.insert(0, str(REPO))
    from benchmarks.layout_docs import company_names, make_report, report_doc
    from benchmarks.layout_writers import write_docx, write_en_justified, write_report_pdf, write_xlsx, write_zh_book

    rng = random.Random(seed)
    docs = [write_zh_book(folder / "中华百科全书_第二卷.pdf", rng, articles),
            write_en_justified(folder / "green_valley_field_report.pdf", rng)]
    for lang in ("en", "zh"):
        names = iter(company_names(lang, companies * 3, rng))
        for fmt in ("DOCX", "PDF", "XLSX"):
            for i in range(companies):
                rep = make_report(next(names), lang, rng)
                stem = rep.company.replace(" ", "_") + ("_report" if fmt != "XLSX" else "_revenue")
                path = folder / f"{stem}.{fmt.lower()}"
                doc = report_doc(rep, path.name, f"{fmt} report {lang}", rng, 3)
                if fmt == "DOCX":
                    doc.sections = write_docx(rep, path, rng)
                elif fmt == "PDF":
                    doc.sections, doc.furniture = write_report_pdf(rep, path, rng)
                else:
                    write_xlsx(rep, path, titled=i % 2 == 0)
                    doc.sections = []
                docs.append(doc)
    return [asdict(d) for d in docs]


# ---- measured inside a process whose sys.path starts with the code tree under test ----------

def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


_ABBREV_END_RE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof|Fig|No|e\.g|i\.e|U\.S)\.$")
_FURNITURE_RE = re.compile(r"第\d+页|Page\d+(?:of\d+)?")
_DASH_NUMBER_RE = re.compile(r"(?:^|\n)\s*[-–—]\s*\d+\s*[-–—]\s*(?:$|\n)")


def _chunk_figures(doc: dict[str, Any], texts: list[str], split_sentences: Any) -> dict[str, int]:
    markers = []
    for sid, (_, sents) in enumerate(doc["sections"]):
        for s in sents:
            markers.append((sid, _squash(s)[:24]))
    counts = {m: sum(1 for _, mm in markers if mm == m) for _, m in markers}
    markers = [(sid, m) for sid, m in markers if counts[m] == 1 and len(m) >= 12]
    heads = {h.strip() for h, _ in doc["sections"] if h.strip()}
    furniture = [_squash(f) for f in doc["furniture"]]
    numbers = sorted(set(doc["numbers"]))
    out = dict(chunks=len(texts), spanning=0, heading_in_text=0, furniture=0, split_numbers=0,
               abbreviation_cuts=0, space_runs=0, hyphen_splits=0)
    for text in texts:
        sq = _squash(text)
        if len({sid for sid, m in markers if m in sq}) > 1:
            out["spanning"] += 1
        if any(line.strip() in heads for line in text.split("\n")) or any(
                text.startswith(h + "\n") for h in heads):
            out["heading_in_text"] += 1
        if any(f in sq for f in furniture) or _FURNITURE_RE.search(sq) or _DASH_NUMBER_RE.search(text):
            out["furniture"] += 1
        if any(n not in text and n in sq for n in numbers):
            out["split_numbers"] += 1
        out["abbreviation_cuts"] += sum(1 for b, e in split_sentences(text) if _ABBREV_END_RE.search(text[b:e]))
        out["space_runs"] += "  " in text
        out["hyphen_splits"] += bool(re.search(r"[a-z]-\s+[a-z]", text))
    return out


def measure(code: Path, folder: Path, specs: Path) -> dict[str, Any]:
    sys.path.insert(0, str(code))
    from ingest.pipeline import ingest_paths
    from kb import KnowledgeBase, Settings
    from kb.text import split_sentences

    docs = json.loads(specs.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(Settings(data_dir=Path(tmp) / "data"))
        report = ingest_paths(kb, [folder])
        failed = [o.path for o in report.outcomes if o.status == "failed"]
        by_file = {Path(d.file).name: d.doc_id for d in kb.documents()}
        texts: dict[str, list[str]] = {}
        for doc_id, text in _stored_texts(kb.store):
            texts.setdefault(doc_id, []).append(text)
        kinds: dict[str, dict[str, Any]] = {}
        for doc in docs:
            fig = _chunk_figures(doc, texts.get(by_file.get(doc["file"], ""), []), split_sentences)
            k = kinds.setdefault(doc["kind"], {"questions": 0, "right": 0, "docs": 0})
            k["docs"] += 1
            for key, value in fig.items():
                k[key] = k.get(key, 0) + value
            for q in doc["questions"]:
                k["questions"] += 1
                answer = kb.answer(q["question"])
                right = _right_row(answer, q, by_file)
                k["right"] += right
                if not right:
                    k.setdefault("wrong", []).append([q["question"], q["value"], answer.text[:200]])
        return {"kinds": kinds, "failed": failed}


def _stored_texts(store: Any) -> list[tuple[str, str]]:
    """(doc id, text) of every stored chunk, from the store of either code tree (``scan`` since the
    typed chunk records, ``all_chunks`` before)."""
    import inspect

    if hasattr(store, "scan") and "vectors" not in inspect.signature(store.scan).parameters:
        return [(c.meta.doc_id, c.text) for c in store.scan()]
    if hasattr(store, "scan"):  # parallel lists, before the typed records
        _, texts, metas, _ = store.scan(False)
        return [(str(meta["doc_id"]), text) for text, meta in zip(texts, metas, strict=True)]
    return [(str(meta["doc_id"]), text) for _, text, meta in store.all_chunks()]


def _right_row(answer: Any, q: dict[str, Any], by_file: dict[str, str]) -> bool:
    if answer.refused or q["value"] not in answer.text:
        return False
    want = by_file.get(q["doc"])
    return any(c.doc_id == want and any(q["row"] in h and q["value"] in h for h in c.highlights)
               for c in answer.citations)


def time_ingest(code: Path, files: list[Path]) -> float:
    sys.path.insert(0, str(code))
    from ingest.pipeline import ingest_paths
    from kb import KnowledgeBase, Settings

    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(Settings(data_dir=Path(tmp) / "data"))
        kb.embedder.get_text_embedding_batch(["warm up the model", "预热模型"])
        started = time.perf_counter()
        report = ingest_paths(kb, files)
        assert not report.failed, report.to_dict()
        return time.perf_counter() - started


# ---- the orchestrating process -------------------------------------------------------------

def _run(code: Path, *args: str) -> Any:
    out = subprocess.run([sys.executable, __file__, "--code", str(code), *args], capture_output=True, text=True,
                         cwd=str(code), check=False)
    if out.returncode != 0:
        raise SystemExit(f"{code}: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _old_tree(arg: Path | None, tmp: Path) -> Path:
    if arg:
        return arg
    dest = tmp / "main"
    dest.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "main"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


_COLUMNS = ("chunks", "spanning", "heading_in_text", "furniture", "split_numbers", "abbreviation_cuts",
            "space_runs", "hyphen_splits")


def _print(old: dict[str, Any], new: dict[str, Any]) -> None:
    head = ["format", *_COLUMNS, "table rows right"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for kind in new["kinds"]:
        o, n = old["kinds"].get(kind, {}), new["kinds"][kind]
        cells = [f"{o.get(c, '-')} → {n.get(c, '-')}" for c in _COLUMNS]
        q = n["questions"]
        right = f"{o.get('right', 0)}/{q} → {n['right']}/{q}" if q else "-"
        print(f"| {kind} | " + " | ".join(cells) + f" | {right} |")
    for name, res in (("old", old), ("new", new)):
        if res["failed"]:
            print(f"{name}: failed files {res['failed']}")
    for kind, n in new["kinds"].items():
        for question, value, text in n.get("wrong", []):
            print(f"new, {kind}, not the right row: {question} (want {value}) -> {text}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, help="a tree of the code to compare with (default: `git archive main`)")
    ap.add_argument("--rounds", type=int, default=3, help="timed ingests of the PDFs per tree (alternating)")
    ap.add_argument("--articles", type=int, default=60, help="articles in the Chinese PDF")
    ap.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--time", nargs="+", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.code and args.measure:
        print(json.dumps(measure(args.code, *args.measure)))
        return
    if args.code and args.time:
        print(json.dumps(time_ingest(args.code, args.time)))
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "docs"
        folder.mkdir()
        specs = tmp / "specs.json"
        specs.write_text(json.dumps(build(folder, articles=args.articles), ensure_ascii=False), encoding="utf-8")
        old_tree = _old_tree(args.old, tmp)
        old = _run(old_tree, "--measure", str(folder), str(specs))
        new = _run(REPO, "--measure", str(folder), str(specs))
        _print(old, new)
        pdfs = sorted(str(p) for p in folder.glob("*.pdf"))
        times: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(args.rounds):
            times["old"].append(_run(old_tree, "--time", *pdfs))
            times["new"].append(_run(REPO, "--time", *pdfs))
        o, n = statistics.median(times["old"]), statistics.median(times["new"])
        print(f"\ningest of the {len(pdfs)} PDFs, median of {args.rounds} (alternating): old {o:.2f} s, new {n:.2f} s, "
              f"ratio {n / o:.2f}  (old {[round(t, 2) for t in times['old']]}, new {[round(t, 2) for t in times['new']]})")


if __name__ == "__main__":
    main()
