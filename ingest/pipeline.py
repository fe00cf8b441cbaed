"""Walk paths, decide added / updated / unchanged per file by content hash, and write to ``kb``.

A document's identity is ``<root folder name>/<path relative to it>``: ingesting ``seeds/``
or one file inside it gives the same id, so re-runs update in place instead of duplicating.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from kb import DocumentInfo, FileOutcome, IngestError, IngestReport, KnowledgeBase

from .chunking import chunk_document
from .clean import clean_markup, derive_title, metadata_from_front_matter, split_front_matter
from .loaders import SUPPORTED_SUFFIXES, load_file

PIPELINE_VERSION = "1"


class Progress(Protocol):
    def files(self, total: int) -> None: ...
    def file_started(self, path: str) -> None: ...
    def chunks(self, total: int) -> None: ...
    def embedded(self, n: int) -> None: ...
    def file_done(self, outcome: FileOutcome) -> None: ...


class _Silent:
    def files(self, total: int) -> None: ...
    def file_started(self, path: str) -> None: ...
    def chunks(self, total: int) -> None: ...
    def embedded(self, n: int) -> None: ...
    def file_done(self, outcome: FileOutcome) -> None: ...


def discover(paths: Iterable[Path]) -> tuple[list[tuple[Path, str]], list[FileOutcome]]:
    """Expand files and folders (recursively, links not followed) into ``(file, doc_id)`` pairs.

    Problems found while walking (missing paths, unreadable folders, unsupported files named
    explicitly) come back as failed outcomes; unsupported files met inside folders are skipped.
    """
    found: list[tuple[Path, str]] = []
    problems: list[FileOutcome] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            problems.append(FileOutcome(str(raw), "failed", reason="no such file or folder"))
            continue
        path = path.resolve()
        if path.is_file():
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                problems.append(FileOutcome(str(raw), "failed", reason=(
                    f"unsupported file type '{path.suffix or '(none)'}' (supported: PDF, TXT, MD, HTML)")))
                continue
            _add(found, seen, path, f"{path.parent.name}/{path.name}")
            continue
        if not os.access(path, os.R_OK | os.X_OK):
            problems.append(FileOutcome(str(raw), "failed", reason="folder is not readable (permission denied)"))
            continue

        def on_error(err: OSError, root: Path = path) -> None:
            problems.append(FileOutcome(str(err.filename or root), "failed",
                                        reason=f"cannot read folder: {err.strerror or err}"))

        for folder, dirnames, filenames in os.walk(path, onerror=on_error, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                file = Path(folder) / name
                if name.startswith(".") or file.is_symlink() and not file.exists():
                    continue
                if file.suffix.lower() not in SUPPORTED_SUFFIXES:
                    problems.append(FileOutcome(str(file), "skipped", reason=f"unsupported type '{file.suffix}'"))
                    continue
                rel = file.relative_to(path).as_posix()
                _add(found, seen, file, f"{path.name}/{rel}")
    return found, problems


def _add(found: list[tuple[Path, str]], seen: set[str], file: Path, doc_id: str) -> None:
    if doc_id not in seen:
        seen.add(doc_id)
        found.append((file, doc_id))


def ingest_paths(
    kb: KnowledgeBase, paths: Iterable[Path | str], prune: bool = False, progress: Progress | None = None
) -> IngestReport:
    """Ingest files and folders into ``kb``; one bad file never stops the others.

    On Ctrl-C the report so far is returned with ``interrupted`` set; every document already
    written is complete (its registry entry is written last).
    """
    progress = progress or _Silent()
    started = time.perf_counter()
    roots = [Path(p) for p in paths]
    report = IngestReport()
    files, problems = discover(roots)
    report.outcomes.extend(problems)
    progress.files(len(files))
    registry = kb.store.documents()
    try:
        for file, doc_id in files:
            progress.file_started(str(file))
            outcome = _ingest_one(kb, file, doc_id, registry.get(doc_id), progress)
            report.outcomes.append(outcome)
            progress.file_done(outcome)
        if prune:
            report.outcomes.extend(_prune(kb, roots, {d for _, d in files}))
    except KeyboardInterrupt:
        report.interrupted = True
    report.seconds = time.perf_counter() - started
    return report


def _ingest_one(kb: KnowledgeBase, file: Path, doc_id: str, known: DocumentInfo | None,
                progress: Progress) -> FileOutcome:
    settings = kb.settings
    try:
        data_hash = _hash_file(file, settings.chunk_size, settings.chunk_overlap)
        if known is not None and known.content_hash == data_hash:
            return FileOutcome(str(file), "unchanged", doc_id, known.chunks)
        loaded = load_file(file, int(settings.max_file_mb * 1024 * 1024))
        meta: dict[str, str] = dict(loaded.meta)
        pages = []
        for i, page in enumerate(loaded.pages):
            if i == 0 and not loaded.paged:
                front, page = split_front_matter(page)
                meta.update(metadata_from_front_matter(front))
            pages.append(clean_markup(page))
        if not any(p.strip() for p in pages):
            raise IngestError("no text left after cleaning (the file holds only markup or links)")
        text, chunks = chunk_document(doc_id, pages, loaded.paged, settings.chunk_size, settings.chunk_overlap)
        if not chunks:
            raise IngestError("no text to index")
        zh = sum(len(c.text) for c in chunks if c.lang == "zh")
        info = DocumentInfo(
            doc_id=doc_id,
            file=str(file),
            title=derive_title(meta, text, file.stem),
            lang="zh" if zh * 2 >= sum(len(c.text) for c in chunks) else "en",
            pages=len(loaded.pages) if loaded.paged else None,
            chunks=len(chunks),
            content_hash=data_hash,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            date=meta.get("date"),
            source_url=meta.get("source_url"),
        )
        progress.chunks(len(chunks))
        kb.put_document(info, chunks, on_embedded=progress.embedded)
        return FileOutcome(str(file), "updated" if known else "added", doc_id, len(chunks))
    except IngestError as exc:
        return FileOutcome(str(file), "failed", doc_id, reason=str(exc))
    except (OSError, MemoryError) as exc:
        return FileOutcome(str(file), "failed", doc_id, reason=f"cannot read file: {exc}")
    except Exception as exc:
        if settings.debug:
            raise
        return FileOutcome(str(file), "failed", doc_id, reason=f"unexpected error: {type(exc).__name__}: {exc}")


def _hash_file(file: Path, size: int, overlap: int) -> str:
    """Content hash plus the chunking settings, so changing them re-chunks on the next run."""
    h = hashlib.sha256(f"v{PIPELINE_VERSION}:{size}:{overlap}\n".encode())
    with file.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _prune(kb: KnowledgeBase, paths: list[Path], present: set[str]) -> list[FileOutcome]:
    """Remove documents under the given folders whose files are gone."""
    roots = [str(p.expanduser().resolve()) for p in paths if p.expanduser().is_dir()]
    out = []
    for doc in kb.documents():
        under = any(doc.file == r or doc.file.startswith(r + os.sep) for r in roots)
        if under and doc.doc_id not in present and not Path(doc.file).exists():
            kb.store.delete_document(doc.doc_id)
            out.append(FileOutcome(doc.file, "removed", doc.doc_id, doc.chunks, reason="file no longer exists"))
    kb.store.delete_orphans()
    return out
