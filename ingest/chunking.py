"""Split a cleaned document into citable, single-language passages of a few sentences.

Own code rather than llama-index's ``SentenceSplitter`` because citations need exact character
offsets, page numbers, the section heading, and chunks that never mix the English and Chinese
paragraphs of a bilingual document; see ``kb.text`` for the sentence rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kb.records import Chunk
from kb.text import detect_lang, hard_split, split_sentences

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*\S)\s*#*\s*$")
_PARA_RE = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")
_MIN_CHUNK = 40


@dataclass
class _Unit:
    begin: int
    end: int
    page: int | None
    section: str | None
    lang: str
    heading: bool = False


def join_pages(pages: list[str]) -> tuple[str, list[int]]:
    """Concatenate pages with blank lines; return the text and each page's start offset."""
    starts, parts, pos = [], [], 0
    for page in pages:
        starts.append(pos)
        parts.append(page)
        pos += len(page) + 2
    return "\n\n".join(parts), starts


def chunk_document(
    doc_id: str, pages: list[str], paged: bool, size: int, overlap: int
) -> tuple[str, list[Chunk]]:
    """Return the document text (pages joined) and its chunks, offsets into that text."""
    text, starts = join_pages(pages)
    units = list(_units(text, starts, paged, size))
    groups = _group(units, size, overlap)
    groups = _merge_small(groups, size)
    chunks = []
    for i, group in enumerate(groups):
        first, last = group[0], group[-1]
        body = text[first.begin : last.end].strip()
        chunks.append(
            Chunk(
                doc_id=doc_id,
                ordinal=i,
                text=body,
                lang=first.lang,
                start=first.begin,
                end=last.end,
                page=first.page,
                section=first.section,
            )
        )
    return text, chunks


def _units(text: str, starts: list[int], paged: bool, size: int) -> Iterator[_Unit]:
    section: str | None = None
    for page_no, page_start in enumerate(starts, start=1):
        page_end = starts[page_no] - 2 if page_no < len(starts) else len(text)
        page = page_no if paged else None
        for p_begin, para_text in _blocks(text, page_start, page_end):
            heading = _HEADING_RE.match(para_text)
            if heading:
                section = heading.group(2).strip()[:120]
                h_begin = p_begin + heading.start(2)
                yield _Unit(h_begin, h_begin + len(heading.group(2)), page, section,
                            detect_lang(section), heading=True)
                continue
            lang = detect_lang(para_text)
            for b, e in split_sentences(para_text, p_begin):
                # A long sentence speaks for itself; a short one (a name, a figure) takes its
                # paragraph's language, so mixed paragraphs do not fragment.
                s_lang = detect_lang(text[b:e]) if e - b >= 40 else lang
                for hb, he in hard_split(text, b, e, size):
                    yield _Unit(hb, he, page, section, s_lang)


def _blocks(text: str, begin: int, end: int) -> Iterator[tuple[int, str]]:
    """Paragraphs (blank-line separated) with their offsets; a heading line is a block of its own
    even with no blank line around it ("# Opening hours\nWe open at 9"), so its "#" never shows."""
    for para in _PARA_RE.finditer(text, begin, end):
        start, lines = para.start(), para.group(0).split("\n")
        pos = start
        for line in lines:
            if _HEADING_RE.match(line):
                if text[start:pos].strip():
                    yield start, text[start : pos - 1]
                yield pos, line
                start = pos + len(line) + 1
            pos += len(line) + 1
        if text[start : para.end()].strip():
            yield start, text[start : para.end()]


def _group(units: list[_Unit], size: int, overlap: int) -> list[list[_Unit]]:
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    for unit in units:
        if unit.heading:
            # A heading closes the chunk before it and names the ones after it (their section);
            # it is not their text, so an answer never quotes it glued to the first sentence.
            if current:
                groups.append(current)
            current = []
            continue
        if current:
            head = current[0]
            boundary = (
                unit.page != head.page
                or unit.section != head.section
                or unit.lang != current[-1].lang
            )
            too_long = unit.end - head.begin > size
            if boundary or too_long:
                groups.append(current)
                current = _overlap_tail(current, unit, overlap, size) if (too_long and not boundary) else []
        current.append(unit)
    if current:
        groups.append(current)
    return groups


def _overlap_tail(current: list[_Unit], nxt: _Unit, overlap: int, size: int) -> list[_Unit]:
    """Last sentences of the previous chunk (at most ``overlap`` chars) to open the next one."""
    tail: list[_Unit] = []
    for unit in reversed(current[1:]):
        if unit.heading or nxt.end - unit.begin > size or current[-1].end - unit.begin > overlap:
            break
        tail.insert(0, unit)
    return tail


def _merge_small(groups: list[list[_Unit]], size: int) -> list[list[_Unit]]:
    """Fold a tiny chunk (a one-line caption, a short last sentence) into the next one of its kind,
    never across a section or a page."""
    out: list[list[_Unit]] = []
    i = 0
    while i < len(groups):
        g = groups[i]
        if i + 1 < len(groups) and g[-1].end - g[0].begin < _MIN_CHUNK:
            n = groups[i + 1]
            same_kind = n[0].page == g[0].page and n[0].section == g[0].section and n[0].lang == g[-1].lang
            if same_kind and n[-1].end - g[0].begin <= size and n[0].begin >= g[-1].end:
                groups[i + 1] = g + n
                i += 1
                continue
        out.append(g)
        i += 1
    return out
