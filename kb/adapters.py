"""The knowledge base as llama-index parts: a retriever, a query engine and the embedding model.

People who build on llama-index plug retrievers and query engines into their own pipelines
(postprocessors, routers, agents). These adapters hand them our hybrid, bilingual retrieval and
our cited answers in llama-index's own types, so a node's metadata carries what a citation
needs (document, file, page, section, character offsets) and a response's ``source_nodes`` are
exactly the passages its ``[n]`` markers point to, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response
from llama_index.core.callbacks import CallbackManager
from llama_index.core.embeddings import BaseEmbedding
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from pydantic import PrivateAttr

from .embed.base import Embedder
from .records import Citation, Hit

if TYPE_CHECKING:
    from .knowledge_base import KnowledgeBase

_META_KEYS = ("doc_id", "file", "title", "page", "section", "start", "end", "lang", "ordinal")


class LlamaEmbedding(BaseEmbedding):
    """Any of our embedding backends as a llama-index ``BaseEmbedding`` (same vectors, same prefixes)."""

    _inner: Any = PrivateAttr(default=None)

    def __init__(self, inner: Embedder) -> None:
        super().__init__(model_name=inner.model_id, embed_batch_size=inner.embed_batch_size)
        self._inner = inner

    def _get_query_embedding(self, query: str) -> list[float]:
        return list(self._inner.get_query_embedding(query))

    def _get_text_embedding(self, text: str) -> list[float]:
        return list(self._inner.get_text_embedding_batch([text])[0])

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return list(self._inner.get_text_embedding_batch(texts))

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def as_llama_embedding(embedder: Embedder) -> BaseEmbedding:
    return LlamaEmbedding(embedder)


def node_of_hit(hit: Hit) -> NodeWithScore:
    stored = hit.meta.to_store()
    meta = {key: stored[key] for key in _META_KEYS if stored.get(key) is not None}
    return NodeWithScore(node=_text_node(hit.chunk_id, hit.text, meta), score=hit.score)


def node_of_citation(citation: Citation) -> NodeWithScore:
    meta: dict[str, Any] = {"n": citation.n, "doc_id": citation.doc_id, "file": citation.file,
                            "title": citation.title, "name": citation.name, "highlights": citation.highlights}
    meta.update({k: v for k, v in (("page", citation.page), ("section", citation.section)) if v is not None})
    return NodeWithScore(node=_text_node(citation.chunk_id, citation.text, meta), score=citation.score)


def _text_node(node_id: str, text: str, meta: dict[str, Any]) -> TextNode:
    # Citation fields stay out of what an LLM or an embedding model would see of the node.
    keys = list(meta)
    return TextNode(id_=node_id or None, text=text, metadata=meta, excluded_llm_metadata_keys=keys,
                    excluded_embed_metadata_keys=keys)


class KnowledgeBaseRetriever(BaseRetriever):
    """Hybrid bilingual retrieval: the top ``k`` passages as ``NodeWithScore`` (scores 0..1)."""

    def __init__(self, kb: KnowledgeBase, k: int | None = None, doc_ids: Sequence[str] | None = None,
                 callback_manager: CallbackManager | None = None) -> None:
        super().__init__(callback_manager=callback_manager)
        self.kb, self.k, self.doc_ids = kb, k, doc_ids

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [node_of_hit(h) for h in self.kb.search(query_bundle.query_str, self.k, self.doc_ids)]


class KnowledgeBaseQueryEngine(BaseQueryEngine):
    """Cited answers (extractive, or by the configured LLM) as a llama-index ``Response``.

    ``source_nodes`` are the citations in ``[n]`` order; ``metadata`` holds the full answer as
    ``kb ask --json`` prints it, so a refusal is visible as ``metadata["refused"]``.
    """

    def __init__(self, kb: KnowledgeBase, doc_ids: Sequence[str] | None = None,
                 callback_manager: CallbackManager | None = None) -> None:
        super().__init__(callback_manager=callback_manager)
        self.kb, self.doc_ids = kb, doc_ids

    def _query(self, query_bundle: QueryBundle) -> Response:
        answer = self.kb.answer(query_bundle.query_str, doc_ids=self.doc_ids)
        return Response(response=answer.text, source_nodes=[node_of_citation(c) for c in answer.citations],
                        metadata=answer.to_dict())

    async def _aquery(self, query_bundle: QueryBundle) -> Response:
        return self._query(query_bundle)

    def _get_prompt_modules(self) -> dict[str, Any]:
        return {}
