"""Logistic regression for the fitted models of ``kb.fitted`` (fitting only: the runtime applies them)."""

from __future__ import annotations

import numpy as np

from kb.fitted import LinearModel


def fit_logistic(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], l2: float = 1.0,
                 sample_weight: np.ndarray | None = None, iterations: int = 50) -> LinearModel:
    """L2-regularised logistic regression by Newton's method on standardised features.

    Small enough to read in one go; numpy only, no scikit-learn in the install.
    """
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale < 1e-9, 1.0, scale)
    z = (x - mean) / scale
    n, d = z.shape
    a = np.hstack([np.ones((n, 1)), z])
    sw = np.ones(n) if sample_weight is None else sample_weight
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[0] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (sw * (p - y)) + reg * w
        hess = (a * (sw * p * (1 - p))[:, None]).T @ a + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-7:
            break
    return LinearModel(names, w[1:], float(w[0]), mean, scale)
