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


def fit_signed(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], signs: dict[str, int], l2: float = 1.0,
               sample_weight: np.ndarray | None = None) -> LinearModel:
    """``fit_logistic`` with the direction of some features fixed: a feature of ``signs`` whose
    weight comes out against its sign (+1: more of it never makes a yes less likely) is left out
    and the rest refitted, the one most against its sign first, until none is (its weight stays 0).

    Why: the topic model's features are correlated (the sentence's, the passage's and the key
    terms' coverage of the question); fitted freely, one takes a weight against its meaning to
    balance another, and on a library unlike the benchmarks, where they part, the model turns over
    (more of the question covered reading as "the topic is less likely here").
    """
    kept = list(range(len(names)))
    while True:
        model = fit_logistic(x[:, kept], y, tuple(names[i] for i in kept), l2, sample_weight)
        against = [(-signs[names[i]] * w, j) for j, (i, w) in enumerate(zip(kept, model.weights, strict=True))
                   if names[i] in signs and signs[names[i]] * w < 0]
        if not against:
            break
        kept.pop(max(against)[1])
    weights = np.zeros(len(names))
    weights[kept] = model.weights
    mean, scale = x.mean(axis=0), x.std(axis=0)
    mean[kept], scale[kept] = model.mean, model.scale
    return LinearModel(names, weights, model.bias, mean, np.where(scale < 1e-9, 1.0, scale))


def fit_listwise(x: np.ndarray, y: np.ndarray, starts: np.ndarray, names: tuple[str, ...], l2: float = 1.0,
                 group_weight: np.ndarray | None = None, iterations: int = 100) -> LinearModel:
    """A ranking model: of each group's rows (one question's candidate sentences, contiguous from
    ``starts``), the positives should come first. Fits the conditional logit
    ``log sum_pos exp(s) - log sum_all exp(s)`` (multiple positives: any of them on top will do),
    then maps the score to a probability with one logistic (Platt scaling) on the same rows, so
    the runtime form ``sigmoid(bias + w . x)`` and its meaning as a probability stay as they were.

    Why: the answer quotes the top sentence of a question, so what matters is how each sentence
    compares with the others of the same question, which a pointwise fit pools across questions.
    Damped Newton steps on the Fisher matrix of the softmax (positive definite, unlike the exact
    Hessian with several positives), with a backtracking line search on the penalised loss.
    """
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale < 1e-9, 1.0, scale)
    z = (x - mean) / scale
    n, d = z.shape
    sizes = np.diff(np.append(starts, n))
    group = np.repeat(np.arange(len(starts)), sizes)
    gw = np.ones(len(starts)) if group_weight is None else group_weight

    def loss_of(w: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        s = z @ w
        s = s - np.maximum.reduceat(s, starts)[group]
        e = np.exp(s)
        denom = np.add.reduceat(e, starts)
        num = np.add.reduceat(e * y, starts)
        loss = -float(gw @ (np.log(num) - np.log(denom))) + 0.5 * l2 * float(w @ w)
        return loss, e / denom[group], e * y / num[group]

    w = np.zeros(d)
    loss, p, q = loss_of(w)
    for _ in range(iterations):
        rw = gw[group]
        grad = z.T @ (rw * (p - q)) + l2 * w
        mu = np.add.reduceat(z * p[:, None], starts)
        fisher = (z * (rw * p)[:, None]).T @ z - (mu * gw[:, None]).T @ mu + np.diag(np.full(d, l2 + 1e-9))
        step = np.linalg.solve(fisher, grad)
        t = 1.0
        while t > 1e-4:
            new_loss, new_p, new_q = loss_of(w - t * step)
            if new_loss <= loss:
                break
            t /= 2
        else:
            break
        w, converged = w - t * step, loss - new_loss < 1e-9 * max(1.0, abs(loss))
        loss, p, q = new_loss, new_p, new_q
        if converged:
            break
    scores = (z @ w)[:, None]
    row_weight = gw[group] / sizes[group]
    platt = fit_logistic(scores, y, ("score",), l2=l2, sample_weight=row_weight * n / row_weight.sum())
    a = float(platt.weights[0]) / float(platt.scale[0])
    bias = platt.bias - a * float(platt.mean[0])
    return LinearModel(names, w * a, bias, mean, scale)
