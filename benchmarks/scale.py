"""How query latency, memory and disk grow with the corpus: 1k, 10k, 100k chunks, embedded and
(with --server) against a `chroma run` server. Prints JSON.

Chunks past the seeds are synthesised, not embedded: copies of the real seed chunks, each text
tagged with its copy number and each vector perturbed with Gaussian noise (sigma 0.02) and
re-normalised, written through the store's normal write path (``ChunkStore.put_document``).

    .venv/bin/python benchmarks/scale.py [--sizes 1000 10000 100000] [--server]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings
from kb.records import Chunk, DocumentInfo, StoredChunk

DEV = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval" / "dev.jsonl"


def _rss_mb(pid: str | int = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _du_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def _grow(kb: KnowledgeBase, base: list[tuple[StoredChunk, dict[str, np.ndarray]]], target: int,
          rng: np.random.Generator, copy_no: int) -> int:
    while kb.store.count() < target:
        copy_no += 1
        doc_id = f"synthetic/{copy_no:05d}"
        chunks: list[Chunk] = []
        vectors: dict[str, list[list[float]]] = {name: [] for name in kb.store.collections}
        for i, (c, vecs) in enumerate(base):
            m = c.meta
            chunks.append(Chunk(doc_id, i, f"{c.text}（副本 {copy_no}）", m.lang, m.start, m.end, m.page, m.section))
            for name, vec in vecs.items():
                v = vec + rng.normal(0, 0.02, len(vec))
                vectors[name].append((v / np.linalg.norm(v)).tolist())
        need = target - kb.store.count()
        chunks = chunks[:need]
        info = DocumentInfo(doc_id, f"/synthetic/{copy_no}.txt", f"副本 {copy_no}", "zh", None, len(chunks),
                            f"synthetic-{copy_no}", "2026-01-01T00:00:00+00:00")
        kb.store.put_document(info, chunks, {name: v[:need] for name, v in vectors.items()},
                              [f"synthetic-{copy_no}-{i}" for i in range(len(chunks))])
    return copy_no


def _measure(kb: KnowledgeBase, questions: list[str]) -> dict[str, float]:
    t = time.perf_counter()
    kb.warm_up()  # rebuilds the BM25 index from Chroma for the new size
    build = time.perf_counter() - t
    embed, search, full = [], [], []
    for _ in range(2):
        for q in questions:
            t = time.perf_counter()
            kb.embedder.get_query_embedding(q)
            embed.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            kb.search(q)
            search.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            kb.answer(q)
            full.append((time.perf_counter() - t) * 1000)

    def p(values: list[float], q: float) -> float:
        v = sorted(values)
        return round(v[int(q * (len(v) - 1))], 1)

    return {"query_embedding_ms_p50": round(statistics.median(embed), 1),
            "retrieval_ms_p50": round(statistics.median(search), 1), "retrieval_ms_p95": p(search, 0.95),
            "answer_ms_p50": round(statistics.median(full), 1), "answer_ms_p95": p(full, 0.95),
            "index_rebuild_s": round(build, 2)}


def run(mode: str, sizes: list[int], tmp: Path) -> list[dict]:
    server = None
    settings = Settings(data_dir=tmp / mode / "data")
    if mode == "server":
        port = 18765
        server = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(tmp / "srv"),
                                   "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        settings = replace_settings(settings, chroma_url=f"http://127.0.0.1:{port}")
    try:
        kb = KnowledgeBase(settings)
        ingest_paths(kb, [Path(__file__).resolve().parents[1] / "seeds"])
        stored = kb.store.scan()
        vecs = {name: kb.store.vectors_of(name, [c.chunk_id for c in stored]) for name in kb.store.collections}
        base = [(c, {name: v[c.chunk_id] for name, v in vecs.items()}) for c in stored]
        questions = [json.loads(line)["question"] for line in DEV.read_text(encoding="utf-8").splitlines()]
        rng = np.random.default_rng(0)
        rows, copy_no = [], 0
        for size in sizes:
            t = time.perf_counter()
            copy_no = _grow(kb, base, size, rng, copy_no)
            row = {"mode": mode, "chunks": kb.store.count(), "write_s": round(time.perf_counter() - t, 1)}
            row.update(_measure(kb, questions))
            row["client_peak_rss_mb"] = _rss_mb()
            if server is not None:
                row["server_peak_rss_mb"] = _rss_mb(server.pid)
                row["disk_mb_per_1k_chunks"] = round(_du_mb(tmp / "srv") / (row["chunks"] / 1000), 2)
            else:
                row["disk_mb_per_1k_chunks"] = round(_du_mb(settings.chroma_dir) / (row["chunks"] / 1000), 2)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        return rows
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)


def replace_settings(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update=changes)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--server", action="store_true", help="also measure against a `chroma run` server")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = run("embedded", args.sizes, Path(tmp))
        if args.server:
            rows += run("server", args.sizes, Path(tmp))
    first = {r["mode"]: r for r in reversed(rows)}
    for r in rows:
        r["retrieval_p95_vs_smallest"] = round(r["retrieval_ms_p95"] / first[r["mode"]]["retrieval_ms_p95"], 2)
    print(json.dumps({"synthesis": "seed chunks copied with a copy tag; vectors + N(0, 0.02), re-normalised; "
                      "written via ChunkStore.put_document", "rows": rows}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
