"""``kb serve``: the chat UI and both HTTP APIs on one port, with what it says at start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kb.errors import KBError, LLMError

from .common import err, load_settings, open_library, out

if TYPE_CHECKING:
    from kb.knowledge_base import KnowledgeBase


def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default KB_HOST, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default KB_PORT, 7860).")] = None,
) -> None:
    """Start the chat UI, the OpenAI-compatible API (/v1) and the REST API (/api) on one port."""
    settings = load_settings()
    if host:
        settings.host = host
    if port:
        settings.port = port
    from web.keys import parse_api_keys
    from web.listen import bind, why_not

    try:  # a setting, checked as the others are (exit 2), but read by the web layer
        parse_api_keys(settings.api_keys.get_secret_value() if settings.api_keys else "")
    except KBError as exc:
        err.print(f"[red]Invalid setting[/] {exc}", soft_wrap=True)
        raise typer.Exit(2) from None
    try:  # first, before the library, the model and Gradio load
        sock = bind(settings.host, settings.port)
    except OSError as exc:
        err.print(f"[red]Error:[/] {why_not(exc, settings.host, settings.port)}", soft_wrap=True)
        raise typer.Exit(1) from None
    kb = open_library(settings)
    report_answer_mode(kb)
    from ui.mount import mount
    from web.server import build, run

    app, lines = build(kb, mount)
    for line in lines:
        out.print(line)
    run(app, sock)


def report_answer_mode(kb: KnowledgeBase) -> None:
    """Say at start-up who writes the answers, and whether a configured LLM answers at all."""
    if kb.generator is None:
        out.print("Answers: quoted from the documents (set KB_LLM_BASE_URL to have an LLM write them).")
        return
    model = kb.generator.model
    try:
        model.check()
    except LLMError as exc:
        err.print(f"[yellow]Warning:[/] {exc}; answers are quoted from the documents until it answers.")
        return
    out.print(f"Answers: written by {model.model}, checked against the passages; quoted if it fails.")
