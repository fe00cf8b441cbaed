"""Files uploaded from the browser: sanitised names, copied into the data folder, ingested.

A browser-supplied name is never used as a path: only its last component survives, stripped of
separators, control characters and leading dots, and shortened, so nothing is written outside
``<data dir>/uploads/<content hash>/``.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from kb import IngestError, IngestReport, KnowledgeBase
from kb.store.identity import file_sha256

from .loaders import SUPPORTED_SUFFIXES, refused, unsupported
from .pipeline import Progress, ingest_paths

_UNSAFE_RE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
MAX_NAME = 120  # characters
MAX_NAME_BYTES = 200  # file systems allow 255 bytes; Chinese characters take 3 each in UTF-8


def safe_name(name: str) -> str:
    """``../../etc/passwd`` -> ``passwd``; ``..\\\\evil.txt`` -> ``evil.txt``; long names shortened."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE_RE.sub("", name).strip().lstrip(".").strip()
    if not name:
        name = "upload"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10]
    budget = MAX_NAME - (len(ext) + 1 if ext else 0)
    stem = stem[:budget]
    byte_budget = MAX_NAME_BYTES - len(ext.encode()) - 1
    while len(stem.encode()) > byte_budget:
        stem = stem[:-1]
    stem = stem.rstrip() or "upload"
    return f"{stem}.{ext}" if ext else stem


def ingest_uploads(
    kb: KnowledgeBase, files: Sequence[tuple[str, Path]], progress: Progress | None = None
) -> IngestReport:
    """Copy each ``(browser name, temp path)`` into ``uploads/`` and ingest the copies."""
    folder = kb.settings.uploads_dir
    folder.mkdir(parents=True, exist_ok=True)
    limit = kb.settings.max_file_mb * 1024 * 1024
    report = IngestReport()
    targets: list[Path] = []
    for original, temp in files:
        name = safe_name(original)
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            report.outcomes.append(refused(name, unsupported(Path(name).suffix.lower())))
            continue
        try:
            size = Path(temp).stat().st_size
        except OSError as exc:
            report.outcomes.append(refused(name, IngestError(f"upload not received: {exc.strerror}", "upload_lost",
                                                             detail=exc.strerror)))
            continue
        if size > limit:
            megabytes, limit_mb = f"{size / 1e6:.1f}", f"{kb.settings.max_file_mb:.3g}"
            report.outcomes.append(refused(name, IngestError(
                f"file is {megabytes} MB, over the {limit_mb} MB limit (KB_MAX_FILE_MB)", "too_large",
                size=megabytes, limit=limit_mb)))
            continue
        # One folder per content: two different files of the same name never overwrite each
        # other, and the same file uploaded twice lands on the same path (so it is "unchanged").
        target = (folder / file_sha256(Path(temp))[:16] / name).resolve()
        if target.parent.parent != folder.resolve():  # belt and braces: never outside uploads/
            report.outcomes.append(refused(name, IngestError("invalid file name", "bad_name")))
            continue
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(temp, target)
        targets.append(target)
    if targets:
        inner = ingest_paths(kb, targets, progress=progress)
        names = {d.doc_id: d.name or Path(d.file).name for d in kb.documents()}
        for outcome in inner.outcomes:
            if outcome.status == "unchanged":  # uploaded before: same content, same name, same place
                outcome.status = "duplicate"
                outcome.duplicate_of = names.get(outcome.doc_id or "", Path(outcome.path).name)
                outcome.reason = "same content as a stored document; not added again"
                continue
            copy_folder = Path(outcome.path).parent
            if outcome.status in ("duplicate", "failed") and copy_folder.parent == folder.resolve():
                shutil.rmtree(copy_folder, ignore_errors=True)  # nothing of it is stored: keep no copy
        report.outcomes.extend(inner.outcomes)
        report.seconds = inner.seconds
    return report
