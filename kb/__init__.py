"""Bilingual document knowledge base: the core (settings, embeddings, store, retrieval, answers).

Imports nothing from the other layers; ``ingest``, ``evals``, ``web``, ``ui`` and ``kbcli`` build on it.

The names below load on first use (PEP 562), so ``kb --help`` or reading the settings pays only
for what it uses. Importing ``KnowledgeBase`` is cheap too: chromadb and the encoders load when a
library is opened, llama-index only with ``kb.adapters``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .settings import disable_telemetry

# Before chromadb, gradio or HF libraries can read their phone-home settings.
disable_telemetry()

_WHERE = {
    "KnowledgeBase": "knowledge_base",
    "IngestError": "errors", "KBError": "errors", "NotFoundError": "errors", "QuestionError": "errors",
    "StoreError": "errors",
    "Answer": "records", "Chunk": "records", "Citation": "records", "DocumentInfo": "records",
    "FileOutcome": "records", "Hit": "records", "IngestReport": "records",
    "Settings": "settings",
}
__all__ = [*_WHERE, "disable_telemetry"]

if TYPE_CHECKING:  # what type checkers and editors see; at run time __getattr__ loads them
    from .errors import IngestError, KBError, NotFoundError, QuestionError, StoreError  # noqa: F401
    from .knowledge_base import KnowledgeBase  # noqa: F401
    from .records import Answer, Chunk, Citation, DocumentInfo, FileOutcome, Hit, IngestReport  # noqa: F401
    from .settings import Settings  # noqa: F401


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'kb' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
