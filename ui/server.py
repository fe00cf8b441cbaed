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

from kb import KnowledgeBase

from .assets import CSS, HEAD
from .views import router as views_router


class _LoginCheck:
    """A FastAPI dependency: with ``KB_AUTH`` set, the request must carry the UI's login cookie."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.enabled = kb.settings.auth is not None
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


def create_app(kb: KnowledgeBase, demo: gr.Blocks) -> FastAPI:
    settings = kb.settings
    check = _LoginCheck(kb)
    app = FastAPI(title="Document knowledge base", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(views_router(kb, check))
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
    return app
