"""Checking an LLM's citations against the passages it was given.

Written here rather than taken from llama-index: its citation query engine trusts the model's
markers, and its sentence splitting does not handle Chinese sentences or markers that follow
the full stop ("…结束。[2]").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..records import Citation, Hit
from ..search.query import analyse
from ..store.lexical import LexicalIndex
from ..text import sentences_of, split_sentences, words
from ..tuning import CITE_ATTRIBUTE, CITE_HIGHLIGHT

_MARKS_RE = re.compile(r"\s*(?:\[\s*\d{1,3}(?:\s*[,，、]\s*\d{1,3})*\s*\]|【\s*\d{1,3}\s*】)")
_NUM_RE = re.compile(r"\d{1,3}")
_LINE_RE = re.compile(r"[^\n]*\n*")
UNSUPPORTED_MARK = "[?]"


@dataclass
class Checked:
    text: str
    citations: list[Citation]
    unsupported: list[str] = field(default_factory=list)
    cited_sentences: int = 0


@dataclass
class _Claim:
    text: str
    marks: list[int]
    tail: str  # whitespace or newlines after the sentence


def _segments(reply: str) -> list[str]:
    """The reply cut into sentences (the splitter chunking and answers use) and at line breaks.

    The pieces cover the reply exactly: whitespace before a sentence starts its piece, line
    breaks end the piece before them, so a list item without a full stop is a claim of its own.
    """
    cuts: list[int] = []
    for line in _LINE_RE.finditer(reply):
        if line.start() == line.end():
            continue
        body = line.group(0).rstrip("\n")
        cuts.extend(e for _, e in split_sentences(body, line.start()))
        if cuts and cuts[-1] >= line.start():
            cuts[-1] = line.end()  # the line's last sentence takes the line break
        else:
            cuts.append(line.end())
    pieces, pos = [], 0
    for cut in cuts:
        if cut > pos:
            pieces.append(reply[pos:cut])
            pos = cut
    if pos < len(reply):
        pieces.append(reply[pos:])
    return pieces


def _claims(reply: str) -> list[_Claim]:
    """Sentences with the markers that follow them (a marker opening a sentence closes the last one)."""
    out: list[_Claim] = []
    for seg in _segments(reply):
        lead = _MARKS_RE.match(seg)
        if lead and out:
            out[-1].marks += [int(n) for n in _NUM_RE.findall(lead.group(0))]
            seg = seg[lead.end():]
        marks = [int(n) for g in _MARKS_RE.findall(seg) for n in _NUM_RE.findall(g)]
        body = _MARKS_RE.sub("", seg)
        stripped = body.rstrip()
        if not stripped.strip():
            if out:
                out[-1].tail += body
            continue
        out.append(_Claim(stripped, marks, body[len(stripped):]))
    return out


def check(reply: str, hits: Sequence[Hit], lang: str, index: LexicalIndex) -> Checked:
    """Drop markers to missing passages, attribute or flag unmarked claims, renumber by first use."""
    claims = _claims(reply.strip())
    renumber: dict[int, int] = {}
    support: dict[int, list[str]] = {}
    parts: list[str] = []
    unsupported: list[str] = []
    cited = 0
    for c in claims:
        marks = list(dict.fromkeys(n for n in c.marks if 1 <= n <= len(hits)))
        claim_terms = analyse(c.text, index, correct=False)
        is_claim = _is_claim(c.text)
        if not marks and is_claim and hits:
            covers = [claim_terms.coverage(h.text) for h in hits]
            best = max(range(len(hits)), key=covers.__getitem__)
            if covers[best] >= CITE_ATTRIBUTE:
                marks = [best + 1]
        for n in marks:
            renumber.setdefault(n, len(renumber) + 1)
            support.setdefault(n, []).extend(
                s for s in sentences_of(hits[n - 1].text) if claim_terms.coverage(s) >= CITE_HIGHLIGHT)
        if marks:
            cited += 1
            sep = " " if lang == "en" else ""
            parts.append(c.text + sep + "".join(f"[{renumber[n]}]" for n in marks) + c.tail)
        elif is_claim:
            unsupported.append(c.text.strip())
            parts.append(c.text + (" " if lang == "en" else "") + UNSUPPORTED_MARK + c.tail)
        else:
            parts.append(c.text + c.tail)
    citations = [Citation.from_hit(new, hits[old - 1], list(dict.fromkeys(support.get(old, []))))
                 for old, new in sorted(renumber.items(), key=lambda kv: kv[1])]
    return Checked("".join(parts).strip(), citations, unsupported, cited)


def _is_claim(text: str) -> bool:
    """A sentence that states something (not "Sure." or a bare heading)."""
    return len(words(text)) >= 3
