"""Walk paths, decide per file whether it is new, changed, moved, a duplicate or unchanged, and
write to ``kb``.

A document is a file (``kb.identity``): its id comes from the file's real path, so any spelling
of the path reaches the same document and same-named folders never collide. A file whose bytes
match a stored document is that document moved (when the stored one's file is gone) or a
duplicate (when it is still there): a move re-uses the stored vectors, a duplicate is reported
and not stored twice unless asked.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from kb import Chunk, DocumentInfo, FileOutcome, IngestError, IngestReport, KnowledgeBase
from kb.store.identity import document_id, file_sha256, on_this_machine, source_key

from .chunking import chunk_document
from .clean import clean_markup, derive_title, metadata_from_front_matter, split_front_matter
from .loaders import SUPPORTED_SUFFIXES, load_file, refused, unsupported
from .ocr import ocr_available

# 2: vectors embed text in simplified script; ids from real paths (kb.store.identity).
# 3: headings are sections, not chunk text; tables as rows with context; sentences not cut at
#    abbreviations; sentence vectors of the second encoder (their positions follow the cut).
# 4: a PDF table continued on the next page keeps its caption and header; a table without a
#    caption is named in its header's language.
# 5: a paper's keyword and classification lines are furniture (re-marked on the next ingest; the
#    vectors are reused, nothing is embedded again).
# 6: notes that cite with "Ibid", "op. cit." or "loc. cit." are furniture (re-marked the same way).
# 7: a rewritten chunk's metadata replaces the old instead of merging into it (Chroma's upsert kept
#    furniture marks, a section or a page the new text lacks); every document is rewritten once, its
#    vectors reused, so marks left by an earlier edit are dropped.
# 8: HTML images (<img src="…png">) are dropped like Markdown images, with table rows left empty,
#    HTML list and layout tags become line ends; a contents entry whose page number was cut off is
#    furniture.
# 9: a web address a sentence reads through is kept ("described in PDEP-1 at https://…"), link text
#    may wrap onto a second line, and the brackets an address leaves empty go.
# 10: a journal's page-turn note ("(下转第 124 页)"), a paper's received / revised dates and the
#     journal's web address line are furniture (re-marked, vectors reused).
# 11: a sentence longer than a chunk is cut after a comma or at a space again, not in the middle of
#     a word ("…achievement" | "s to ensure teaching outcomes…"): a regular expression of the same
#     name had replaced the one that says where to cut.
PIPELINE_VERSION = "11"


class Progress(Protocol):
    def files(self, total: int) -> None: ...
    def file_started(self, path: str) -> None: ...
    def chunks(self, total: int) -> None: ...
    def embedded(self, n: int) -> None: ...
    def file_done(self, outcome: FileOutcome) -> None: ...
    def ocr_page(self, done: int, total: int) -> None: ...


class _Silent:
    def files(self, total: int) -> None: ...
    def file_started(self, path: str) -> None: ...
    def chunks(self, total: int) -> None: ...
    def embedded(self, n: int) -> None: ...
    def file_done(self, outcome: FileOutcome) -> None: ...
    def ocr_page(self, done: int, total: int) -> None: ...


def discover(paths: Iterable[Path], shared: bool = False, own: Iterable[Path] = ()
             ) -> tuple[list[tuple[Path, str]], list[FileOutcome]]:
    """Expand files and folders (recursively, links not followed) into ``(file, doc_id)`` pairs.

    Problems found while walking (missing paths, unreadable folders, unsupported files named
    explicitly) come back as failed outcomes; unsupported files met inside folders are skipped.
    One file reached twice (as itself and through its folder) is listed once. ``own`` are the
    library's own files and folders (the Chroma store, the feedback log): a folder that holds the
    data folder is walked without them, and they are not reported.
    """
    own_paths = {p.resolve() for p in own}
    found: list[tuple[Path, str]] = []
    problems: list[FileOutcome] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            problems.append(refused(str(raw), IngestError("no such file or folder", "missing")))
            continue
        path = path.resolve()
        if path.is_file():
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                problems.append(refused(str(raw), unsupported(path.suffix.lower())))
                continue
            _add(found, seen, path, shared)
            continue
        if not os.access(path, os.R_OK | os.X_OK):
            problems.append(refused(str(raw), IngestError("folder is not readable (permission denied)",
                                                          "folder_denied")))
            continue

        def on_error(err: OSError, root: Path = path) -> None:
            problems.append(refused(str(err.filename or root), IngestError(
                f"cannot read folder: {err.strerror or err}", "folder_unreadable", detail=err.strerror or err)))

        for folder, dirnames, filenames in os.walk(path, onerror=on_error, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames
                                 if not d.startswith(".") and Path(folder, d).resolve() not in own_paths)
            for name in sorted(filenames):
                file = Path(folder) / name
                if name.startswith(".") or file.is_symlink() and not file.exists() or file.resolve() in own_paths:
                    continue
                if file.suffix.lower() not in SUPPORTED_SUFFIXES:
                    problems.append(refused(str(file), unsupported(file.suffix.lower()), "skipped"))
                    continue
                _add(found, seen, file, shared)
    return found, problems


def _add(found: list[tuple[Path, str]], seen: set[str], file: Path, shared: bool) -> None:
    doc_id = document_id(source_key(file, shared))
    if doc_id not in seen:
        seen.add(doc_id)
        found.append((file, doc_id))


def ingest_paths(
    kb: KnowledgeBase, paths: Iterable[Path | str], prune: bool = False, progress: Progress | None = None,
    keep_duplicates: bool = False,
) -> IngestReport:
    """Ingest files and folders into ``kb``; one bad file never stops the others.

    On Ctrl-C the report so far is returned with ``interrupted`` set; every document already
    written is complete (its registry entry is written last).
    """
    progress = progress or _Silent()
    started = time.perf_counter()
    roots = [Path(p) for p in paths]
    report = IngestReport()
    shared = bool(kb.settings.chroma_url)
    own = [] if shared else [kb.settings.chroma_dir, kb.settings.feedback_file]
    kb.complete_vectors()  # a library written before the second encoder existed: once
    files, problems = discover(roots, shared, own)
    report.outcomes.extend(problems)
    progress.files(len(files))
    library = _Library(kb)
    try:
        for file, doc_id in files:
            progress.file_started(str(file))
            outcome = _ingest_one(kb, file, doc_id, library, progress, keep_duplicates)
            report.outcomes.append(outcome)
            progress.file_done(outcome)
        if prune:
            report.outcomes.extend(_prune(kb, roots, {d for _, d in files}))
    except KeyboardInterrupt:
        report.interrupted = True
    report.seconds = time.perf_counter() - started
    return report


class _Library:
    """The registry as this run sees it: by id, and by file hash for duplicates and moves."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.by_id = {d.doc_id: d for d in kb.documents()}
        self.by_sha: dict[str, list[DocumentInfo]] = {}
        for d in self.by_id.values():
            self.by_sha.setdefault(d.file_sha256, []).append(d)

    def same_bytes(self, sha: str, doc_id: str) -> DocumentInfo | None:
        return next((d for d in self.by_sha.get(sha, []) if d.doc_id != doc_id and d.doc_id in self.by_id), None)

    def put(self, info: DocumentInfo) -> None:
        self.by_id[info.doc_id] = info
        self.by_sha.setdefault(info.file_sha256, []).append(info)

    def drop(self, doc_id: str) -> None:
        self.by_id.pop(doc_id, None)


def _ingest_one(kb: KnowledgeBase, file: Path, doc_id: str, library: _Library, progress: Progress,
                keep_duplicates: bool) -> FileOutcome:
    settings = kb.settings
    known = library.by_id.get(doc_id)
    try:
        sha = file_sha256(file)
        data_hash = _settings_hash(sha, settings.chunk_size, settings.chunk_overlap,
                                   settings.ocr and ocr_available())
        if known is not None and known.content_hash == data_hash:
            return FileOutcome(str(file), "unchanged", doc_id, known.chunks)
        twin = library.same_bytes(sha, doc_id) if known is None else None
        moved_from = None
        if twin is not None:
            if _gone(twin, bool(settings.chroma_url)):
                moved_from = twin
            elif not keep_duplicates:
                return FileOutcome(str(file), "duplicate", doc_id, twin.chunks, duplicate_of=twin.name or twin.file,
                                   reason=f"same content as {twin.name or twin.file}, already in the library")
        info, chunks = _read(kb, file, doc_id, sha, data_hash, progress)
        progress.chunks(len(chunks))
        embedded = kb.put_document(info, chunks, on_embedded=progress.embedded)
        library.put(info)
        if moved_from is not None:
            kb.remove(moved_from.doc_id)
            library.drop(moved_from.doc_id)
            return FileOutcome(str(file), "moved", doc_id, len(chunks), embedded=embedded,
                               reason=f"moved from {moved_from.file}")
        return FileOutcome(str(file), "updated" if known else "added", doc_id, len(chunks), embedded=embedded)
    except IngestError as exc:
        return refused(str(file), exc, doc_id=doc_id)
    except (OSError, MemoryError) as exc:
        return refused(str(file), IngestError(f"cannot read file: {exc}", "unreadable", detail=exc), doc_id=doc_id)
    except Exception as exc:
        if settings.debug:
            raise
        detail = f"{type(exc).__name__}: {exc}"
        return refused(str(file), IngestError(f"unexpected error: {detail}", "unexpected", detail=detail),
                       doc_id=doc_id)


def _gone(doc: DocumentInfo, shared: bool) -> bool:
    """The stored document's file no longer exists (on this machine; another machine's we cannot see)."""
    return on_this_machine(doc.source, shared) and not Path(doc.file).exists()


def _read(kb: KnowledgeBase, file: Path, doc_id: str, sha: str, data_hash: str, progress: Progress
          ) -> tuple[DocumentInfo, list[Chunk]]:
    settings = kb.settings
    loaded = load_file(file, int(settings.max_file_mb * 1024 * 1024), settings.ocr, progress.ocr_page)
    meta: dict[str, str] = dict(loaded.meta)
    if not any(p.strip() for p in loaded.pages):
        raise IngestError("the file holds no text (only blank lines or spaces): add its text and ingest it again",
                          "blank")
    pages = []
    for i, page in enumerate(loaded.pages):
        if i == 0 and not loaded.paged:
            front, page = split_front_matter(page)
            meta.update(metadata_from_front_matter(front))
        pages.append(clean_markup(page))
    if not any(p.strip() for p in pages):
        raise IngestError("no text left after cleaning (the file holds only markup or links)", "only_markup")
    text, chunks = chunk_document(doc_id, pages, loaded.paged, settings.chunk_size, settings.chunk_overlap)
    if not chunks:
        raise IngestError("no text to index", "no_text")
    for c in chunks:
        c.ocr = c.page in loaded.ocr_pages if loaded.paged else bool(loaded.ocr_pages)
    zh = sum(len(c.text) for c in chunks if c.lang == "zh")
    info = DocumentInfo(
        doc_id=doc_id,
        file=str(file),
        title=derive_title(meta, text, file.stem),
        lang="zh" if zh * 2 >= sum(len(c.text) for c in chunks) else "en",
        pages=len(loaded.pages) if loaded.paged else (loaded.parts[0] if loaded.parts else None),
        unit=loaded.parts[1] if loaded.parts else "pages",
        chunks=len(chunks),
        content_hash=data_hash,
        ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        date=meta.get("date"),
        source_url=meta.get("source_url"),
        file_sha256=sha,
        source=source_key(file, bool(settings.chroma_url)),
    )
    return info, chunks


def _settings_hash(sha: str, size: int, overlap: int, ocr: bool) -> str:
    """The file's hash plus the pipeline and chunking settings, so changing them re-chunks on the next run
    (and turning OCR on reads the scanned pages an earlier run had to leave out)."""
    return hashlib.sha256(f"v{PIPELINE_VERSION}:{size}:{overlap}:{int(ocr)}:{sha}".encode()).hexdigest()


def _prune(kb: KnowledgeBase, paths: list[Path], present: set[str]) -> list[FileOutcome]:
    """Remove documents under the given folders whose files are gone."""
    roots = [str(p.expanduser().resolve()) for p in paths if p.expanduser().is_dir()]
    out = []
    for doc in kb.documents():
        under = any(doc.file == r or doc.file.startswith(r + os.sep) for r in roots)
        if under and doc.doc_id not in present and not Path(doc.file).exists():
            kb.remove(doc.doc_id)
            out.append(FileOutcome(doc.file, "removed", doc.doc_id, doc.chunks, reason="file no longer exists"))
    kb.delete_orphans()
    return out
