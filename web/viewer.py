"""The two pages a citation opens in a new tab: a PDF page (image, highlights, page navigation,
links to the PDF and the file) and a document's whole text scrolled to the cited passage.

Plain server-built HTML with one line of script (scroll to the passage): it loads in a few
milliseconds, works without Gradio, and every piece of document text in it is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from ingest.pages import PageHighlights
from kb.records import DocumentInfo
from kb.store.originals import DocumentText, Passage
from kb.text import inert

from .i18n import t

_GAPS_RE = re.compile(r"\n\s*\n\s*\n[\s]*")
_STYLE = """
body { font: 16px/1.6 system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 0; color: #1f2328;
       background: #f6f7f9; }
header { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #d0d7de; padding: .6em 1.2em;
         z-index: 1; }
header h1 { font-size: 1.1em; margin: 0 0 .2em; }
nav a { margin-right: 1.2em; }
main { max-width: 1040px; margin: 1em auto; padding: 0 1em; }
.kb-page { width: 100%; border: 1px solid #d0d7de; background: #fff; }
.kb-notice { background: #fff8c5; border: 1px solid #d4a72c; padding: .5em .8em; border-radius: 6px; }
.kb-text { background: #fff; border: 1px solid #d0d7de; padding: 1.2em 1.6em; white-space: pre-wrap; }
#kb-cited { display: block; background: #eef6ff; border-left: 4px solid #54aeff; margin-left: -.8em;
            padding-left: calc(.8em - 4px); border-radius: 2px; margin-top: .8em; margin-bottom: .8em; }
mark { background: #ffd500; color: inherit; }
.kb-section { display: block; font-size: 1.1em; margin: 1em 0 .3em; white-space: normal; }
"""


def _page(title: str, lang: str, header: str, body: str, script: str = "") -> str:
    return (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
            f"<style>{_STYLE}</style></head><body><header>{header}</header><main>{body}</main>{script}</body></html>")


def pdf_page_html(info: DocumentInfo, found: PageHighlights, image_url: str, page_url: Callable[[int], str],
                  pdf_url: str, download_url: str, lang: str) -> str:
    title = inert(info.title)
    links = []
    if found.page > 1:
        links.append(f'<a id="kb-prev" href="{html.escape(page_url(found.page - 1))}">{t(lang, "prev_page")}</a>')
    if found.page < found.pages:
        links.append(f'<a id="kb-next" href="{html.escape(page_url(found.page + 1))}">{t(lang, "next_page")}</a>')
    links.append(f'<a id="kb-open-pdf" href="{html.escape(pdf_url)}" target="_blank">{t(lang, "open_pdf")}</a>')
    links.append(f'<a id="kb-download" href="{html.escape(download_url)}">{t(lang, "download")}</a>')
    header = (f"<h1>{html.escape(title)}</h1><div>{html.escape(t(lang, 'page_of', page=found.page, pages=found.pages))}"
              f"</div><nav>{''.join(links)}</nav>")
    notice = (f'<p class="kb-notice" id="kb-not-found">{html.escape(t(lang, "not_on_page"))}</p>'
              if found.missing else "")
    body = (f'{notice}<img class="kb-page" id="kb-page-image" src="{html.escape(image_url)}" '
            f'alt="{html.escape(t(lang, "page", page=found.page))}">')
    return _page(f"{title} · {t(lang, 'page', page=found.page)}", lang, header, body)


def _plain(text: str) -> str:
    """Escaped text; the blank stretches where dropped markup stood shrink to one empty line."""
    return html.escape(inert(_GAPS_RE.sub("\n\n", text)))


def _marked(text: str, highlights: list[str]) -> str:
    """Escaped text with each highlight (its first occurrence) wrapped in <mark>."""
    spans = sorted((i, i + len(h)) for h in highlights if h and (i := text.find(h)) >= 0)
    out, pos = [], 0
    for begin, end in spans:
        if begin < pos:
            continue
        out += [_plain(text[pos:begin]), f"<mark>{html.escape(inert(text[begin:end]))}</mark>"]
        pos = end
    out.append(_plain(text[pos:]))
    return "".join(out)


def _section_starts(passages: list[Passage]) -> list[tuple[int, str]]:
    """(offset, heading) where each section's first passage begins. Headings are chunk sections,
    not chunk text, so the rebuilt text does not hold them; the view prints them there."""
    out: list[tuple[int, str]] = []
    previous: str | None = None
    for p in sorted(passages, key=lambda p: p.start):
        if p.section and p.section != previous:
            out.append((p.start, p.section))
        previous = p.section
    return out


def _with_headings(text: str, begin: int, end: int, heads: list[tuple[int, str]]) -> str:
    """``text[begin:end]`` escaped, with each heading of ``heads`` whose offset falls in
    ``[begin, end]`` placed there (one past ``end``, up to the passage it names, goes at the end).
    The text is only cut at those offsets, never changed, so offsets into it stay the passages'."""
    out, pos = [], begin
    for at, heading in heads:
        if at < begin or (at > end and text[end:at].strip()):
            continue
        at = min(at, end)
        out.append(_plain(text[pos:at].rstrip()))
        out.append(f'<span class="kb-section" role="heading" aria-level="2">{html.escape(inert(heading))}</span>')
        pos = at
        while pos < end and text[pos].isspace():
            pos += 1
    out.append(_plain(text[pos:end]))
    return "".join(out)


def text_view_html(doc: DocumentText, chunk: str | None, highlights: list[str], download_url: str | None,
                   lang: str) -> str:
    """The whole text with its section headings; the cited passage framed and scrolled into view,
    its used sentences marked."""
    text = doc.text
    heads = _section_starts(doc.passages)
    passage = next((p for p in doc.passages if p.chunk_id == chunk), None)
    if passage is None and highlights:  # no chunk given: the passage is where the first sentence is
        at = text.find(highlights[0])
        passage = next((p for p in doc.passages if at >= 0 and p.start <= at < p.end), None)
    links = f'<nav><a id="kb-download" href="{html.escape(download_url)}">{t(lang, "download")}</a></nav>' \
        if download_url else ""
    header = f"<h1>{html.escape(inert(doc.info.title))}</h1>{links}"
    if passage is None:
        notice = f'<p class="kb-notice">{html.escape(t(lang, "passage_missing"))}</p>' if chunk or highlights else ""
        return _page(doc.info.title, lang, header,
                     f'{notice}<div class="kb-text">{_with_headings(text, 0, len(text), heads)}</div>')
    before = len(text[:passage.start].rstrip())
    after = passage.end + len(text[passage.end:]) - len(text[passage.end:].lstrip())
    body = (f'<div class="kb-text">{_with_headings(text, 0, before, [h for h in heads if h[0] <= passage.start])}'
            f'<span id="kb-cited">{_marked(text[passage.start:passage.end], highlights)}</span>'
            f"{_with_headings(text, after, len(text), heads)}</div>")
    script = "<script>document.getElementById('kb-cited').scrollIntoView({block: 'center'});</script>"
    return _page(doc.info.title, lang, header, body, script)
