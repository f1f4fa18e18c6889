"""One-to-one assignment over scores, with a threshold under which a target stays unmapped."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nova.mapping.assignment import assign, rank_candidates

score_matrices = st.tuples(st.integers(1, 12), st.integers(1, 12)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=st.floats(0.0, 1.0))
)


@given(score_matrices, st.floats(0.05, 0.95))
def test_no_source_used_twice(scores: np.ndarray, threshold: float) -> None:
    chosen = assign(scores, threshold)

    assert len(set(chosen.values())) == len(chosen)


@given(score_matrices, st.floats(0.05, 0.95))
def test_chosen_pairs_meet_threshold(scores: np.ndarray, threshold: float) -> None:
    chosen = assign(scores, threshold)

    for target, source in chosen.items():
        assert scores[target, source] >= threshold


@given(score_matrices, st.floats(0.05, 0.95))
def test_lone_clear_winner_is_chosen(scores: np.ndarray, threshold: float) -> None:
    scores = scores * threshold * 0.9
    scores[0, 0] = 0.99

    assert assign(scores, threshold) == {0: 0}


def test_assignment_maximises_total_log_odds() -> None:
    # Giving source 0 to target 1 and source 1 to target 0 sums to more log-odds (1.73 + 2.20)
    # than the single strongest pair (2.94), so both targets are mapped.
    shared = np.array([[0.95, 0.85], [0.90, 0.10]])
    # A weak second choice (log-odds 0.41) is not worth giving up the strongest pair.
    lopsided = np.array([[0.95, 0.60], [0.90, 0.10]])

    assert assign(shared, 0.5) == {0: 1, 1: 0}
    assert assign(lopsided, 0.5) == {0: 0}


def test_weak_scores_map_nothing() -> None:
    scores = np.array([[0.2, 0.3], [0.1, 0.49]])

    assert assign(scores, 0.5) == {}


def test_rank_candidates_best_first() -> None:
    scores = np.array([[0.1, 0.9, 0.5], [0.7, 0.2, 0.3]])

    assert rank_candidates(scores, 2) == [[1, 2], [0, 2]]
