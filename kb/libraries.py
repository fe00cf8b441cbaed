"""Several libraries (knowledge bases) side by side: each is its own Chroma collection with its own
documents, in one data folder or on one Chroma server. A server process opens each once, on first
use, and all of them share one embedding model (loading it per library would cost memory and
seconds for nothing: the vectors must come from the same model anyway)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from .errors import NotFoundError
from .knowledge_base import KnowledgeBase
from .settings import LIBRARY_PATTERN, Settings
from .store.client import library_names


@dataclass(frozen=True)
class LibrarySummary:
    """One row of `kb libraries --json` and of ``GET /api/libraries``."""

    library: str
    documents: int
    chunks: int  # passages
    current: bool  # the default library (the one `kb serve` was started with, or KB_LIBRARY)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Libraries:
    def __init__(self, settings: Settings, first: KnowledgeBase | None = None) -> None:
        self.settings = settings
        self.default = settings.library  # the one `kb serve` was started with
        self._open: dict[str, KnowledgeBase] = {}
        if first is not None:
            self._open[first.settings.library] = first
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        """Every stored library, plus any opened here (an empty new one is listed once created)."""
        return sorted(set(library_names(self.settings)) | set(self._open) | {self.default})

    def get(self, name: str | None = None, create: bool = False) -> KnowledgeBase:
        """The library called ``name`` (the default one when empty); unknown names are a
        ``NotFoundError`` unless ``create``."""
        name = name or self.default
        if not re.match(LIBRARY_PATTERN, name):
            raise NotFoundError(f"'{name[:60]}' is not a library name (lower-case letters, digits, - and _)")
        with self._lock:
            kb = self._open.get(name)
            if kb is not None:
                return kb
            if not create and name != self.default and name not in library_names(self.settings):
                raise NotFoundError(f"there is no library '{name}' (libraries: {', '.join(self.names())})")
            shared = next(iter(self._open.values()), None)
            kb = KnowledgeBase(self.settings.for_library(name), encoders=shared.encoders if shared else None)
            self._open[name] = kb
            return kb

    def summary(self, names: Iterable[str] | None = None) -> list[LibrarySummary]:
        """Each library (default: every one, else those ``names``, e.g. the ones a caller may see)
        with its document and passage counts; a library gone since it was listed counts as empty."""
        rows = []
        for name in self.names() if names is None else names:
            try:
                docs = self.get(name).documents()
            except NotFoundError:
                docs = []
            rows.append(LibrarySummary(name, len(docs), sum(d.chunks for d in docs), name == self.default))
        return rows
