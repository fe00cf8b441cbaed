"""How often each furniture rule (``kb.lexicon.BOILERPLATE``) fires on every corpus, with examples to read.

    .venv/bin/python benchmarks/boilerplate_survey.py [--examples 5]

Documents are read and chunked as ingest reads them; every sentence of every chunk is classified.
The examples are what a person checks the rules against: a sentence marked here is never quoted.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.chunking import chunk_document  # noqa: E402
from ingest.clean import clean_markup, split_front_matter  # noqa: E402
from ingest.loaders import SUPPORTED_SUFFIXES, load_file  # noqa: E402
from kb.answering.boilerplate import furniture_kind  # noqa: E402
from kb.errors import IngestError  # noqa: E402
from kb.lexicon import BOILERPLATE  # noqa: E402
from kb.text import sentences_of  # noqa: E402

SHARED = REPO.parent / "shared"
CORPORA = {"seeds": REPO / "seeds", "general": SHARED / "corpus" / "general", "xquad": SHARED / "bench" / "xquad" / "corpus",
           "cmrc2018": SHARED / "bench" / "cmrc2018" / "corpus", "drcd": SHARED / "bench" / "drcd" / "corpus"}


def sentences(folder: Path) -> list[str]:
    out = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES or not path.is_file():
            continue
        try:
            loaded = load_file(path, 50 * 2**20, False)
        except IngestError:
            continue
        pages = [clean_markup(split_front_matter(p)[1] if not loaded.paged else p) for p in loaded.pages]
        _, chunks = chunk_document("survey", pages, loaded.paged, 320, 0)
        out += [s.strip() for c in chunks for s in sentences_of(c.text)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(0)
    kinds = list(BOILERPLATE)
    print("| corpus | sentences | " + " | ".join(kinds) + " |")
    print("|---|---|" + "---|" * len(kinds))
    examples: dict[str, list[str]] = defaultdict(list)
    for name, folder in CORPORA.items():
        if not folder.exists():
            continue
        sents = sentences(folder)
        counts: Counter[str] = Counter()
        for s in sents:
            kind = furniture_kind(s)
            if kind:
                counts[kind] += 1
                examples[kind].append(f"{name}: {' '.join(s.split())[:110]}")
        cells = [str(counts.get(k, 0)) for k in kinds]
        print(f"| {name} | {len(sents)} | " + " | ".join(cells) + " |")
    for kind, found in examples.items():
        print(f"\n{kind} ({len(found)}), examples:")
        for e in rng.sample(found, min(args.examples, len(found))):
            print("  -", e)


if __name__ == "__main__":
    main()
