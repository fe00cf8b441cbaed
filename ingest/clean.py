"""Cleaning rules that hold for any document, applied to every format after loading.

Each rule is general (front matter, Markdown and HTML images, tracking URLs, inline formatting tags,
line breaks inside Chinese sentences); none looks at a particular file.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from typing import Any

import yaml

from kb.text import CJK_RE, ZERO_WIDTH_RE

_FRONT_MATTER_RE = re.compile(r"\A\ufeff?\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_MD_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
# Link text may wrap onto a second line ("[GitHub\norganization](…)"), never across a paragraph.
_MD_LINK_RE = re.compile(r"(?<!!)\[((?:[^\]\n]|\n(?!\n)){1,300})\]\((?:[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_ANGLE_URL_RE = re.compile(r"<(https?://[^>\s]+)>")
_BARE_URL_RE = re.compile(r"https?://[^\s<>\"'）)\]，。]+")
# Footnote markers carry only a number; their content goes with them.
_FOOTNOTE_TAG_RE = re.compile(r"<(sup|sub)\b[^>]*>.*?</\1\s*>", re.I | re.S)
# An HTML image whose source is a web address, a path or an image file is a picture placed in the
# text, the same as a Markdown image: it goes (a quote showing '<img src="/image/3.1-2.png"
# width="700">' is noise to a reader). Any other <img> is HTML the document quotes, kept as text.
_HTML_IMAGE_RE = re.compile(
    r"<img\b[^<>]*?\bsrc\s*=\s*[\"']?(?:https?://|\.{0,2}/|[^\s\"'<>]+\.(?:png|jpe?g|gif|svg|webp|bmp|avif)\b)"
    r"[^<>]*>", re.I)
# A table row left with only empty cells once its images are gone.
_EMPTY_ROW_RE = re.compile(r"^\s*\|(?:\s*\|)+\s*$")
# Formatting tags are dropped, their text kept. Other tags (<script>, <img> without a source) are
# left as literal text: a document that *talks about* HTML keeps its words, and the UI escapes them.
_FORMAT_TAG_RE = re.compile(
    r"</?(?:span|b|i|u|em|strong|small|big|font|mark|br|a|p|div|center|s|strike|del|ins|abbr|cite|code|kbd)"
    r"\b[^<>]*?/?>",
    re.I,
)
# Lists and layout blocks written as HTML inside Markdown: the tags go, each one a line end, so list
# items and definitions stay apart ("<dt>BDFL</dt><dd>…</dd>" is not "BDFL…").
_BLOCK_TAG_RE = re.compile(
    r"</?(?:ul|ol|li|dl|dt|dd|aside|figure|figcaption|section|article|blockquote|details|summary|header|footer)"
    r"\b[^<>]*?/?>",
    re.I,
)
_PRIVATE_USE_RE = re.compile(r"[\ue000-\uf8ff]")
_HTML_ENTITY_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_EMPHASIS_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_SINGLE_EMPHASIS_RE = re.compile(r"(?<![\w*\\])([*_])(?=[^\s*_])([^*_\n]+?)(?<=[^\s*_])\1(?![\w*])")
_TABLE_RULE_RE = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-{0,}:?\s*\|?\s*$")
_LABEL_ONLY_RE = re.compile(r"^\s*[^\s:：]{1,12}[:：]\s*$")
_CJK_PUNCT_INSIDE_RE = re.compile(r"[，,、；：。！？]")
_SENTENCE_END_CHARS = "。！？!?；;…：:"


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return the YAML front matter as a dict (empty if none or unparsable) and the body."""
    m = _FRONT_MATTER_RE.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return meta, text[m.end() :]


def metadata_from_front_matter(meta: dict[str, Any]) -> dict[str, str]:
    """The fields we keep: title, date and source URL, as strings."""
    out: dict[str, str] = {}
    for key in ("title",):
        if isinstance(meta.get(key), str) and meta[key].strip():
            out["title"] = meta[key].strip()
    for key in ("date", "published", "publishDate"):
        value = meta.get(key)
        if isinstance(value, datetime | date):
            out["date"] = value.isoformat()
            break
        if isinstance(value, str) and value.strip():
            out["date"] = value.strip()
            break
    for key in ("source", "url", "source_url", "link", "original", "canonical"):
        value = meta.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            out["source_url"] = value.strip()
            break
    return out


# An address in brackets ("NumFOCUS (https://numfocus.org)") goes with its brackets. Brackets a
# document left empty itself stay: Wikipedia text often has "战国无双3（）" where a reading was cut.
_BRACKETED_URL_RE = re.compile(r"[ \t]*[(（][ \t]*https?://[^\s)）]+[ \t]*[)）]")
_PROSE_WORD_RE = re.compile(r"[A-Za-z]{2,}|[\u3400-\u9fff]{2,}")


def _url_in_prose(m: re.Match[str]) -> str:
    """A web address that a sentence reads through ("described in PDEP-1 at https://…/0001.html .")
    stays, without its query string (tracking parameters); one that stands alone, after a label
    ("原文链接: http://…") or in brackets, goes. Dropping every address left "described in PDEP-1 at ."
    in a quote."""
    text = m.string
    line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
    if not re.search(r"[A-Za-z\u3400-\u9fff][ \t]*$", line):
        return ""  # at a line start, after a colon or an opening bracket
    paragraph = max(text.rfind("\n\n", 0, m.start()), m.start() - 120, 0)
    end = text.find("\n\n", m.end())
    around = text[paragraph:m.start()] + " " + text[m.end():min(end if end >= 0 else len(text), m.end() + 120)]
    if len(_PROSE_WORD_RE.findall(around)) < 3:
        return ""  # a label and its address
    url = m.group(0)
    tail = re.search(r"[.,;:!?]+$", url)
    kept = re.split(r"[?#]", url[: tail.start()] if tail else url)[0]
    return kept + (tail.group(0) if tail else "")


def clean_markup(text: str) -> str:
    """Drop images, URLs, footnote markers and formatting tags; keep every word of the prose."""
    text = ZERO_WIDTH_RE.sub("", text)
    text = _PRIVATE_USE_RE.sub("•", text)  # symbol-font bullets (Wingdings U+F0A7 and kin)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u3000", " ")
    text = _MD_IMAGE_RE.sub("", text)
    text = _HTML_IMAGE_RE.sub("", text)
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _FOOTNOTE_TAG_RE.sub("", text)
    text = _FORMAT_TAG_RE.sub("", text)  # first, so a link's href goes with its tag and its text stays
    text = _ANGLE_URL_RE.sub("", text)
    text = _BRACKETED_URL_RE.sub("", text)
    text = _BARE_URL_RE.sub(_url_in_prose, text)
    text = _BLOCK_TAG_RE.sub("\n", text)
    text = _HTML_ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
    text = _EMPHASIS_RE.sub(r"\2", text)
    text = _SINGLE_EMPHASIS_RE.sub(r"\2", text)
    lines = []
    for line in text.split("\n"):
        line = line.rstrip()
        if _LABEL_ONLY_RE.match(line):  # "原文链接:" whose URL was just removed
            continue
        if _TABLE_RULE_RE.match(line) or _EMPTY_ROW_RE.match(line):  # |---|:---:| rows, rows of images
            continue
        if line.lstrip().startswith("|"):
            line = re.sub(r"[ \t]{2,}", " ", line)  # cells padded for alignment
        lines.append(line)
    text = "\n".join(lines)
    text = join_broken_cjk_lines(text)
    text = rejoin_wrapped_words(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# A word hyphenated at a line end ("inter-\nnational"); the page-image highlight drops such a
# hyphen too, so the rejoined word is still found on the page.
_HYPHEN_WRAP_RE = re.compile(r"(?<=[A-Za-z])[-\u00ad]\n[ \t]*(?=[a-z])")
# A number cut by a line end inside Chinese prose ("生于1\n971年", "199\n9年"): no writer breaks a
# number on purpose, a CJK line breaker does it anywhere.
_DIGIT_WRAP_RE = re.compile(r"(?<=\d)[ \t]*\n[ \t]*(?=\d+(?:[.,]\d+)?[%\u3400-\u9fff])")
_SPACE_RUN_RE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_SOFT_HYPHEN_RE = re.compile(r"[\u00ad\x02](?!\n)")


def rejoin_wrapped_words(text: str) -> str:
    """Words and numbers that a line end cut in two are whole again; runs of spaces (justified
    PDFs) are one space, except in table lines, whose padding aligns columns."""
    text = _SOFT_HYPHEN_RE.sub("", text)
    text = _HYPHEN_WRAP_RE.sub("", text)
    text = _DIGIT_WRAP_RE.sub(lambda m: "" if _in_cjk_line(text, m.start()) else m.group(0), text)
    return "\n".join(ln if ln.lstrip().startswith("|") else _SPACE_RUN_RE.sub(" ", ln) for ln in text.split("\n"))


def _in_cjk_line(text: str, at: int) -> bool:
    """The line ending at ``at`` is Chinese prose (so its line break is a wrap, not a list)."""
    line = text[text.rfind("\n", 0, at) + 1 : at]
    return len(line) >= 8 and bool(CJK_RE.search(line)) and not line.lstrip().startswith(("#", "|"))


def join_broken_cjk_lines(text: str) -> str:
    """Join a line break (even a blank line) that an extractor put inside a Chinese sentence.

    A break is inside a sentence when the line before ends on a Chinese character with no
    closing punctuation, is prose rather than a heading (it holds a comma, or is long), and the
    next text starts with a Chinese character: ``电影产\\n\\n业的兴起`` becomes ``电影产业的兴起``.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        j = i + 1
        while j < len(lines) and not lines[j].strip() and j - i <= 2:
            j += 1
        nxt = lines[j].lstrip() if j < len(lines) else ""
        # Across a blank line only Chinese continues Chinese; a hard wrap may also run into a
        # Latin word ("与\nAI 公司").
        starts_ok = bool(CJK_RE.match(nxt)) or (j == i + 1 and bool(re.match(r"[A-Za-z0-9]", nxt)))
        if j < len(lines) and j - i <= 3 and starts_ok and _is_broken_prose(line, blank_between=j > i + 1):
            lines[j] = line + lines[j].lstrip()
            i = j
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _is_broken_prose(line: str, blank_between: bool) -> bool:
    stripped = line.strip()
    if not stripped or stripped.startswith(("#", "|", ">", "-", "*")):
        return False
    if not CJK_RE.match(stripped[-1]) or stripped[-1] in _SENTENCE_END_CHARS:
        return False
    # A hard-wrapped line (no blank line after it) is prose when long; across a blank line only
    # punctuation inside the line tells prose from a heading.
    return bool(_CJK_PUNCT_INSIDE_RE.search(stripped)) or (not blank_between and len(stripped) >= 20)


# Titles that PDF producers write for the author: "Microsoft Word - draft3.docx", "Untitled".
_JUNK_PDF_TITLE_RE = re.compile(
    r"^(?:microsoft\s+\w+\s*-|untitled|无标题|document\d*$|slide\s*\d*$)|\.(?:docx?|pptx?|xlsx?|pdf|indd|tex|dvi)\s*$",
    re.I,
)


def useful_pdf_title(title: str | None) -> str | None:
    """The PDF's own title when it reads as one (not a file name or a tool's placeholder)."""
    title = re.sub(r"[\x00-\x1f\x7f]", "", title or "").strip()
    if len(title) < 3 or _JUNK_PDF_TITLE_RE.search(title) or not re.search(r"\w", title):
        return None
    return title[:200]


def derive_title(meta: dict[str, str], text: str, fallback: str) -> str:
    """Front matter title, else the PDF's own title, else the first markdown heading, else the
    first non-empty line. A PDF title that is just the file's name (what Pillow and many
    scanners write) names nothing the file name did not."""
    if meta.get("title"):
        return meta["title"]
    if (pdf_title := useful_pdf_title(meta.get("pdf_title"))) and pdf_title != fallback:
        return pdf_title
    for line in text.split("\n"):
        m = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
        if m:
            return m.group(1).strip()[:200]
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:200]
    return fallback
