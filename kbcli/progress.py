"""Progress on stderr: bars on a terminal, one plain line per file elsewhere (a log, a pipe, CI)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kb.records import FileOutcome
from kb.text import inert

if TYPE_CHECKING:
    from ingest.pipeline import Progress as IngestProgress
    from kb.knowledge_base import KnowledgeBase


def _bars(console: Console, disable: bool, transient: bool = False) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, disable=disable, transient=transient)


def complete_vectors(kb: KnowledgeBase, console: Console) -> None:
    """A library written before the second encoder existed gets its vectors once, with a progress bar."""
    missing = sum(len(m) for m in kb.missing_vectors().values())
    if not missing:
        return
    console.print(f"Completing the library: {missing} passages embedded by the cross-lingual encoder (once).")
    with _bars(console, disable=not console.is_terminal) as bar:
        task = bar.add_task("embedding", total=missing)
        kb.complete_vectors(lambda done, total: bar.update(task, completed=done))


@contextmanager
def ingest_progress(console: Console, quiet: bool) -> Iterator[IngestProgress]:
    """What ``ingest_paths`` reports to: bars on a terminal (none when ``quiet``), else a line per file."""
    with _bars(console, transient=True, disable=quiet or not console.is_terminal) as progress:
        yield BarProgress(progress) if console.is_terminal or quiet else LineProgress(console)


class BarProgress:
    """Rich progress bars (files, and chunks being embedded)."""

    def __init__(self, progress: Progress) -> None:
        self.p = progress
        self.files_task = progress.add_task("files", total=0)
        self.name = ""
        self.chunk_task = progress.add_task("embedding", total=0)

    def files(self, total: int) -> None:
        self.p.update(self.files_task, total=total)

    def file_started(self, path: str) -> None:
        self.name = inert(Path(path).name)[:40]
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


class LineProgress:
    """Without a terminal: one plain line per file handled.

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
        self.console.print(f"[{self.done + 1}/{self.total}] OCR page {done}/{total} {inert(self.current)}",
                           markup=False, soft_wrap=True)

    def file_done(self, outcome: FileOutcome) -> None:
        self.done += 1
        self.console.print(f"[{self.done}/{self.total}] {outcome.status} {inert(outcome.path)}",
                           markup=False, soft_wrap=True)
