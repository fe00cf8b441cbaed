"""The ``kb`` command: a thin shell over ``kb.KnowledgeBase`` and the ingestion pipeline.

Known problems (``KBError``) become one-line messages. ``main`` also turns unexpected errors
into a message unless ``KB_DEBUG=1``; tests call ``app`` directly, so a bug still raises there.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kb.errors import KBError, LLMError, NotFoundError
from kb.records import FileOutcome
from kb.settings import Settings

from . import render
from .help import Command

if TYPE_CHECKING:  # chromadb and llama-index load when a command opens the library
    from kb.knowledge_base import KnowledgeBase

app = typer.Typer(help="Bilingual document knowledge base: ingest files, ask questions, get cited answers.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode="markdown")  # markdown: a docstring's paragraphs are re-wrapped, not cut
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def _error(exc: KBError) -> None:
    """One line for users; the traceback too when ``KB_DEBUG`` is on (environment or ``.env``)."""
    if _debug():
        err.print_exception()
    err.print(f"[red]Error:[/] {exc}")


@app.callback()
def _options(library: Annotated[str | None, typer.Option(
        "--library", "-L", metavar="NAME",
        help="Work on this library (default KB_LIBRARY, else 'default'); see `kb libraries`.")] = None) -> None:
    """Bilingual document knowledge base: ingest files, ask questions, get cited answers."""
    if library:
        os.environ["KB_LIBRARY"] = library  # read with every other setting, and checked the same way


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "KB_" + str(first["loc"][0]).upper() if first.get("loc") else "settings"
        if field == "KB_LIBRARY":
            err.print(f"[red]Invalid library name {render.inert(str(first.get('input')))!r}:[/] use lower-case "
                      "letters, digits, - and _ (up to 40), e.g. `kb --library research-2026 ingest PATH`")
        else:
            err.print(f"[red]Invalid setting {field}:[/] {first['msg']}")
        raise typer.Exit(2) from None


def _open(settings: Settings, create: bool = True) -> KnowledgeBase:
    """The library; ``create=False`` for commands that only read (a missing library is an error)."""
    from kb.knowledge_base import KnowledgeBase

    try:
        kb = KnowledgeBase(settings, create=create)
    except KBError as exc:
        _error(exc)
        raise typer.Exit(1) from None
    if kb.migrated:
        err.print(f"Upgraded the library: {kb.migrated} documents moved to file-based ids (once; nothing re-embedded).")
    _complete_vectors(kb)
    return kb


def _complete_vectors(kb: KnowledgeBase) -> None:
    """A library written before the second encoder existed gets its vectors once, with a progress bar."""
    missing = sum(len(m) for m in kb.missing_vectors().values())
    if not missing:
        return
    err.print(f"Completing the library: {missing} passages embedded by the cross-lingual encoder (once).")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=not err.is_terminal) as bar:
        task = bar.add_task("embedding", total=missing)
        kb.complete_vectors(lambda done, total: bar.update(task, completed=done))


class _BarProgress:
    """Rich progress bars (files, and chunks being embedded) on stderr."""

    def __init__(self, progress: Progress) -> None:
        self.p = progress
        self.files_task = progress.add_task("files", total=0)
        self.name = ""
        self.chunk_task = progress.add_task("embedding", total=0)

    def files(self, total: int) -> None:
        self.p.update(self.files_task, total=total)

    def file_started(self, path: str) -> None:
        self.name = render.inert(Path(path).name)[:40]
        self.p.update(self.files_task, description=f"files ({self.name})")

    def ocr_page(self, done: int, total: int) -> None:
        self.p.update(self.files_task, description=f"files ({self.name}: OCR page {done}/{total})")

    def chunks(self, total: int) -> None:
        task = self.p.tasks[self.chunk_task]
        self.p.update(self.chunk_task, total=(task.total or 0) + total)

    def embedded(self, n: int) -> None:
        self.p.advance(self.chunk_task, n)

    def file_done(self, outcome: FileOutcome) -> None:
        self.p.advance(self.files_task, 1)


class _LineProgress:
    """Without a terminal (a log, a pipe, CI): one plain line on stderr per file handled.

    Someone reading a log of a long ingest sees how far it got; a script can wait for a line.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.total = 0
        self.done = 0
        self.current = ""

    def files(self, total: int) -> None:
        self.total = total

    def file_started(self, path: str) -> None:
        self.current = path

    def chunks(self, total: int) -> None: ...
    def embedded(self, n: int) -> None: ...

    def ocr_page(self, done: int, total: int) -> None:
        self.console.print(f"[{self.done + 1}/{self.total}] OCR page {done}/{total} {render.inert(self.current)}",
                           markup=False, soft_wrap=True)

    def file_done(self, outcome: FileOutcome) -> None:
        self.done += 1
        self.console.print(f"[{self.done}/{self.total}] {outcome.status} {render.inert(outcome.path)}",
                           markup=False, soft_wrap=True)


@app.command(cls=Command)
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

    kb = _open(_settings())
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True, disable=as_json or not err.is_terminal) as progress:
        shown = _BarProgress(progress) if err.is_terminal or as_json else _LineProgress(err)
        report = ingest_paths(kb, paths, prune=prune, progress=shown, keep_duplicates=keep_duplicates)
    if as_json:
        out.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        render.ingest_summary(out, report)
    if report.interrupted:
        raise typer.Exit(130)
    raise typer.Exit(1 if report.failed else 0)


@app.command(cls=Command)
def ask(
    question: Annotated[str, typer.Argument(help="The question, in Chinese or English.")],
    doc: Annotated[list[str] | None,
                   typer.Option("--doc", metavar="ID", help="Restrict to these doc ids (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer and citations as JSON.")] = False,
) -> None:
    """Answer a question from the documents, with numbered citations."""
    kb = _open(_settings(), create=False)
    _require_documents(kb)
    try:
        doc_ids = [kb.find_document(d).doc_id for d in doc] if doc else None
        answer = render.streamed_answer(out, kb.answer_events(question, doc_ids=doc_ids), live=not as_json)
    except KBError as exc:
        _error(exc)
        raise typer.Exit(1) from None
    if as_json:
        data: dict[str, Any] = answer.to_dict()
        out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        render.answer(out, answer)


def _require_documents(kb: KnowledgeBase) -> None:
    if not kb.documents():
        err.print("[red]Error:[/] the knowledge base is empty; add documents with `kb ingest PATH` "
                  "(for example `kb ingest seeds`)")
        raise typer.Exit(1)


@app.command(cls=Command)
def docs(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """List ingested documents."""
    settings = _settings()
    try:
        from kb.knowledge_base import KnowledgeBase

        documents = KnowledgeBase(settings, create=False).documents()
    except NotFoundError as exc:
        if settings.library != "default":
            _error(exc)
            raise typer.Exit(1) from None
        documents = []  # no library yet: listed as empty, and nothing is created
    except KBError as exc:
        _error(exc)
        raise typer.Exit(1) from None
    if as_json:
        out.print_json(json.dumps([d.to_dict() for d in documents], ensure_ascii=False))
    else:
        render.documents_table(out, documents)


@app.command(cls=Command)
def libraries(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """List the libraries with their documents and passages."""
    from kb.libraries import Libraries

    settings = _settings()
    try:
        rows = [row.to_dict() for row in Libraries(settings).summary()]
    except KBError as exc:
        _error(exc)
        raise typer.Exit(1) from None
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
    else:
        render.libraries_table(out, rows)


@app.command(cls=Command)
def search(
    query: Annotated[str, typer.Argument(help="Words or a question, in Chinese or English.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the passages as JSON.")] = False,
) -> None:
    """The passages that match best, with their scores (no answer is composed)."""
    kb = _open(_settings(), create=False)
    try:
        hits = kb.search(query, k=k)
    except KBError as exc:
        _error(exc)
        raise typer.Exit(1) from None
    if as_json:
        out.print_json(json.dumps([h.to_dict() for h in hits], ensure_ascii=False))
    else:
        render.hits(out, [h.to_dict() for h in hits])


@app.command(cls=Command)
def remove(ref: Annotated[str, typer.Argument(help="A doc id (see `kb docs`) or the file's path.")]) -> None:
    """Delete a document and all its chunks."""
    kb = _open(_settings(), create=False)
    try:
        doc = kb.remove(ref)
    except KBError as exc:
        _error(exc)
        raise typer.Exit(1) from None
    out.print(f"Removed {render.inert(doc.name or doc.file)} ({doc.chunks} chunks; id {doc.doc_id}).")


@app.command("eval", cls=Command)
def eval_(
    file: Annotated[Path, typer.Argument(help="Questions, one JSON object a line (see tests/data/eval/dev.jsonl).")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="Cut-off for hit@k.")] = 5,
    baselines: Annotated[bool, typer.Option("--baselines", help="Also score stock llama-index and BM25 alone.")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Measure retrieval and answers on a question set against the current knowledge base."""
    from evals.baselines import bm25_alone, llama_index_stock
    from evals.questions import load_questions
    from evals.run import evaluate, evaluate_retriever, report

    try:
        questions = load_questions(file)
    except KBError as exc:
        _error(exc)
        raise typer.Exit(2) from None
    kb = _open(_settings(), create=False)
    _require_documents(kb)
    ours = report(evaluate(kb, questions, k), k)
    results: dict[str, Any] = dict(ours)
    if baselines:
        results["baselines"] = {
            "llama_index_stock": report(evaluate_retriever(llama_index_stock(kb), questions, k), k),
            "bm25_jieba": report(evaluate_retriever(bm25_alone(kb), questions, k), k),
        }
    if as_json:
        out.print_json(json.dumps(results, ensure_ascii=False))
        return
    render.eval_report(out, results, k)


@app.command(cls=Command)
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default KB_HOST, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default KB_PORT, 7860).")] = None,
) -> None:
    """Start the chat UI, the OpenAI-compatible API (/v1) and the REST API (/api) on one port."""
    settings = _settings()
    if host:
        settings.host = host
    if port:
        settings.port = port
    from web.keys import parse_api_keys
    from web.listen import bind, why_not

    try:
        parse_api_keys(settings.api_keys.get_secret_value() if settings.api_keys else "")
    except KBError as exc:
        err.print(f"[red]Invalid setting[/] {exc}", soft_wrap=True)
        raise typer.Exit(2) from None
    try:  # first, before the library, the model and Gradio load
        sock = bind(settings.host, settings.port)
    except OSError as exc:
        err.print(f"[red]Error:[/] {why_not(exc, settings.host, settings.port)}", soft_wrap=True)
        raise typer.Exit(1) from None
    kb = _open(settings)
    _report_answer_mode(kb)
    from ui.mount import mount
    from web.server import build, run

    app_, lines = build(kb, mount)
    for line in lines:
        out.print(line)
    run(app_, sock)


def _report_answer_mode(kb: KnowledgeBase) -> None:
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


def _debug() -> bool:
    """``KB_DEBUG`` from the environment or ``.env``, as every other setting is read."""
    try:
        return Settings().debug
    except Exception:  # noqa: BLE001 - a broken setting must not hide the original error
        return os.environ.get("KB_DEBUG", "").lower() in ("1", "true", "yes")


def main() -> None:
    """Console-script entry: no tracebacks for users unless KB_DEBUG=1."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if _debug():
            raise
        err.print(f"[red]Unexpected error:[/] {type(exc).__name__}: {render.inert(str(exc))[:300]}")
        err.print("Run again with KB_DEBUG=1 to see the full traceback, and please report it.")
        sys.exit(1)


if __name__ == "__main__":
    main()
