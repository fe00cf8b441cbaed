"""One web server on one port: our own routes (citation views, original files) in a FastAPI app,
with the Gradio chat UI mounted at ``/``.

Mounted rather than ``Blocks.launch()`` so our routes are ordinary FastAPI routes with their own
responses (JSON errors, images, files), served by the same uvicorn process as the UI. When the UI
has a password (``KB_AUTH``) our routes accept only a browser logged in to it: the check reads the
session cookie Gradio set at login.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from kb.libraries import Libraries

from .api_access import ApiError, ApiKeys, error_response
from .assets import CSS, HEAD
from .openai_api import router as openai_router
from .rest_api import router as rest_router
from .views import router as views_router

MAX_API_BODY = 1_000_000  # bytes of a chat request; uploads have their own limit (KB_MAX_FILE_MB)


class _LoginCheck:
    """A FastAPI dependency: with ``KB_AUTH`` set, the request must carry the UI's login cookie."""

    def __init__(self, libraries: Libraries) -> None:
        self.enabled = libraries.settings.auth is not None
        self.gradio: Any = None  # Gradio's own app, known once mounted

    def __call__(self, request: Request) -> None:
        if not self.enabled:
            return
        app = self.gradio
        cookie_id = getattr(app, "cookie_id", "")
        token = request.cookies.get(f"access-token-{cookie_id}") or request.cookies.get(
            f"access-token-unsecure-{cookie_id}")
        if app is None or not token or getattr(app, "tokens", {}).get(token) is None:
            raise HTTPException(status_code=401, detail="log in to the chat UI first")


def create_app(libraries: Libraries, demo: gr.Blocks) -> tuple[FastAPI, str]:
    """The app, and a sentence saying who may use its APIs (printed at start-up)."""
    settings = libraries.settings
    check = _LoginCheck(libraries)
    keys = ApiKeys(settings)
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
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return error_response(400, f"{where or 'request'}: {first.get('msg', 'invalid request')}", param=where or None)

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Any:
        if request.url.path.startswith("/v1/") and int(request.headers.get("content-length") or 0) > MAX_API_BODY:
            return error_response(413, f"the request is over {MAX_API_BODY // 1000} kB", code="request_too_large")
        return await call_next(request)

    auth = None
    if settings.auth is not None:
        user, _, password = settings.auth.get_secret_value().partition(":")
        auth = (user, password)
    app = gr.mount_gradio_app(
        app, demo, path="/", auth=auth, max_file_size=f"{int(settings.max_file_mb)}mb", show_error=False,
        footer_links=["api"], css=CSS, head=HEAD, ssr_mode=False, server_name=settings.host,
        server_port=settings.port,
    )
    check.gradio = next(r.app for r in app.routes if getattr(r, "path", None) == "" and hasattr(r, "app"))
    return app, keys.describe()
