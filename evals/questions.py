"""Question sets in the ``kb eval`` format: one JSON object a line (``id, question, lang, kind, doc,
evidence, answer_keywords``), and stratified samples of them for anything that must run quickly."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KBError

# Kinds of question whose right answer is a refusal: the benchmarks' questions about articles left
# out of the library ("unanswerable"), and our own sets' absent topics and absent facts.
ABSENT_KINDS = frozenset({"unanswerable", "absent_topic", "absent_fact"})


@dataclass
class Question:
    id: str
    question: str
    lang: str
    kind: str
    docs: list[str]
    evidence: list[str]
    keywords: list[str]
    source: str | None = None
    variant: str | None = None

    @property
    def answerable(self) -> bool:
        return self.kind not in ABSENT_KINDS


def load_questions(path: Path) -> list[Question]:
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise KBError(f"cannot read {path}: {exc.strerror or exc}") from exc
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            doc = d.get("doc")
            out.append(Question(
                id=str(d.get("id", no)), question=d["question"], lang=d.get("lang", ""), kind=d.get("kind", "fact"),
                docs=[] if doc is None else ([doc] if isinstance(doc, str) else list(doc)),
                evidence=list(d.get("evidence") or []), keywords=list(d.get("answer_keywords") or []),
                source=d.get("source"), variant=d.get("variant"),
            ))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise KBError(f"{path}, line {no}: not a question record ({exc}); see tests/data/eval/dev.jsonl") from exc
    if not out:
        raise KBError(f"{path} holds no questions")
    return out



def stratified_sample(questions: list[Question], n: int, seed: int = 0) -> list[Question]:
    """``n`` questions drawn so that each (kind, language) group keeps its share (at least one each).

    Used for anything that must run quickly (CI): a sample that keeps the mix of the full set
    says more about unseen questions than the first ``n`` lines would.
    """
    if n >= len(questions):
        return list(questions)
    groups: dict[tuple[str, str], list[Question]] = {}
    for q in questions:
        groups.setdefault((q.kind, q.lang), []).append(q)
    rng = random.Random(seed)
    out: list[Question] = []
    for key in sorted(groups):
        members = groups[key]
        take = max(1, round(n * len(members) / len(questions)))
        out.extend(rng.sample(members, min(take, len(members))))
    order = {q.id: i for i, q in enumerate(questions)}
    return sorted(out, key=lambda q: order[q.id])
