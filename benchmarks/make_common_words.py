"""Write ``kb/common_words.tsv``: how common each everyday English and Chinese word is.

Why a table and not the library it comes from: ``wordfreq`` (Apache-2.0 code, CC BY-SA 4.0 data)
is a 57 MB wheel that loads 100 MB of word lists and a second jieba dictionary, for a look-up
of the few thousand words common enough to say nothing about what a question is on. The table
keeps those words (Zipf frequency 4.0 and up: once in 100,000 words or more often) with their
Zipf value; a word not in it is rarer. A second list keeps rarer English words (Zipf 2.5 to 4.0,
letters only) without values: real words ("newer", "Kubrick") that the typo corrector must leave
as typed. Run it again with another ``wordfreq`` to refresh the table.

    .venv/bin/pip install wordfreq==3.1.1 && .venv/bin/python benchmarks/make_common_words.py
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kb.common_words import KNOWN_ENGLISH, TABLE, ZIPF_KEPT, ZIPF_KNOWN  # noqa: E402
from kb.text import normalize  # noqa: E402

# Past this many words a list holds nothing at ZIPF_KEPT or above (about 7,000 English and 17,000
# Chinese words do); the lists are in order of frequency, the look-ups are not (multi-word
# entries are split and combined), so the walk goes on a little past the last one kept.
_SCAN = 200_000
# A word of letters or Chinese characters: numbers are left out (a number a question names is
# specific to it, and wordfreq writes them as placeholders, "0000"), and so are other scripts.
_WORD_RE = re.compile(r"[a-z][a-z'\-]*|[\u3400-\u9fff]+")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=TABLE)
    ap.add_argument("--known-out", type=Path, default=KNOWN_ENGLISH)
    args = ap.parse_args()
    logging.getLogger("jieba").setLevel(logging.WARNING)
    from importlib.metadata import version

    import wordfreq  # a development tool here, not a dependency of the package

    kept: dict[str, float] = {}
    known: set[str] = set()  # English words rarer than the table's, still real (the typo guard)
    for lang in ("en", "zh"):
        for n, word in enumerate(wordfreq.iter_wordlist(lang)):
            if n >= _SCAN:
                break
            zipf = wordfreq.zipf_frequency(word, lang)
            key = normalize(word).lower()
            if zipf >= ZIPF_KEPT and _WORD_RE.fullmatch(key):
                kept[key] = max(zipf, kept.get(key, 0.0))
            elif lang == "en" and zipf >= ZIPF_KNOWN and key.isascii() and key.isalpha():
                known.add(key)
    header = (f"# Zipf frequencies of English and Chinese words from wordfreq {version('wordfreq')} "
              "(Robyn Speer et al., data CC BY-SA 4.0), words at "
              f"{ZIPF_KEPT} and above; made by benchmarks/make_common_words.py\n")
    body = "".join(f"{w}\t{z:.2f}\n" for w, z in sorted(kept.items(), key=lambda kv: (-kv[1], kv[0])))
    args.out.write_text(header + body, encoding="utf-8")
    print(f"{len(kept)} words written to {args.out}")
    known -= kept.keys()
    args.known_out.write_text(
        f"# English words from wordfreq {version('wordfreq')} (data CC BY-SA 4.0) with a Zipf frequency from "
        f"{ZIPF_KNOWN} to {ZIPF_KEPT}: real words, not typos; made by benchmarks/make_common_words.py\n"
        + "".join(f"{w}\n" for w in sorted(known)), encoding="utf-8")
    print(f"{len(known)} rarer English words written to {args.known_out}")


if __name__ == "__main__":
    main()
