"""What every command shares: the two consoles, the settings, opening the library, and the one
place where the project's known errors (``KBError``) become a one-line message and an exit code."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from pydantic import ValidationError
from rich.console import Console

from kb.errors import KBError
from kb.settings import Settings
from kb.text import inert

from .progress import complete_vectors

if TYPE_CHECKING:  # chromadb and the encoders load when a command opens the library, not at start-up
    from kb.knowledge_base import KnowledgeBase

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


@contextmanager
def reported(code: int = 1) -> Iterator[None]:
    """A ``KBError`` inside becomes "Error: ..." on stderr and exit ``code``; anything else passes.

    A decorator (``@reported()``: every command is registered through it) or a ``with`` block for
    a step that fails with another code. The traceback is shown too when ``KB_DEBUG`` is on."""
    try:
        yield
    except KBError as exc:
        if debug():
            err.print_exception()
        err.print(f"[red]Error:[/] {exc}")
        raise typer.Exit(code) from None


def debug() -> bool:
    """``KB_DEBUG`` from the environment or ``.env``, as every other setting is read."""
    try:
        return Settings().debug
    except Exception:  # noqa: BLE001 - a broken setting must not hide the original error
        return os.environ.get("KB_DEBUG", "").lower() in ("1", "true", "yes")


def load_settings() -> Settings:
    """The settings, or exit 2 naming the one that is wrong."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "KB_" + str(first["loc"][0]).upper() if first.get("loc") else "settings"
        if field == "KB_LIBRARY":
            err.print(f"[red]Invalid library name {inert(str(first.get('input')))!r}:[/] use lower-case "
                      "letters, digits, - and _ (up to 40), e.g. `kb --library research-2026 ingest PATH`")
        else:
            err.print(f"[red]Invalid setting {field}:[/] {first['msg']}")
        raise typer.Exit(2) from None


def open_library(settings: Settings, create: bool = True) -> KnowledgeBase:
    """The library; ``create=False`` for commands that only read (a missing library is an error)."""
    from kb.knowledge_base import KnowledgeBase

    kb = KnowledgeBase(settings, create=create)
    if kb.migrated:
        err.print(f"Upgraded the library: {kb.migrated} documents moved to file-based ids (once; nothing re-embedded).")
    complete_vectors(kb, err)
    return kb


def require_documents(kb: KnowledgeBase) -> None:
    if not kb.documents():
        err.print("[red]Error:[/] the knowledge base is empty; add documents with `kb ingest PATH` "
                  "(for example `kb ingest seeds`)")
        raise typer.Exit(1)
