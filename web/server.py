"""One web server on one port: our own routes (APIs, citation views, original files) in a FastAPI
app, with the chat UI mounted at ``/`` by whoever starts the server.

Mounted rather than ``Blocks.launch()`` so our routes are ordinary FastAPI routes with their own
responses (JSON errors, images, files), served by the same uvicorn process as the UI. This module
does not import Gradio: the caller passes a ``MountUi`` function (``ui.mount.mount``) that puts the
chat on the app and says how to tell a logged-in browser. When the UI has a password (``KB_AUTH``)
the citation routes accept such a browser, or an API key allowed for the library.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from kb import KnowledgeBase
from kb.libraries import Libraries

from .api_access import ApiError, ApiKeys, error_response
from .openai_api import router as openai_router
from .rest_api import router as rest_router
from .views import router as views_router

MAX_API_BODY = 1_000_000  # bytes of a chat request; uploads have their own limit (KB_MAX_FILE_MB)

SessionCheck = Callable[[Request], bool]  # does this request come from a browser logged in to the UI?
MountUi = Callable[[FastAPI, Libraries], SessionCheck]  # puts the chat UI at "/" on the app


class _LoginCheck:
    """A FastAPI dependency: with ``KB_AUTH`` set, a citation route needs the UI's login or an API
    key allowed for the library."""

    def __init__(self, libraries: Libraries, keys: ApiKeys) -> None:
        self.enabled = libraries.settings.auth is not None
        self.keys = keys
        self.logged_in: SessionCheck | None = None  # known once the UI is mounted

    def __call__(self, request: Request) -> None:
        if not self.enabled:
            return
        if self.logged_in is not None and self.logged_in(request):
            return
        if self.keys.allows(request, str(request.path_params.get("lib", ""))):
            return  # an API client opening the pages its answers cite
        raise HTTPException(status_code=401, detail="log in to the chat UI first, or send an API key for this "
                                                    "library as 'Authorization: Bearer KEY'")


def create_app(libraries: Libraries, mount_ui: MountUi | None = None) -> tuple[FastAPI, str]:
    """The app, and a sentence saying who may use its APIs (printed at start-up)."""
    keys = ApiKeys(libraries.settings)
    check = _LoginCheck(libraries, keys)
    app = FastAPI(title="Document knowledge base API", docs_url="/api/docs", redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="OpenAI-compatible chat (`/v1`) and a REST surface (`/api`) over the libraries.")
    app.include_router(openai_router(libraries, keys))
    app.include_router(rest_router(libraries, keys))
    app.include_router(views_router(libraries, check))

    @app.exception_handler(ApiError)
    def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), exc.code, exc.param)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_error(exc)

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Any:
        if request.url.path.startswith("/v1/") and int(request.headers.get("content-length") or 0) > MAX_API_BODY:
            return error_response(413, f"the request is over {MAX_API_BODY // 1000} kB", code="request_too_large")
        return await call_next(request)

    if mount_ui is not None:
        check.logged_in = mount_ui(app, libraries)
    return app, keys.describe()


def _validation_error(exc: RequestValidationError) -> JSONResponse:
    """The first problem, named by its field; a body that is not JSON at all says so (not "1: ...")."""
    first = exc.errors()[0] if exc.errors() else {}
    if first.get("type") == "json_invalid":
        detail = str((first.get("ctx") or {}).get("error") or "").strip()
        at = next((p for p in first.get("loc", ())[1:] if isinstance(p, int)), None)
        where = f" at character {at}" if at is not None else ""
        return error_response(400, f"the request body is not valid JSON: {detail or 'cannot be parsed'}{where}",
                              code="invalid_json")
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    return error_response(400, f"{where or 'request'}: {first.get('msg', 'invalid request')}", param=where or None)


def build(kb: KnowledgeBase, mount_ui: MountUi | None) -> tuple[FastAPI, list[str]]:
    """The app over ``kb``'s library (and every other), and the lines that say where it is."""
    settings = kb.settings
    kb.warm_up()
    libraries = Libraries(settings, first=kb)
    app, access = create_app(libraries, mount_ui)
    shown_host = "127.0.0.1" if settings.host in ("0.0.0.0", "") else settings.host
    base = f"http://{shown_host}:{settings.port}"
    count = len(kb.documents())
    return app, [
        f"Chat UI on {base}/ (library '{settings.library}', {count} document{'' if count == 1 else 's'}"
        f"{', password protected' if settings.auth else ''}). Ctrl-C to stop.",
        f"OpenAI-compatible API on {base}/v1 (models = libraries: {', '.join(libraries.names())}), "
        f"REST API on {base}/api (docs: {base}/api/docs); {access}.",
    ]


def run(app: FastAPI, sock: socket.socket) -> None:
    """Serve until Ctrl-C on the socket ``web.listen.bind`` returned."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=3))
    server.run(sockets=[sock])
