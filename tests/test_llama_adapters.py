"""The knowledge base inside a stock llama-index pipeline: our retriever feeding llama-index's own
``RetrieverQueryEngine`` and postprocessor, and our query engine's cited ``Response``."""

from __future__ import annotations

import re

from llama_index.core.llms import MockLLM
from llama_index.core.postprocessor import SimilarityPostprocessor
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.response_synthesizers.no_text import NoText

from kb import KnowledgeBase
from kb.adapters import KnowledgeBaseQueryEngine, KnowledgeBaseRetriever, as_llama_embedding

QUESTION = "How many performers did the union strike of July 2023 represent?"


def test_retriever_in_a_stock_retriever_query_engine(seeded_kb: KnowledgeBase) -> None:
    engine = RetrieverQueryEngine(
        KnowledgeBaseRetriever(seeded_kb, k=5),
        # No LLM on this machine: NoText returns the nodes and never calls a model, but it still
        # wants one instead of reaching for OpenAI's.
        response_synthesizer=NoText(llm=MockLLM()),
        node_postprocessors=[SimilarityPostprocessor(similarity_cutoff=0.0)],
    )
    response = engine.query(QUESTION)
    nodes = response.source_nodes
    assert 1 <= len(nodes) <= 5
    assert [n.score for n in nodes] == sorted((n.score for n in nodes), reverse=True)
    top = nodes[0].node.metadata
    assert top["file"].endswith("001_d087a9b4bca2ef81.txt") and "16万" in nodes[0].node.get_content()
    assert {"doc_id", "title", "start", "end", "lang"} <= set(top) and 0 <= top["start"] < top["end"]
    assert nodes[0].node.node_id and "file" not in nodes[0].node.get_content(metadata_mode="llm")


def test_query_engine_sources_are_the_citations(seeded_kb: KnowledgeBase) -> None:
    response = KnowledgeBaseQueryEngine(seeded_kb).query(QUESTION)
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", str(response))]
    assert markers and len(response.source_nodes) == max(markers)
    assert [n.node.metadata["n"] for n in response.source_nodes] == list(range(1, max(markers) + 1))
    assert response.metadata is not None and response.metadata["refused"] is False
    for node in response.source_nodes:
        highlights = node.node.metadata["highlights"]
        assert highlights and all(h in node.node.get_content() for h in highlights)


def test_query_engine_refusal_has_no_sources(seeded_kb: KnowledgeBase) -> None:
    response = KnowledgeBaseQueryEngine(seeded_kb).query("量子色动力学中的渐近自由是谁发现的？")
    assert response.metadata is not None and response.metadata["refused"] is True and not response.source_nodes


def test_our_embedding_model_in_a_stock_vector_index(seeded_kb: KnowledgeBase) -> None:
    """The bundled model as llama-index's ``embed_model``: a stock index finds the same passage."""
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode

    texts = [c.text for c in seeded_kb.store.scan()][:40]
    embed = as_llama_embedding(seeded_kb.embedder)
    assert embed.get_query_embedding("罢工") == seeded_kb.embedder.get_query_embedding("罢工")
    index = VectorStoreIndex([TextNode(text=t) for t in texts], embed_model=embed)
    top = index.as_retriever(similarity_top_k=1).retrieve(texts[7])[0]
    assert top.node.get_content() == texts[7]
