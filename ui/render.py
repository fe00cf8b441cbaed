"""HTML and markdown for answers and sources. Every piece of document or user text is escaped:
a passage containing ``<script>`` shows those characters and runs nothing."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from kb import Answer, DocumentInfo
from kb.llm.citecheck import UNSUPPORTED_MARK
from kb.text import inert, reflow
from web.checks import check_block
from web.citations import citation_file, citation_heading
from web.i18n import t
from web.views import original_url, view_url

_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_MARKER_RE = re.compile(r"\\\[(\d+)\\\]")
# A web address in text shown in the chat: it ends before a space, a bracket, a quote or Chinese
# punctuation, and a sentence's closing punctuation is not part of it.
_URL_RE = re.compile(r"https?://[^\s`<>()\"'）\]，。]+[^\s`<>()\"'）\]，。.,;:!?]")


def _escaped(text: str) -> str:
    return _MD_SPECIAL_RE.sub(r"\\\1", html.escape(inert(text), quote=False))


def _link(url: str) -> str:
    """A web address a quote holds, as a link: the chat's Markdown would link it by itself, but with
    the escapes ``_escaped`` puts in it ("pandas\\.pydata\\.org"). Its text is entity-encoded, which
    Markdown leaves alone."""
    shown = "".join(f"&#{ord(ch)};" if _MD_SPECIAL_RE.match(ch) else ch for ch in html.escape(url, quote=False))
    return f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">{shown}</a>'


def escape_markdown(text: str) -> str:
    """HTML-escape, then backslash-escape markdown syntax, so the chat shows text literally; a web
    address is a link."""
    out, pos = [], 0
    for m in _URL_RE.finditer(text):
        out.append(_escaped(text[pos:m.start()]))
        out.append(_link(m.group(0)))
        pos = m.end()
    out.append(_escaped(text[pos:]))
    return "".join(out)


def answer_markdown(ans: Answer, turn: int, lang: str) -> str:
    """The answer with each ``[n]`` turned into a link to source n of this turn."""
    body = escape_markdown(ans.text)
    titles = {c.n: citation_heading(c, lang) for c in ans.citations}

    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in titles:
            return m.group(0)
        title = html.escape(inert(titles[n]), quote=True)
        return f'<a class="kb-cite" href="#kb-src-{turn}-{n}" data-src="kb-src-{turn}-{n}" title="{title}">[{n}]</a>'

    body = _MARKER_RE.sub(link, body)
    unsupported = html.escape(t(lang, "unsupported"), quote=True)
    flag = f'<span class="kb-unsupported" title="{unsupported}">{html.escape(UNSUPPORTED_MARK)}</span>'
    body = body.replace(escape_markdown(UNSUPPORTED_MARK), flag)
    head = ""
    if ans.searched:
        head += f"<small>🔎 {escape_markdown(t(lang, 'searched'))}: {escape_markdown(ans.searched)}</small>\n\n"
    if ans.notice:
        head += f"<small>⚠️ {_with_code_urls(ans.notice)}</small>\n\n"
    if ans.refused:
        caption = "refused_llm" if ans.mode == "llm" else "refused_quoted"
        hint = t(lang, "related_hint") if ans.related else t(lang, "refused_hint")
        return (f"{head}⚠️ **{body}**\n\n{escape_markdown(hint)}"
                f"\n\n<small><em>{escape_markdown(t(lang, caption))}</em></small>")
    if ans.mode == "small_talk":  # a greeting's reply quotes nothing
        return head + body
    caption = "by_llm" if ans.mode == "llm" else "quoted"
    body += f"\n\n<small><em>{escape_markdown(t(lang, caption))}</em></small>"
    return head + body


def draft_markdown(text: str, lang: str) -> str:
    """An LLM's answer while it is being written: shown as plain text, links come once checked."""
    return f"<small><em>{escape_markdown(t(lang, 'writing'))}</em></small>\n\n{escape_markdown(text)} ▍"


def _with_code_urls(text: str) -> str:
    """Escaped text whose URLs show as code: escaped dots inside an auto-link would show their backslashes."""
    out, pos = [], 0
    for m in _URL_RE.finditer(text):
        out.append(escape_markdown(text[pos:m.start()]))
        out.append(f"`{m.group(0)}`")
        pos = m.end()
    out.append(escape_markdown(text[pos:]))
    return "".join(out)


def user_markdown(question: str) -> str:
    return escape_markdown(question)


def _highlighted(text: str, highlights: list[str]) -> str:
    text = reflow(text)
    spans = []
    for h in map(reflow, highlights):
        i = text.find(h)
        if i >= 0:
            spans.append((i, i + len(h)))
    out, pos = [], 0
    for b, e in sorted(spans):
        if b < pos:
            continue
        out.append(html.escape(inert(text[pos:b])))
        out.append(f"<mark>{html.escape(inert(text[b:e]))}</mark>")
        pos = e
    out.append(html.escape(inert(text[pos:])))
    return "".join(out).replace("\n", "<br>")


def sources_html(turns: list[dict[str, Any]], lang: str, lib: str = "default") -> str:
    """All turns' sources, newest first and open; older turns folded."""
    if not any(turn["answer"].citations or turn["answer"].related for turn in turns):
        return f'<div class="kb-sources-empty">{html.escape(t(lang, "no_sources"))}</div>'
    blocks = []
    for idx in range(len(turns) - 1, -1, -1):
        turn = turns[idx]
        ans: Answer = turn["answer"]
        if not ans.citations and not ans.related:
            continue
        # A refusal's nearest passages are not sources: said so above them, and not numbered.
        items = [f'<div class="kb-related-head">{html.escape(t(lang, "related"))}</div>'] if not ans.citations else []
        for c in ans.citations or ans.related:
            file = citation_file(c)
            # No score here: the passage model's probability ranks passages against each other and
            # reads as doubt to a reader (0.06 beside the very sentence asked for); the API keeps it.
            meta = f'<div class="kb-src-meta">{html.escape(inert(file))}</div>' if file else ""
            number = f'<span class="kb-n">[{c.n}]</span> ' if ans.citations else ""
            anchor = f"kb-src-{idx}-{c.n}" if ans.citations else f"kb-rel-{idx}-{c.n}"
            items.append(
                f'<div class="kb-src" id="{anchor}">'
                f'<div class="kb-src-head">{number}'
                f'<span class="kb-title">{html.escape(inert(citation_heading(c, lang)))}</span></div>'
                f'{meta}'
                f'<div class="kb-src-text">{_highlighted(c.text, c.highlights)}</div>{check_block(c, lang, lib)}'
                f'<div class="kb-back-row"><a class="kb-back" href="#kb-chat">{html.escape(t(lang, "back_to_answer"))}'
                "</a></div></div>"
            )
        opened = " open" if idx == len(turns) - 1 else ""
        question = html.escape(inert(turn["question"]))
        blocks.append(
            f'<details class="kb-turn"{opened}><summary>{html.escape(t(lang, "for_question"))} {question}</summary>'
            + "".join(items) + "</details>"
        )
    return "".join(blocks)


def documents_rows(docs: list[DocumentInfo], lang: str = "en") -> list[list[Any]]:
    return [
        [d.title, d.name or d.file, d.lang, _extent(d, lang), d.chunks, d.ingested_at[:16].replace("T", " ")]
        for d in docs
    ]


def _extent(d: DocumentInfo, lang: str) -> str:
    """Pages of a PDF as a number; slides and sheets say which they are."""
    if d.pages is None:
        return ""
    if d.unit == "pages":
        return str(d.pages)
    return t(lang, f"unit_{d.unit}_one") if d.pages == 1 else t(lang, f"unit_{d.unit}", n=d.pages)


def documents_headers(lang: str) -> list[str]:
    return [t(lang, k) for k in ("col_title", "col_file", "col_lang", "col_pages", "col_chunks", "col_date")]


_COLUMN_CLASSES = ("kb-col-title", "kb-col-file", "kb-col-lang", "kb-col-pages", "kb-col-chunks", "kb-col-date")


def documents_html(docs: list[DocumentInfo], lang: str) -> str:
    """The Library's documents: a table on a wide screen; on a phone each row is a card (title, then
    "file · language · 44 passages · date"), the numbers named since no header is shown there."""
    head = "".join(f"<th class='{cls}'>{html.escape(h)}</th>"
                   for cls, h in zip(_COLUMN_CLASSES, documents_headers(lang), strict=True))
    unit = f'<span class="kb-unit"> {html.escape(t(lang, "col_chunks"))}</span>'
    rows = []
    for row in documents_rows(docs, lang):
        cells = [html.escape(inert(str(v))) for v in row]
        cells[4] += unit
        rows.append("<tr>" + "".join(f"<td class='{cls}'>{v}</td>"
                                     for cls, v in zip(_COLUMN_CLASSES, cells, strict=True)) + "</tr>")
    return (f'<table class="kb-doc-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            if rows else "")


def document_links(doc: DocumentInfo, lang: str, lib: str) -> str:
    """The Library tab's links for one document: its whole text, and the original file if it is here."""
    links = [f'<a id="kb-doc-text" href="{html.escape(view_url(lib, doc.doc_id, [], lang=lang))}" target="_blank" '
             f'rel="noopener">{html.escape(t(lang, "show_text"))}</a>']
    if Path(doc.file).is_file():
        links.append(f'<a id="kb-doc-download" href="{html.escape(original_url(lib, doc.doc_id, download=True))}">'
                     f'{html.escape(t(lang, "download"))}</a>')
    else:
        links.append(html.escape(t(lang, "original_elsewhere")))
    return f'<div class="kb-src-links">{html.escape(inert(doc.title))}: {" · ".join(links)}</div>'
