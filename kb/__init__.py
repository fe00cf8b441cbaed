"""Bilingual document knowledge base: the core (settings, embeddings, store, retrieval, answers).

Imports nothing from the CLI or the UI; ``ingest`` and ``ui`` build on this package.
"""

from .base import KnowledgeBase
from .errors import IngestError, KBError, NotFoundError, QuestionError, StoreError
from .models import Answer, Chunk, Citation, DocumentInfo, FileOutcome, Hit, IngestReport
from .settings import Settings, disable_telemetry

__all__ = [
    "Answer", "Chunk", "Citation", "DocumentInfo", "FileOutcome", "Hit", "IngestError", "IngestReport",
    "KBError", "KnowledgeBase", "NotFoundError", "QuestionError", "Settings", "StoreError", "disable_telemetry",
]
