"""Commands that change or list what is stored: ``ingest``, ``docs``, ``libraries``, ``remove``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kb.errors import NotFoundError
from kb.text import inert

from . import render
from .common import err, load_settings, open_library, out
from .progress import ingest_progress


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    prune: Annotated[bool, typer.Option(help="Also remove documents under these folders whose files are gone.")]
    = False,
    keep_duplicates: Annotated[bool, typer.Option(
        "--keep-duplicates", help="Store a file even when another stored file has the same content.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Add or update documents (PDF, TXT, MD, HTML, Office, images; scans by OCR). Unchanged files are skipped.

    A file with the same content as a stored one is reported as a duplicate and not stored
    again (unless --keep-duplicates); a stored file found at a new path is moved, re-using its
    vectors. Exit code 0 when every file was ingested, 1 when any failed (the others are still
    stored).
    """
    from ingest.pipeline import ingest_paths

    kb = open_library(load_settings())
    with ingest_progress(err, quiet=as_json) as shown:
        report = ingest_paths(kb, paths, prune=prune, progress=shown, keep_duplicates=keep_duplicates)
    if as_json:
        out.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        render.ingest_summary(out, report)
    if report.interrupted:
        raise typer.Exit(130)
    raise typer.Exit(1 if report.failed else 0)


def docs(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """List ingested documents."""
    from kb.knowledge_base import KnowledgeBase

    settings = load_settings()
    try:
        documents = KnowledgeBase(settings, create=False).documents()
    except NotFoundError:
        if settings.library != "default":
            raise
        documents = []  # no library yet: listed as empty, and nothing is created
    if as_json:
        out.print_json(json.dumps([d.to_dict() for d in documents], ensure_ascii=False))
    else:
        render.documents_table(out, documents)


def libraries(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """List the libraries with their documents and passages."""
    from kb.libraries import Libraries

    rows = [row.to_dict() for row in Libraries(load_settings()).summary()]
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
    else:
        render.libraries_table(out, rows)


def remove(ref: Annotated[str, typer.Argument(help="A doc id (see `kb docs`) or the file's path.")]) -> None:
    """Delete a document and all its chunks."""
    doc = open_library(load_settings(), create=False).remove(ref)
    out.print(f"Removed {inert(doc.name or doc.file)} ({doc.chunks} chunks; id {doc.doc_id}).")
