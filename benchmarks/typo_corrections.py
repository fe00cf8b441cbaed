"""Count what the typo corrector reads into questions: slips mended, slips missed, and real words
"corrected" into something the asker did not type.

Every word changed in a question as asked is a false correction (the benchmarks' questions are
spelt as their writers meant, bar a few slips of their own); in a question with typos made by
``bench_qa.with_typos`` the changed word and the word it came from are known, so a correction is
right, wrong, or missing. Only the question analysis runs (no embedding, no answer): a few seconds
a set once the libraries are built (``make bench-qa`` or ``benchmarks/fit_weights.py`` build them).

    .venv/bin/python benchmarks/typo_corrections.py
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_qa import SHARED, QASet, converted, sets  # noqa: E402

from evals.questions import load_questions, stratified_sample  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402
from kb.search.query import analyse  # noqa: E402

_WORD_RE = re.compile(r"[A-Za-z]+")


@dataclass
class Tally:
    questions: int = 0
    slips: int = 0  # words changed by with_typos
    mended: int = 0  # read back as the word typed before the slip
    misread: int = 0  # read as another word
    false: int = 0  # a word as its writer spelt it, changed
    examples: list[str] = field(default_factory=list)


def tally(qa: QASet, cache: Path, per_set: int) -> Tally:
    view = KnowledgeBase(Settings(data_dir=cache / qa.library), create=False).view.get()
    questions = stratified_sample(load_questions(qa.questions), per_set, 0)
    originals = {q.id: q.question for q in questions}
    out = Tally()
    for q in converted(questions, qa.convert):
        out.questions += 1
        fixes = analyse(q.question, view.lexical, view.glossary).corrections
        typed = [w.lower() for w in _WORD_RE.findall(q.question)]
        before = [w.lower() for w in _WORD_RE.findall(originals[q.id])]
        slips = {t: b for t, b in zip(typed, before, strict=False) if t != b}
        out.slips += len(slips)
        for word, meant in fixes.items():
            if word in slips:
                right = meant == slips[word]
                out.mended += right
                out.misread += not right
            else:
                out.false += 1
            if len(out.examples) < 8 and slips.get(word) != meant:
                out.examples.append(f"{word} -> {meant}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=SHARED / "bench")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--per-set", type=int, default=800)
    ap.add_argument("--sets", nargs="*", default=["seeds", "general", "seeds-foreign", "general-foreign",
                                                   "xquad", "seeds-typos", "xquad-typos"])
    args = ap.parse_args()
    by_name = {qa.name: qa for qa in sets(args.bench)}
    print("| set | questions | slips | mended | misread | real words changed | e.g. |")
    print("|---|---|---|---|---|---|---|")
    for name in args.sets:
        t = tally(by_name[name], args.cache, args.per_set)
        print(f"| {name} | {t.questions} | {t.slips} | {t.mended} | {t.misread} | {t.false} | "
              f"{', '.join(t.examples)} |")


if __name__ == "__main__":
    main()
