"""Fitting the second stage of the duplicate suggestions (projects.similarity.CONFIDENCE_WEIGHTS).

Plain Python on purpose: a few hundred rows of four numbers do not need numpy or scikit-learn,
and the bench should run with Hive's own dependencies. Used by run.py --fit; unit-tested in
tests/projects/test_similarity.py.
"""

import math
from collections.abc import Sequence


def fit_logistic(
    rows: Sequence[Sequence[float]], labels: Sequence[float], *, l2: float = 1.0, steps: int = 50
) -> tuple[float, ...]:
    """Weights (intercept first) of an L2-regularised logistic regression, by Newton's method.

    The intercept is not regularised. Converges in a handful of steps on this problem's size.
    """
    x = [(1.0, *row) for row in rows]
    size = len(x[0])
    w = [0.0] * size
    for _ in range(steps):
        grad = [0.0] * size
        hess = [[0.0] * size for _ in range(size)]
        for xi, yi in zip(x, labels, strict=True):
            p = _sigmoid(sum(a * b for a, b in zip(w, xi, strict=True)))
            for i in range(size):
                grad[i] += (p - yi) * xi[i]
                for j in range(size):
                    hess[i][j] += p * (1 - p) * xi[i] * xi[j]
        for i in range(1, size):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        step = _solve(hess, grad)
        w = [a - b for a, b in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return tuple(w)


def choose_threshold(points: Sequence[tuple[float, float, float]], *, min_precision: float) -> float | None:
    """From (threshold, precision, recall) points, the threshold with the best recall among those
    whose precision reaches `min_precision`; on a tie the higher threshold. None if none does."""
    ok = [(recall, threshold) for threshold, precision, recall in points if precision >= min_precision]
    return max(ok)[1] if ok else None


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """a @ x = b by Gauss-Jordan elimination with partial pivoting (a is small and positive definite)."""
    n = len(a)
    m = [row[:] + [rhs] for row, rhs in zip(a, b, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col]:
                factor = m[r][col] / m[col][col]
                for k in range(col, n + 1):
                    m[r][k] -= factor * m[col][k]
    return [m[i][n] / m[i][i] for i in range(n)]
