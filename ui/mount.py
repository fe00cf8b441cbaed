"""Put the chat UI on the web server's app (``web.server.MountUi``): the one place Gradio meets FastAPI."""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr
from fastapi import FastAPI, Request

from kb.libraries import Libraries

from .app import build
from .assets import CSS, HEAD


def mount(app: FastAPI, libraries: Libraries) -> Callable[[Request], bool]:
    """Mount the chat at ``/`` (password-protected when ``KB_AUTH`` is set); return the login check.

    The check reads the session cookie Gradio sets at login, so the citation routes can let in a
    browser that is logged in to the chat."""
    settings = libraries.settings
    demo = build(libraries)
    demo.queue(default_concurrency_limit=8)
    auth = None
    if settings.auth is not None:
        user, _, password = settings.auth.get_secret_value().partition(":")
        auth = (user, password)
    gr.mount_gradio_app(
        app, demo, path="/", auth=auth, max_file_size=f"{int(settings.max_file_mb)}mb", show_error=False,
        footer_links=["api"], css=CSS, head=HEAD, ssr_mode=False, server_name=settings.host,
        server_port=settings.port,
    )
    gradio = next(r.app for r in app.routes if getattr(r, "path", None) == "" and hasattr(r, "app"))

    def logged_in(request: Request) -> bool:
        cookie_id = getattr(gradio, "cookie_id", "")
        token = request.cookies.get(f"access-token-{cookie_id}") or request.cookies.get(
            f"access-token-unsecure-{cookie_id}")
        return bool(token) and getattr(gradio, "tokens", {}).get(token) is not None

    return logged_in
