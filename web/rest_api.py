"""A small REST surface for scripts, the same JSON as the CLI's ``--json``: libraries, documents
(list, upload, remove), search (passages with scores) and ask. Interactive docs at ``/api/docs``.

``library`` (a query parameter, default: the library `kb serve` started with, or the first of a
key limited to some libraries) picks the library; an upload to a library that does not exist yet
creates it. Server paths (``file``, ``source``, ``path``) go only to callers on this machine unless
``KB_API_FULL_PATHS`` is set; others get the document's name.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from pydantic import BaseModel, Field

from ingest.uploads import ingest_uploads
from kb import KBError, KnowledgeBase
from kb.errors import NotFoundError, QuestionError
from kb.libraries import Libraries

from .api_access import ApiError, ApiKeys, client_host, sees_full_paths, visible, without_paths
from .cited import public_citations

Library = Annotated[str | None, Query(description="Library name (default: the server's).", max_length=40)]


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=4000)
    doc_ids: list[str] | None = None


def router(libraries: Libraries, keys: ApiKeys) -> APIRouter:
    api = APIRouter(prefix="/api", dependencies=[Depends(keys)], tags=["REST"])

    def open_library(request: Request, name: str | None, create: bool = False) -> KnowledgeBase:
        """The named library (default: the server's, or a limited key's first); one the caller's key
        may not see is as unknown as a missing one."""
        mine = visible(request, [*libraries.names(), *([name] if name and create else [])])
        name = name or (libraries.default if libraries.default in mine else next(iter(mine), libraries.default))
        try:
            if name not in mine:
                raise NotFoundError(f"there is no library '{name[:60]}' (libraries: {', '.join(mine)})")
            return libraries.get(name, create=create)
        except NotFoundError as exc:
            raise ApiError(404, str(exc), code="library_not_found", param="library") from exc

    @api.get("/libraries", summary="Libraries with their document and passage counts (`kb libraries --json`)")
    def list_libraries(request: Request) -> list[dict[str, Any]]:
        return [row.to_dict() for row in libraries.summary(visible(request, libraries.names()))]

    def shown(request: Request, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The items as this caller may see them: server paths only for this machine (or KB_API_FULL_PATHS)."""
        return items if sees_full_paths(client_host(request), libraries.settings) else [without_paths(i) for i in items]

    @api.get("/documents", summary="Documents of a library (`kb docs --json`)")
    def documents(request: Request, library: Library = None) -> list[dict[str, Any]]:
        return shown(request, [d.to_dict() for d in open_library(request, library).documents()])

    @api.post("/documents", summary="Upload and ingest files (`kb ingest --json`)")
    def upload(request: Request, files: Annotated[list[UploadFile], File(description="One or more files.")],
               library: Library = None) -> dict[str, Any]:
        kb = open_library(request, library, create=True)
        limit = kb.settings.max_file_mb * 1024 * 1024
        with tempfile.TemporaryDirectory(prefix="kb-upload-") as tmp:
            pairs = []
            for i, f in enumerate(files):
                target = Path(tmp) / f"{i}"
                with target.open("wb") as out:  # copied in pieces, stopped as soon as it is over the limit
                    while piece := f.file.read(1 << 20):
                        out.write(piece)
                        if out.tell() > limit:
                            raise ApiError(413, f"{f.filename} is over the {kb.settings.max_file_mb:.3g} MB "
                                                "limit (KB_MAX_FILE_MB)", code="file_too_large", param="files")
                pairs.append((f.filename or "upload", target))
            report = ingest_uploads(kb, pairs).to_dict()
            return {**report, "files": shown(request, report["files"])}

    @api.delete("/documents/{doc_id}", summary="Remove a document (`kb remove`)")
    def remove(request: Request, doc_id: str, library: Library = None) -> dict[str, Any]:
        kb = open_library(request, library)
        try:
            kb.originals.document(doc_id)  # by id only: a path in a URL never selects a file
            return shown(request, [kb.remove(doc_id).to_dict()])[0]
        except NotFoundError as exc:
            raise ApiError(404, str(exc), code="document_not_found") from exc

    @api.get("/search", summary="Passages that match best, with scores (`kb search --json`)")
    def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=4000)],
               k: Annotated[int, Query(ge=1, le=50)] = 5, library: Library = None) -> list[dict[str, Any]]:
        try:
            return shown(request, [h.to_dict() for h in open_library(request, library).search(q, k=k)])
        except QuestionError as exc:
            raise ApiError(400, str(exc), param="q") from exc

    @api.post("/ask", summary="A cited answer (`kb ask --json`)")
    def ask(request: Request, body: AskRequest, library: Library = None) -> dict[str, Any]:
        try:
            kb = open_library(request, library)
            answer = kb.answer(body.question, doc_ids=body.doc_ids)
            out = {**answer.to_dict(), "citations": public_citations(answer, kb.settings.library, request,
                                                                      kb.settings)}
            if answer.related:  # a refusal's nearest passages, paths as allowed like the citations'
                out["related"] = public_citations(answer, kb.settings.library, request, kb.settings, related=True)
            return out
        except QuestionError as exc:
            raise ApiError(400, str(exc), param="question") from exc
        except KBError as exc:
            raise ApiError(500, str(exc)) from exc

    return api
