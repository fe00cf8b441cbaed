"""Write ``kb/store/reference_vectors.npz``: the reference passages that steady a small library's scale.

Why a script: the vectors must come from the same encoders as a library's own, and be made again
whenever an encoder changes. They are read from an ingested XQuAD library (Wikipedia paragraphs, CC
BY-SA 4.0, 22 articles in English and 22 in Chinese), not embedded anew: ``BUNDLED_ROWS`` chunks per
language chosen by the hash of their id (a fixed, article-spread choice); for each further encoder
the first sentence of each chosen chunk. Stored as float16 (a few hundred kB).

    .venv/bin/python benchmarks/make_reference_vectors.py            # from data/bench/xquad
    .venv/bin/python benchmarks/make_reference_vectors.py --data data/bench/xquad
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kb import KnowledgeBase, Settings  # noqa: E402
from kb.store.dense import LANGS, by_hash  # noqa: E402
from kb.store.reference import BUNDLED_ROWS, REFERENCE_FILE, key  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO / "data" / "bench" / "xquad",
                    help="data folder of an ingested XQuAD library (benchmarks/bench_qa.py makes it)")
    ap.add_argument("--out", type=Path, default=REFERENCE_FILE)
    args = ap.parse_args()
    kb = KnowledgeBase(Settings(data_dir=args.data), create=False)
    view = kb.view.get()
    models = {vs.name: vs.model_id for vs in kb.store.vector_sets}
    out: dict[str, np.ndarray] = {}
    for lang in LANGS:
        ids = by_hash([c.chunk_id for c in view.chunks if c.meta.lang == lang])[:BUNDLED_ROWS]
        if len(ids) < BUNDLED_ROWS:
            raise SystemExit(f"{args.data}: only {len(ids)} {lang} chunks, {BUNDLED_ROWS} are needed")
        mat = view.dense.vectors(np.array([view.row_of[c] for c in ids]))
        out[key(models[view.dense.encoder], lang)] = mat.astype(np.float16)
        for name, index in view.sentences.items():
            rows = index.collection.rows(ids)
            first = {}
            for cid, pos, vec in zip(rows.chunk_ids, rows.positions, rows.matrix, strict=True):
                if cid not in first or pos < first[cid][0]:
                    first[cid] = (pos, vec)
            out[key(models[name], lang)] = np.array([first[c][1] for c in ids if c in first], np.float16)
    np.savez_compressed(args.out, **out)
    for k, v in out.items():
        print(f"{k}: {v.shape[0]} x {v.shape[1]}")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
