"""Every encoder a library is embedded with, used together: one call embeds a question or a batch
of passages with all of them.

The main encoder (``MAIN``: the bundled E5, or the service or model the settings name) holds the
chunk collection's own vectors; each further encoder has a collection of its own beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..settings import Settings
from ..store.dense import unit
from ..store.reads import VectorSet
from .base import Embedder, build_embedder
from .use import UniversalSentenceEncoder

MAIN = "main"
SECOND = "use"


@dataclass
class Encoders:
    by_name: dict[str, Embedder]  # MAIN first

    @classmethod
    def build(cls, settings: Settings, main: Embedder | None = None) -> Encoders:
        return cls({MAIN: main or build_embedder(settings),
                    SECOND: UniversalSentenceEncoder(embed_batch_size=settings.embed_batch_size)})

    @property
    def main(self) -> Embedder:
        return self.by_name[MAIN]

    def vector_sets(self) -> list[VectorSet]:
        return [VectorSet(name, e.model_id, e.dim) for name, e in self.by_name.items()]

    def query(self, text: str) -> dict[str, np.ndarray]:
        """The question's unit vector from every encoder."""
        return {name: unit(e.get_query_embedding(text)) for name, e in self.by_name.items()}

    def passages(self, texts: Sequence[str], only: Sequence[str] | None = None) -> dict[str, list[list[float]]]:
        return {name: e.get_text_embedding_batch(texts) for name, e in self.by_name.items()
                if only is None or name in only}
