"""Web routes to check a citation in the original: the cited PDF page with the used sentences
highlighted, a document's whole text scrolled to the cited passage, and the original file.

Every route takes a doc id and looks the file up in the library's registry (``kb.originals``):
no path from a request reaches the disk. Pages are rendered on demand and cached (``ingest.pages``).
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from ingest.pages import PageHighlights, locate, page_count, page_png
from kb.errors import KBError, NotFoundError
from kb.libraries import Libraries

from .i18n import pick_lang, t
from .viewer import pdf_page_html, text_view_html

PREFIX = "/kb"
MAX_HIGHLIGHTS = 12
Highlights = Annotated[list[str], Query(alias="hl", max_length=MAX_HIGHLIGHTS)]


def view_url(lib: str, doc_id: str, highlights: list[str], page: int | None = None, chunk: str | None = None,
             lang: str = "en", cited: int | None = None) -> str:
    """Where a citation is checked: its PDF page, or its place in the document's text.

    ``cited`` is the page the highlights belong to (other pages are shown without them)."""
    query: list[tuple[str, str]] = [("lang", lang)]
    if page is not None:
        query += [("page", str(page)), ("cited", str(cited or page))]
    if chunk:
        query.append(("chunk", chunk))
    query += [("hl", h) for h in highlights[:MAX_HIGHLIGHTS]]
    return f"{PREFIX}/{lib}/doc/{doc_id}/view?{urlencode(query)}"


def page_image_url(lib: str, doc_id: str, page: int, highlights: list[str], crop: bool = False) -> str:
    """The page image; ``crop``: only the band around the highlights (the Sources panel's)."""
    query = urlencode([("hl", h) for h in highlights[:MAX_HIGHLIGHTS]] + ([("crop", "1")] if crop else []))
    return f"{PREFIX}/{lib}/doc/{doc_id}/page/{page}.png" + (f"?{query}" if query else "")


def original_url(lib: str, doc_id: str, page: int | None = None, download: bool = False) -> str:
    return (f"{PREFIX}/{lib}/doc/{doc_id}/original" + ("?download=1" if download else "")
            + (f"#page={page}" if page else ""))


def router(libraries: Libraries, guard: object) -> APIRouter:
    """The routes, each behind ``guard`` (the UI's password, when one is set)."""
    api = APIRouter(prefix=PREFIX + "/{lib}/doc", dependencies=[Depends(guard)])  # type: ignore[arg-type]

    @functools.lru_cache(maxsize=256)
    def ocr_pages(lib: str, doc_id: str, content_hash: str) -> frozenset[int]:
        return libraries.get(lib).originals.ocr_pages(doc_id)

    def highlights(lib: str, doc_id: str, page: int, sentences: list[str]) -> tuple[Path, PageHighlights]:
        info, path = libraries.get(lib).originals.file(doc_id)
        if path.suffix.lower() != ".pdf":
            raise NotFoundError(f"'{info.title}' is not a PDF: it has no pages to show")
        pages = page_count(path)
        if not 1 <= page <= pages:
            raise NotFoundError(f"page {page} is not in this document (it has {pages})")
        if not sentences:
            return path, PageHighlights(page, pages)
        return path, locate(path, page, sentences, page in ocr_pages(lib, doc_id, info.content_hash))

    @api.get("/{doc_id}/original")
    def original(lib: str, doc_id: str, download: bool = False) -> Response:
        try:
            _, path = libraries.get(lib).originals.file(doc_id)
        except KBError as exc:
            return _problem(exc)
        return FileResponse(path, filename=path.name, content_disposition_type="attachment" if download else "inline",
                            headers={"Cache-Control": "private, max-age=60"})

    @api.get("/{doc_id}/page/{page}.png")
    def page_image(lib: str, doc_id: str, page: int, hl: Highlights = [], crop: bool = False  # noqa: B006 - FastAPI
                   ) -> Response:
        try:
            path, found = highlights(lib, doc_id, page, hl)
        except KBError as exc:
            return _problem(exc)
        state = "none" if not hl else "found" if found.found else "not-found"
        return Response(_png(str(path), path.stat().st_mtime, page, tuple(found.boxes), crop), media_type="image/png",
                        headers={"X-KB-Highlight": state, "Cache-Control": "private, max-age=300"})

    @api.get("/{doc_id}/page/{page}/highlights")
    def page_highlights(lib: str, doc_id: str, page: int, hl: Highlights = []) -> Response:  # noqa: B006
        try:
            _, found = highlights(lib, doc_id, page, hl)
        except KBError as exc:
            return _problem(exc)
        return JSONResponse({"page": found.page, "pages": found.pages, "boxes": found.boxes,
                             "missing": found.missing})

    @api.get("/{doc_id}/view", response_class=HTMLResponse)
    def view(lib: str, doc_id: str, page: int | None = None, cited: int | None = None, chunk: str | None = None,
             lang: str = "en", hl: Highlights = []) -> Response:  # noqa: B006
        code = pick_lang(lang)
        cited = cited or page
        try:
            kb = libraries.get(lib)
            info = kb.originals.document(doc_id)
            if page is not None and info.file.lower().endswith(".pdf"):
                sentences = hl if page == cited else []
                path, found = highlights(lib, doc_id, page, sentences)
                return HTMLResponse(pdf_page_html(info, found, page_image_url(lib, doc_id, page, sentences),
                                                  lambda p: view_url(lib, doc_id, hl, p, chunk, code, cited),
                                                  original_url(lib, doc_id, page),
                                                  original_url(lib, doc_id, download=True), code))
            return HTMLResponse(text_view_html(kb.originals.text(doc_id), chunk, hl,
                                               original_url(lib, doc_id, download=True), code))
        except KBError as exc:
            return HTMLResponse(f"<!doctype html><meta charset='utf-8'><title>{html.escape(t(code, 'title'))}"
                                f"</title><p>{html.escape(str(exc))}</p>", status_code=404)

    return api


def _problem(exc: KBError) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=404)


@functools.lru_cache(maxsize=128)
def _png(path: str, mtime: float, page: int, boxes: tuple[tuple[float, float, float, float], ...],
         crop: bool) -> bytes:
    return page_png(Path(path), page, list(boxes), crop)

