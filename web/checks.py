"""Under each source in the Sources panel: the way to check it in the original.

A PDF citation shows its page, cropped around the highlighted sentences (the whole page opens in
a new tab with page navigation); every citation links to its place in the document's text and to
the original file. Text-layer pages are located here (milliseconds, cached), so a sentence that
is not on the page is said under the image; OCR'd pages are read again only when the image is
asked for, which the browser does after the answer is shown.
"""

from __future__ import annotations

import html
from pathlib import Path

from ingest.pages import locate
from kb import Citation

from .i18n import t
from .views import original_url, page_image_url, view_url


def _link(href: str, label: str, cls: str, new_tab: bool = True) -> str:
    target = ' target="_blank" rel="noopener"' if new_tab else ""
    return f'<a class="{cls}" href="{html.escape(href)}"{target}>{html.escape(label)}</a>'


def check_block(c: Citation, lang: str, lib: str) -> str:
    on_disk = Path(c.file).is_file()
    links = []
    parts = []
    if c.page is not None and c.file.lower().endswith(".pdf") and on_disk:
        page_view = view_url(lib, c.doc_id, c.highlights, c.page, c.chunk_id, lang)
        image = page_image_url(lib, c.doc_id, c.page, c.highlights, crop=True)
        parts.append(f'<a class="kb-page-link" href="{html.escape(page_view)}" target="_blank" rel="noopener">'
                     f'<img class="kb-page-img" src="{html.escape(image)}" loading="lazy" '
                     f'alt="{html.escape(t(lang, "page", page=c.page))}"></a>')
        if c.highlights and not c.ocr and _missing(c, c.page):
            parts.append(f'<div class="kb-notice">{html.escape(t(lang, "not_on_page"))}</div>')
        links.append(_link(page_view, t(lang, "show_page"), "kb-show-page"))
        links.append(_link(original_url(lib, c.doc_id, c.page), t(lang, "open_pdf"), "kb-open-pdf"))
    links.append(_link(view_url(lib, c.doc_id, c.highlights, chunk=c.chunk_id, lang=lang), t(lang, "show_in_text"),
                       "kb-show-text"))
    if on_disk:
        links.append(_link(original_url(lib, c.doc_id, download=True), t(lang, "download"), "kb-download", False))
    return "".join(parts) + f'<div class="kb-src-links">{" · ".join(links)}</div>'


def _missing(c: Citation, page: int) -> bool:
    try:
        return bool(locate(Path(c.file), page, c.highlights, ocr=False).missing)
    except Exception:  # noqa: BLE001 - a file changed or damaged since ingest: the image route says more
        return True
