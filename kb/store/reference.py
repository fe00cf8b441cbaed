"""A fixed reference sample of passages per language, to steady the library-wide scale of small libraries.

Why: the library-wide scale (``Scale``) sets a question's similarity to a passage against its
similarity to the library's passages at large. In a library of a few passages that "at large" is
one or two passages, or none: the mean and spread are noise, the calibrated features the refusal
models read come out far from anything they were fitted on, and plain answers were refused in
libraries of two one-sentence documents. So a language's sample with fewer than ``MIN_SAMPLE``
rows is completed with passages of ordinary encyclopaedic text (XQuAD's Wikipedia paragraphs, CC
BY-SA 4.0, in English and in Chinese), embedded by the same encoder; a library of that size or more
is measured on its own passages alone, as before.

The vectors are bundled (``reference_vectors.npz``, made by ``benchmarks/make_reference_vectors.py``)
and keyed by the encoder's model id: an encoder without reference vectors (a service or a model a
user configured) keeps the library's own sample.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

# Rows (passages for the main encoder, sentences for a further one) a language's scale rests on at
# least. Measured (benchmarks/tiny_libraries.py, docs/quality.md): a library's own 35 passages give
# the scale the models were fitted on, and completing them to 64 cost two questions of the CI
# sample's 6-article XQuAD library; 1-5 passages completed to 16 are steadied.
MIN_SAMPLE = 16
BUNDLED_ROWS = 64  # rows per encoder and language in the bundled file (room to raise MIN_SAMPLE)
REFERENCE_FILE = Path(__file__).with_name("reference_vectors.npz")


def key(model_id: str, lang: str) -> str:
    return f"{model_id}|{lang}"


@cache
def _bundled() -> dict[str, np.ndarray]:
    if not REFERENCE_FILE.exists():
        return {}
    with np.load(REFERENCE_FILE) as data:
        return {k: np.asarray(data[k], np.float32) for k in data.files}


def padded(samples: dict[str, np.ndarray], model_id: str, langs: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Each language's sample, completed with reference rows up to ``MIN_SAMPLE`` when it has fewer."""
    return {lang: pad(samples.get(lang), _bundled().get(key(model_id, lang))) for lang in langs}


def pad(sample: np.ndarray | None, reference: np.ndarray | None) -> np.ndarray:
    own = sample if sample is not None else np.zeros((0, 1), np.float32)
    if reference is None or len(own) >= MIN_SAMPLE or (len(own) and own.shape[1] != reference.shape[1]):
        return own
    extra = reference[: MIN_SAMPLE - len(own)]
    return np.vstack([own, extra]) if len(own) else extra
