"""Baselines for ``kb eval --baselines``, built in the same run over the same files.

(a) the stock llama-index pipeline: ``SentenceSplitter`` defaults, an in-memory
``VectorStoreIndex`` with the same embedding model, top-k dense retrieval;
(b) BM25 alone over jieba words (no bigrams, no translation) on our chunks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ingest.loaders import load_file
from kb import KnowledgeBase
from kb.text import jieba_tokenizer, normalize

from .run import Passage, Retrieve


def llama_index_stock(kb: KnowledgeBase) -> Retrieve:
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    from kb.adapters import as_llama_embedding

    docs = []
    for info in kb.documents():
        path = Path(info.file)
        if not path.exists():
            continue
        loaded = load_file(path, int(kb.settings.max_file_mb * 1024 * 1024))
        docs.append(Document(text="\n\n".join(loaded.pages), metadata={"file": info.file}))
    index = VectorStoreIndex.from_documents(docs, embed_model=as_llama_embedding(kb.embedder),
                                            transformations=[SentenceSplitter()])

    def retrieve(question: str, k: int) -> list[Passage]:
        nodes = index.as_retriever(similarity_top_k=k).retrieve(question)
        return [Passage(str(n.node.metadata.get("file", "")), n.node.get_content()) for n in nodes]

    return retrieve


def _jieba_words(text: str) -> list[str]:
    return [w for w in jieba_tokenizer().lcut(normalize(text)) if w.strip() and any(ch.isalnum() for ch in w)]


def bm25_alone(kb: KnowledgeBase) -> Retrieve:
    import bm25s

    rows = kb.view.get().chunks
    model = bm25s.BM25()
    model.index([_jieba_words(c.text) or ["\u0000"] for c in rows], show_progress=False)
    vocab = set(model.vocab_dict)

    def retrieve(question: str, k: int) -> list[Passage]:
        q = [w for w in _jieba_words(question) if w in vocab]
        if not q:
            return []
        scores = np.asarray(model.get_scores(q))
        top = [i for i in np.argsort(-scores)[:k] if scores[i] > 0]
        return [Passage(rows[i].meta.file, rows[i].text) for i in top]

    return retrieve
