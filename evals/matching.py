"""When a passage holds a question's evidence and an answer its keywords.

Evidence and keywords are compared after NFKC normalisation and case folding, with all whitespace
removed; numbers are compared as written in the source (after NFKC), not parsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kb.text import plain


def squash(s: str) -> str:
    return "".join(plain(s).split())


def contains_evidence(text: str, evidence: Sequence[str]) -> bool:
    t = squash(text)
    return any(squash(e) in t for e in evidence)


def keyword_recall(answer: str, keywords: Sequence[str]) -> float | None:
    """Share of the keywords an answer contains (None when the question lists none)."""
    if not keywords:
        return None
    text = squash(answer)
    return sum(squash(w) in text for w in keywords) / len(keywords)


def doc_matches(file: str, name: str) -> bool:
    """A question names its document by file name (or a tail of its path)."""
    return file == name or file.endswith("/" + name) or Path(file).name == name
