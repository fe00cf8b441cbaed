"""Language, sentence and word handling shared by chunking, BM25 and answer composition.

Hand-written rather than llama-index's ``SentenceSplitter``: that splitter measures chunks in
tokens and does not keep character offsets or language runs, and its sentence regex misses
Chinese quotes that close after 。, which citations need to point at exact passages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from . import lexicon

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# A sentence ends at Chinese terminal punctuation (plus any closing quotes/brackets), or at
# . ? ! followed by whitespace, or at a line break.
_SENT_END_RE = re.compile(
    r"(?:[。！？；!?][”’」』）)\]\"']*|…+[”’」』]*|\.(?=\s|$)[”’\"')\]]*)"
)
# A period after these is not a sentence end ("Dr. Maria Kovacs", "e.g. rice", "the U.S. market");
# after the second set only when a number follows ("No. 5", "Fig. 3", "Nov. 29"), since "no." also ends
# sentences. Decimals ("3.5") never end one: a sentence-ending period needs whitespace after it.
_ABBREVIATIONS = frozenset("dr mr mrs ms prof st jr sr e.g i.e u.s u.k etc vs cf approx dept".split())
_BEFORE_NUMBER = frozenset("no nos fig figs p pp vol ch sec art jan feb mar apr jun jul aug sep sept oct nov dec"
                           .split())  # and months: "Nov. 29, 2023"
_ABBREV_TAIL_RE = re.compile(r"(?<![A-Za-z.])(?:[A-Za-z]\.)*[A-Za-z]+$")
_NUMBER_NEXT_RE = re.compile(r"\s*\d")
# Where ``hard_split`` may cut an over-long sentence: after a comma or colon, or at a space.
_CUT_POINT_RE = re.compile(r"[，,、：:](?=\S)|\s+")
_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%'\-]*|[\u3400-\u4dbf\u4e00-\u9fff]+")
ZERO_WIDTH_RE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

EN_STOPWORDS = lexicon.EN_STOPWORDS
ZH_STOPWORDS = lexicon.ZH_STOPWORDS


# C0/C1 controls (ANSI escape sequences start with ESC) and bidi overrides could repaint a
# terminal or reorder what a reader sees; document text is shown without them (CLI and UI).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    return _CONTROL_RE.sub("", text)


def cjk_count(text: str) -> int:
    return len(CJK_RE.findall(text))


def detect_lang(text: str) -> str:
    """``zh`` when Chinese characters outnumber English words, else ``en``.

    One Chinese character carries roughly as much as one English word, so a Chinese sentence
    with a few English names stays ``zh`` and an English sentence quoting a term stays ``en``.
    """
    cjk = cjk_count(text)
    words = len(LATIN_WORD_RE.findall(text))
    if cjk == 0 and words == 0:
        return "en"
    return "zh" if cjk >= words else "en"


def split_sentences(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """Yield ``(begin, end)`` offsets of the sentences in ``text`` (offsets shifted by ``start``).

    Whitespace between sentences is not part of either sentence.
    """
    pos = 0
    n = len(text)
    for m in _SENT_END_RE.finditer(text):
        end = m.end()
        if end <= pos or _abbreviation_at(text, m.start()):
            continue
        yield from _trimmed(text, pos, end, start)
        pos = end
    if pos < n:
        yield from _trimmed(text, pos, n, start)


def _abbreviation_at(text: str, dot: int) -> bool:
    """The period at ``dot`` closes an abbreviation (see ``_ABBREVIATIONS``), not a sentence."""
    if text[dot] != "." or dot == 0:
        return False
    tail = _ABBREV_TAIL_RE.search(text, max(0, dot - 12), dot)
    if tail is None:
        return False
    word = tail.group(0).lower()
    if word in _ABBREVIATIONS:
        return True
    return word in _BEFORE_NUMBER and bool(_NUMBER_NEXT_RE.match(text, dot + 1))


def _trimmed(text: str, b: int, e: int, shift: int) -> Iterator[tuple[int, int]]:
    while b < e and text[b].isspace():
        b += 1
    while e > b and text[e - 1].isspace():
        e -= 1
    if e > b:
        yield b + shift, e + shift


def sentences_of(text: str) -> list[str]:
    """Sentences as exact slices of the passage (so they can be highlighted in it).

    Paragraphs (blank-line separated) never share a sentence; single line breaks inside a
    paragraph are hard wraps and do not end one.
    """
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        if para.strip():
            out.extend(para[b:e] for b, e in split_sentences(para))
    return out


def flat(text: str) -> str:
    """A sentence for the answer line: hard wraps removed (no space between Chinese characters)."""
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    text = re.sub(r"\s*\n\s*", " ", text)
    return re.sub(r"^\s*(?:[*•\-]\s+|\d{1,2}[.)、]\s*(?=\D))", "", text)  # list bullets and numbering


def hard_split(text: str, begin: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """Cut an over-long sentence into pieces of at most ``limit`` chars, at commas or spaces if any."""
    while end - begin > limit:
        window = text[begin : begin + limit]
        cut = 0
        for m in _CUT_POINT_RE.finditer(window):
            if m.end() > limit // 3:
                cut = m.end()
        if cut == 0:
            cut = limit
        yield from _trimmed(text, begin, begin + cut, 0)
        begin += cut
    yield from _trimmed(text, begin, end, 0)


def plain(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), case-folded, zero-width characters gone."""
    return ZERO_WIDTH_RE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def normalize(text: str) -> str:
    """The form words are matched in: ``plain`` text in simplified script.

    A question in one Chinese script must find passages written in the other (德勤預測 / 德勤预测),
    so BM25, term coverage and dictionary look-ups all see simplified text; what is quoted and
    shown stays as written.
    """
    text = plain(text)
    return _t2s(text) if CJK_RE.search(text) else text


def for_embedding(text: str) -> str:
    """The text the embedding model reads: simplified script, otherwise as written.

    The model ranks passages best when question and passage share a script (on DRCD, simplified
    questions over traditional passages lose 4 points of hit@5; both in simplified lose under
    one), so passages and questions alike are embedded in simplified script.
    """
    return _t2s(text) if CJK_RE.search(text) else text


_FULL_WIDTH_ALNUM_RE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def half_width(text: str) -> str:
    """Full-width letters and digits (２０２３年７月) as ASCII; other full-width signs stay."""
    return _FULL_WIDTH_ALNUM_RE.sub(lambda m: chr(ord(m.group(0)) - 0xFEE0), text)


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def _t2s(text: str) -> str:
    # OpenCC converts by phrase (乾隆 stays, 乾燥 becomes 干燥) and keeps the length here.
    return str(_converter().convert(text))


@lru_cache(maxsize=1)
def jieba_tokenizer():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str, keep_stopwords: bool = False, normalized: bool = False) -> list[str]:
    """Search terms: jieba words for Chinese runs, lower-cased words and numbers for the rest.

    Chinese runs also contribute their character bigrams, so a term that jieba segments
    differently in the question and in the passage still matches. ``normalized``: the text is
    already ``normalize``d.
    """
    jb = jieba_tokenizer()
    out: list[str] = []
    for m in _WORD_RE.finditer(text if normalized else normalize(text)):
        tok = m.group(0)
        if CJK_RE.match(tok):
            for w in jb.lcut(tok):
                if keep_stopwords or w not in ZH_STOPWORDS:
                    out.append(w)
            out.extend(tok[i : i + 2] for i in range(len(tok) - 1) if len(tok) > 2)
        else:
            tok = tok.strip(".'-")
            if tok and (keep_stopwords or tok not in EN_STOPWORDS):
                out.append(tok)
    return out


_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_CITE_RE = re.compile(
    r"\[\d{1,3}\]|(?:^|\n)\s*\d{1,3}\.\s|\[[JMDCNRSP]\]|\bdoi\b|et al\.|\bpp?\.\s*\d|\bvol\."
    r"|“[^”]{4,}[,，]”|\"[^\"]{4,},\"",
    re.I,
)


def looks_like_references(text: str) -> bool:
    """A bibliography or notes list: several years and several citation marks in one passage.

    Such passages match almost any question on names and dates but never answer one.
    """
    return len(_YEAR_RE.findall(text)) >= 2 and len(_CITE_RE.findall(text)) >= 2


# A line end inside a paragraph (a Markdown file wrapped at 100 columns, a PDF's lines) that the
# terminal or the sources panel would wrap again: "changes to the\nproject are…" shown ragged.
# A line that opens a list item, a table row or a heading keeps its own line.
_WRAPPED_LINE_END_RE = re.compile(r"(?<=[^\n])\n(?=[^\n])")
_OWN_LINE_RE = re.compile(r"\s*(?:[-*•|#>]|\d{1,3}[.)、]\s)")
_CJK_CHAR_RE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def reflow(text: str) -> str:
    """The text with its soft line ends joined (a space between words, nothing between Chinese
    characters); paragraph breaks and list, table and heading lines are kept."""
    def join(m: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _OWN_LINE_RE.match(text, m.end()) or text[line_start:m.start()].lstrip().startswith("|"):
            return "\n"
        before, after = text[m.start() - 1], text[m.end()]
        return "" if _CJK_CHAR_RE.match(before) and _CJK_CHAR_RE.match(after) else " "

    return _WRAPPED_LINE_END_RE.sub(join, text)
