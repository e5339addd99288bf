"""Fitting the second stage of the duplicate suggestions (projects.similarity.CONFIDENCE_WEIGHTS).

Used by run.py --fit; unit-tested in tests/projects/test_similarity.py. A few hundred rows of five
numbers: Newton's method with numpy, no need for a machine-learning library.
"""

from collections.abc import Sequence

import numpy as np


def fit_logistic(
    rows: Sequence[Sequence[float]], labels: Sequence[float], *, l2: float = 1.0, steps: int = 50
) -> tuple[float, ...]:
    """Weights (intercept first) of an L2-regularised logistic regression, by Newton's method.

    The intercept is not regularised. Converges in a handful of steps on this problem's size.
    """
    x = np.column_stack([np.ones(len(rows)), np.asarray(rows, dtype=float)])
    y = np.asarray(labels, dtype=float)
    penalty = np.full(x.shape[1], float(l2))
    penalty[0] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -50, 50)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x.T * (p * (1 - p))) @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return tuple(float(v) for v in w)


def choose_threshold(points: Sequence[tuple[float, float, float]], *, min_precision: float) -> float | None:
    """From (threshold, precision, recall) points, the threshold with the best recall among those
    whose precision reaches `min_precision`; on a tie the higher threshold. None if none does."""
    ok = [(recall, threshold) for threshold, precision, recall in points if precision >= min_precision]
    return max(ok)[1] if ok else None
