"""Citations as the APIs hand them out: with links to check each one (``view_url``: the cited PDF
page or the passage in the document's text; ``page_image_url`` for a PDF page; ``original_url``),
and with server paths only for callers allowed to see them (``web.api_access.sees_full_paths``).

The links are absolute (the address the caller used), and they accept the same API key as a
``Bearer`` header, so a client can open the pages its answers cite.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from kb import Answer, Settings

from .api_access import client_host, sees_full_paths, without_paths
from .views import original_url, page_image_url, view_url


def public_citations(answer: Answer, library: str, request: Request, settings: Settings,
                     related: bool = False) -> list[dict[str, Any]]:
    """``answer``'s citations (or, ``related``, a refusal's nearest passages) as dicts
    (``Citation.to_dict()``) plus their links, paths as allowed."""
    base = str(request.base_url).rstrip("/")
    full = sees_full_paths(client_host(request), settings)
    out = []
    for c in answer.related if related else answer.citations:
        item = c.to_dict()
        item["view_url"] = base + view_url(library, c.doc_id, c.highlights, c.page, c.chunk_id, answer.language)
        if c.page is not None and c.file.lower().endswith(".pdf"):
            item["page_image_url"] = base + page_image_url(library, c.doc_id, c.page, c.highlights)
        item["original_url"] = base + original_url(library, c.doc_id)
        out.append(item if full else without_paths(item))
    return out
