"""Summaries of repeated samples: medians for typical cost, p95 for what a user notices."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def p95(samples: Sequence[float]) -> float:
    """Nearest-rank 95th percentile: with 20 samples it is the 19th, never an interpolated value."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, -(-95 * len(ordered) // 100))
    return ordered[rank - 1]
