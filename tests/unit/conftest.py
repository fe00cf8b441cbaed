"""Small synthetic libraries for pure-function tests (no embedding model, no Chroma)."""

from __future__ import annotations

import numpy as np
import pytest

from kb.records import ChunkMeta, DocumentInfo, Hit, StoredChunk
from kb.search.glossary import Glossary
from kb.search.query import Query, analyse
from kb.store.dense import Scale
from kb.store.lexical import LexicalIndex

TEXTS = [
    ("a", "zh", "德勤预测，到2025年，大型制片公司在生成式人工智能内容创作上只投入不到3%的制作预算。"),
    ("a", "zh", "By Chris Arkenberg\nUnited States\n\n生成对抗网络(GAN)和变分自编码器(VAE)是代表性的模型。"),
    ("b", "en", "The strike of July 2023 represented 160,000 performers. It lasted 118 days."),
    ("b", "en", "Samir Mallal founded the studio. She is 26 years old."),
]


def chunk(i: int, doc: str, lang: str, text: str, furniture: str = "") -> StoredChunk:
    return StoredChunk(f"{doc}::{i:05d}", text, ChunkMeta(doc, i, lang, title=f"Title {doc}", furniture=furniture))


@pytest.fixture(scope="session")
def chunks() -> list[StoredChunk]:
    return [chunk(i, d, lang, t) for i, (d, lang, t) in enumerate(TEXTS)]


@pytest.fixture(scope="session")
def lexical(chunks: list[StoredChunk]) -> LexicalIndex:
    return LexicalIndex.build(chunks)


def make_query(text: str, lexical: LexicalIndex, glossary: Glossary | None = None, **kw: object) -> Query:
    """A query without a library view or vectors: what the answer step reads of it."""
    from kb.search.answer_type import expected_type
    from kb.text import normalize

    terms = analyse(text, lexical, glossary)
    return Query(text, normalize(text), terms.lang, terms, {"use": np.zeros(4, np.float32)}, None,  # type: ignore[arg-type]
                 wanted=expected_type(normalize(text)), scales={"use": {"zh": Scale(0.2, 0.1), "en": Scale(0.2, 0.1)}},
                 **kw)  # type: ignore[arg-type]


def hit(c: StoredChunk, score: float = 0.5, sims: dict[int, float] | None = None) -> Hit:
    return Hit(c.chunk_id, c.text, c.meta, score, 0.8, None, {"dense_lib_z": 3.0, "use_lib_z": 2.0},
               {"use": sims or {}})


def document(doc_id: str, title: str, name: str) -> DocumentInfo:
    return DocumentInfo(doc_id, f"/x/{name}", title, "zh", None, 1, "h", "2026-01-01", name=name)
