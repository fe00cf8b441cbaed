"""Code-mixed questions (中英混合) against their pure-Chinese originals, question for question:

    .venv/bin/python benchmarks/code_mixed.py [--sets seeds general xquad cmrc2018 drcd] [--per-set 800]
        [--weights kb/weights.json]

Bilingual readers write some nouns of a Chinese question in English ("Sora 为什么没能跟 Hollywood 的
big studios 谈成 deal？"). Each Chinese question of a set gets up to two of its nouns written so: a
word jieba tags as a noun whose CC-CEDICT gloss translates back to that word first (电影 -> film,
模型 -> model; of several, the most common English word), two chosen by a hash of the question's id,
so every run mixes the same words. A question with no such noun is left out of both columns. It is
a machine's mixing: jieba's tags are sometimes wrong ("效力" for a team read as a noun, written
"effectiveness"), which no reader would write, so the figures err on the hard side.

Prints, per set and for the same questions asked both ways: hit@5, keyword recall, the answer
citing the evidence, and false refusals, with n. The issue's aim: mixed questions no worse than pure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_qa import SHARED, sets  # noqa: E402

from evals.fit_data import Item, collect_cached, sample  # noqa: E402
from evals.fitting import asked_row  # noqa: E402
from evals.questions import Question, load_questions  # noqa: E402
from kb.common_words import zipf  # noqa: E402
from kb.fitted import Weights  # noqa: E402
from kb.search.bilingual import Dictionary, dictionary  # noqa: E402

NOUN_TAGS = ("n", "nz", "nt", "ns")  # jieba's nouns: common, proper, organisation, place
MIN_ZIPF = 3.0  # an everyday English word ("treatise" for 论文 is not what a reader types)
_CJK_RE = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def english_nouns(question: str, words: Dictionary) -> dict[str, str]:
    """The question's nouns that have an English word translating back to them first."""
    import jieba.posseg

    out: dict[str, str] = {}
    for pair in jieba.posseg.cut(question):
        word, tag = pair.word, pair.flag
        if tag not in NOUN_TAGS or not _CJK_RE.match(word) or word in out:
            continue
        back = [en for en in words.chinese_to_english(word)
                if zipf(en) >= MIN_ZIPF and words.english_to_chinese(en)[:1] == [word]]
        if back:  # of several, the commonest: what a reader would type
            out[word] = max(back, key=lambda en: (zipf(en), en))
    return out


def code_mixed(question: Question, words: Dictionary, most: int = 2) -> Question | None:
    """The question with up to ``most`` nouns in English, or None when it has none to give."""
    nouns = english_nouns(question.question, words)
    if not nouns:
        return None
    rng = random.Random(hashlib.sha256(question.id.encode()).hexdigest())
    text = question.question
    for word in rng.sample(sorted(nouns), min(most, len(nouns))):
        text = text.replace(word, f" {nouns[word]} ", 1)
    text = re.sub(r" +", " ", text).strip()
    text = re.sub(r" (?=[，。？！、：；）])", "", text)
    return replace(question, question=text, variant="code-mixed")


def outcomes(items: list[Item], weights: Weights) -> dict[str, dict[str, Any]]:
    """Question id -> its answerable outcome as asked (``evals.fitting.asked_row``)."""
    return {it.q.id: asked_row(it, weights) for it in items if it.answerable}


def _share(got: dict[str, dict[str, Any]], ids: list[str], column: str) -> float:
    """The mean of an outcome over the questions ``ids`` (keyword recall: those with keywords)."""
    vals = [float(v) for q in ids if (v := got[q][column]) is not None]
    return sum(vals) / len(vals) if vals else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=SHARED / "bench")
    ap.add_argument("--cache", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--sets", nargs="*", default=["seeds", "general", "xquad", "cmrc2018", "drcd"])
    ap.add_argument("--per-set", type=int, default=800)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--weights", type=Path, default=REPO / "kb" / "weights.json")
    args = ap.parse_args()
    weights = Weights.from_dict(json.loads(args.weights.read_text(encoding="utf-8")))
    words = dictionary()
    key = f"{args.per_set}.{args.seed}"
    print("| set | n | hit@5 pure / mixed | keywords pure / mixed | cited pure / mixed | false refusals pure / mixed |")
    print("|---|---|---|---|---|---|")
    for qa in sets(args.bench):
        if qa.name not in args.sets or not qa.questions.exists():
            continue
        chosen = [q for q in sample(load_questions(qa.questions), args.per_set, args.seed) if q.lang == "zh"]
        mixed = [m for m in (code_mixed(q, words) for q in chosen) if m is not None]
        ids = {m.id for m in mixed}
        pure = [q for q in chosen if q.id in ids]
        got = {}
        for label, questions in (("pure", pure), ("mixed", mixed)):
            stem = f"{qa.name}-{label}-zh"
            items = collect_cached(stem, qa.library, qa.corpus, questions, False, args.cache, key, stem)
            got[label] = outcomes(items, weights)
        both = sorted(set(got["pure"]) & set(got["mixed"]))
        cols = [f"{_share(got['pure'], both, c):.3f} / {_share(got['mixed'], both, c):.3f}"
                for c in ("hit", "keywords", "cited", "refused")]
        print(f"| {qa.name} | {len(both)} | " + " | ".join(cols) + " |", flush=True)


if __name__ == "__main__":
    main()
