"""Libraries of one to five short documents: are plain questions answered and unrelated ones refused?

Why: every fitted set is a library of tens to thousands of passages, but a new user's first library
is often one or two files, where the library-wide statistics the refusal models read rest on almost
nothing (``kb.store.reference`` steadies them). This builds small libraries of made-up notes in
English, Chinese and both, asks each a few questions whose answer is there and a few whose topic is
not, and prints what was answered and refused. A measurement, not a fit: nothing is tuned on it.

    .venv/bin/python benchmarks/tiny_libraries.py                     # the committed kb/weights.json
    .venv/bin/python benchmarks/tiny_libraries.py --weights W.json    # other models, same libraries
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.pipeline import ingest_paths  # noqa: E402
from kb import KnowledgeBase, Settings  # noqa: E402
from kb.fitted import Weights, default_weights  # noqa: E402

# library -> (documents as {file name: text}, [(question, expected text or None for a refusal)])
LIBRARIES: dict[str, tuple[dict[str, str], list[tuple[str, str | None]]]] = {
    "one English note": (
        {"ferry.md": "# Ferry\n\nThe night ferry leaves at 22:40 from pier 3.\n"},
        [("When does the night ferry leave?", "22:40"), ("Which pier does the night ferry use?", "pier 3"),
         ("夜班渡轮几点出发？", "22:40"),
         ("Who won the 2018 football World Cup?", None), ("怎么做红烧肉？", None)]),
    "two notes, two languages": (
        {"a.md": "# 甲\n\n蓝鲸计划的预算是四百二十万元。\n",
         "b.md": "# Beta\n\nThe orca project starts in March 2027.\n"},
        [("When does the orca project start?", "March 2027"), ("蓝鲸计划的预算是多少？", "四百二十万"),
         ("What is the budget of the blue whale project?", "四百二十万"),
         ("What is the capital of Australia?", None), ("今天天气怎么样？", None)]),
    "three English notes": (
        {"crane.md": "# Harbour\n\nThe harbour crane lifts 80 tonnes. It was installed in 2019 by Liebherr.\n",
         "tides.md": "# Tides\n\nHigh tide on Sunday is at 06:15. Low tide follows at 12:30.\n",
         "keepers.md": "# Lighthouse\n\nLighthouse keepers served on the island until 1987, when the light "
                       "was automated.\n"},
        [("How much can the harbour crane lift?", "80 tonnes"), ("When is high tide on Sunday?", "06:15"),
         ("Until when did lighthouse keepers serve?", "1987"), ("Who installed the crane?", "Liebherr"),
         ("What is a good recipe for pancakes?", None), ("Who painted the Mona Lisa?", None)]),
    "three Chinese notes": (
        {"tea.md": "# 茶园\n\n这座茶园位于杭州西湖附近，每年四月采摘龙井茶。\n",
         "bridge.md": "# 大桥\n\n新大桥全长一千二百米，于二〇二一年通车。\n",
         "school.md": "# 学校\n\n实验小学共有学生八百名，教师五十六名。\n"},
        [("茶园在哪里？", "杭州"), ("新大桥有多长？", "一千二百米"), ("实验小学有多少名教师？", "五十六"),
         ("When did the new bridge open?", "二〇二一"),
         ("量子计算机的工作原理是什么？", None), ("How do I renew a passport?", None)]),
    "five mixed notes": (
        {"budget.md": "# Budget 2026\n\nThe museum's budget for 2026 is 3.2 million euros, up from 2.9 million.\n",
         "staff.md": "# 人员\n\n博物馆现有员工四十二人，其中讲解员十二人。\n",
         "hours.md": "# Opening hours\n\nThe museum opens at 9:30 and closes at 17:00, except on Mondays.\n",
         "history.md": "# 历史\n\n博物馆建于一九五八年，原为一座纺织厂。\n",
         "shop.md": "# Shop\n\nThe museum shop sells prints, books and a ceramic mug designed by Ana Ruiz.\n"},
        [("What is the museum's budget for 2026?", "3.2 million"), ("博物馆有多少名员工？", "四十二"),
         ("When does the museum close?", "17:00"), ("博物馆是哪一年建的？", "一九五八"),
         ("Who designed the ceramic mug?", "Ana Ruiz"),
         ("What is the boiling point of ethanol?", None), ("世界上最高的山是哪座？", None)]),
}


@dataclass
class Tally:
    answered: int = 0  # answerable questions answered with the expected text
    answerable: int = 0
    refused: int = 0  # questions on absent topics refused
    absent: int = 0
    misses: list[str] = field(default_factory=list)  # what went wrong, a line each


def measure(weights: Weights, work: Path, verbose: bool = False) -> Tally:
    """Build every library under ``work`` and ask its questions with ``weights``."""
    tally = Tally()
    for i, (name, (docs, questions)) in enumerate(LIBRARIES.items()):
        folder = work / f"docs{i}"
        folder.mkdir()
        for file, text in docs.items():
            (folder / file).write_text(text, encoding="utf-8")
        kb = KnowledgeBase(Settings(data_dir=work / f"data{i}"), weights=weights)
        ingest_paths(kb, [folder])
        for question, expected in questions:
            a = kb.answer(question)
            if expected is None:
                tally.absent += 1
                tally.refused += a.refused
                ok = a.refused
            else:
                tally.answerable += 1
                ok = not a.refused and expected in a.text
                tally.answered += ok
            shown = "refused" if a.refused else a.text.replace("\n", " ")[:90]
            if not ok:
                tally.misses.append(f"[{name}] {question} -> {shown}")
            if verbose:
                print(f"{'ok ' if ok else 'BAD'} [{name}] {question} -> {shown}")
    return tally


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", type=Path, help="a weights file (default: the committed kb/weights.json)")
    ap.add_argument("--verbose", action="store_true", help="print every question's answer")
    args = ap.parse_args()
    weights = Weights.from_dict(json.loads(args.weights.read_text())) if args.weights else default_weights()
    with tempfile.TemporaryDirectory() as tmp:
        t = measure(weights, Path(tmp), args.verbose)
    if not args.verbose:
        print("\n".join(f"BAD {m}" for m in t.misses))
    print(f"answerable answered right: {t.answered}/{t.answerable}; absent topics refused: {t.refused}/{t.absent}")


if __name__ == "__main__":
    main()
