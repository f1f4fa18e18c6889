"""Pick one source per target from a score matrix, one to one, with a floor for no match."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = ["assign", "rank_candidates"]

_EPSILON = 1e-6


def assign(scores: np.ndarray, threshold: float) -> dict[int, int]:
    """Return ``{target index: source index}`` maximising the summed log-odds above threshold.

    ``scores`` has one row per target and one column per source, each a probability. A pair
    scoring below ``threshold`` is never chosen, so its target maps to nothing rather than to
    a weak source. No source is chosen for two targets.
    """
    if scores.size == 0:
        return {}

    clipped = np.clip(scores, _EPSILON, 1 - _EPSILON)
    floor = np.log(threshold / (1 - threshold))
    gain = np.where(clipped >= threshold, np.log(clipped / (1 - clipped)) - floor, 0.0)
    # A tiny share of the raw score breaks ties between pairs that both sit on the floor.
    gain = gain + _EPSILON * clipped

    rows, columns = linear_sum_assignment(gain, maximize=True)
    return {
        int(row): int(column)
        for row, column in zip(rows, columns, strict=True)
        if scores[row, column] >= threshold
    }


def rank_candidates(scores: np.ndarray, limit: int) -> list[list[int]]:
    """Return, per target, the indexes of its ``limit`` best sources, best first."""
    if scores.size == 0:
        return [[] for _ in range(scores.shape[0])]
    order = np.argsort(-scores, axis=1, kind="stable")[:, :limit]
    return [list(map(int, row)) for row in order]
