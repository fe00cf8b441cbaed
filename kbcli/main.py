"""The ``kb`` command: a thin shell over ``kb.KnowledgeBase`` and the ingestion pipeline.

The commands live by job: ``kbcli.library`` (ingest, docs, libraries, remove), ``kbcli.questions``
(ask, search, eval), ``kbcli.serving`` (serve); ``kbcli.common`` holds what they share and
``kbcli.progress`` the progress bars. Importing this module loads none of chromadb, the encoders,
llama-index or Gradio: a command loads what it needs when it runs.

Every command is registered through ``common.reported``: a known problem (``KBError``) becomes a
one-line message and exit code 1. ``main`` also turns unexpected errors into a message unless
``KB_DEBUG=1``; tests call ``app`` directly, so a bug still raises there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from kb.text import inert

from . import library, questions, serving
from .common import debug, err, reported
from .help import Command

app = typer.Typer(help="Bilingual document knowledge base: ingest files, ask questions, get cited answers.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode="markdown")  # markdown: a docstring's paragraphs are re-wrapped, not cut


@app.callback()
def _options(library_name: Annotated[str | None, typer.Option(
        "--library", "-L", metavar="NAME",
        help="Work on this library (default KB_LIBRARY, else 'default'); see `kb libraries`.")] = None) -> None:
    """Bilingual document knowledge base: ingest files, ask questions, get cited answers."""
    if library_name:
        os.environ["KB_LIBRARY"] = library_name  # read with every other setting, and checked the same way


def _command(function: Callable[..., Any], name: str | None = None) -> None:
    app.command(name, cls=Command)(reported()(function))


# In the order `kb --help` lists them.
_command(library.ingest)
_command(questions.ask)
_command(library.docs)
_command(library.libraries)
_command(questions.search)
_command(library.remove)
_command(questions.eval_, "eval")
_command(serving.serve)


def main() -> None:
    """Console-script entry: no tracebacks for users unless KB_DEBUG=1."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if debug():
            raise
        err.print(f"[red]Unexpected error:[/] {type(exc).__name__}: {inert(str(exc))[:300]}")
        err.print("Run again with KB_DEBUG=1 to see the full traceback, and please report it.")
        sys.exit(1)


if __name__ == "__main__":
    main()
