"""Scaling piece states to a bar of any width, and counting them."""

from __future__ import annotations

import random
import time

from hypothesis import given
from hypothesis import strategies as st

from qbtui.model.pieces import Cell, PieceSummary, pack, rows_needed, scale, scale_with_share, summarise

states_strategy = st.lists(st.sampled_from([0, 1, 2]), max_size=500)


def test_fewer_pieces_than_cells_stretch() -> None:
    assert scale([0, 1, 2], 6) == [Cell.MISSING] * 2 + [Cell.DOWNLOADING] * 2 + [Cell.HAVE] * 2


def test_more_pieces_than_cells_summarise() -> None:
    assert scale([2, 2, 2, 0, 0, 0, 2, 0, 1, 0], 2) == [Cell.PARTIAL, Cell.DOWNLOADING]
    assert scale([2, 2, 0, 0], 2) == [Cell.HAVE, Cell.MISSING]


def test_shares() -> None:
    assert scale_with_share([2, 2, 2, 0, 0, 0, 2, 0, 1, 0], 2) == [
        (Cell.PARTIAL, 0.6),
        (Cell.DOWNLOADING, 0.2),
    ]
    assert scale_with_share([2, 2], 1) == [(Cell.HAVE, 1.0)]


def test_nothing_to_draw() -> None:
    assert scale([], 10) == []
    assert scale([2], 0) == []


def test_summary() -> None:
    summary = summarise([0, 1, 2, 2])
    assert summary == PieceSummary(missing=1, downloading=1, have=2)
    assert summary.total == 4 and summary.fraction_have == 0.5
    assert PieceSummary().fraction_have == 0.0


def test_unexpected_states_count_as_missing() -> None:
    assert pack([0, 1, 2, 3, 255, -1, 999]) == bytes([0, 1, 2, 0, 0, 0, 0])
    assert pack([5, 2]) == bytes([0, 2])


def test_rows_needed() -> None:
    assert rows_needed(0, 80, 6) == 1
    assert rows_needed(80, 80, 6) == 1
    assert rows_needed(81, 80, 6) == 2
    assert rows_needed(1_000_000, 80, 6) == 6


@given(states_strategy, st.integers(min_value=1, max_value=300))
def test_scale_properties(states: list[int], cells: int) -> None:
    bar = scale(states, cells)
    if not states:
        assert bar == []
        return
    assert len(bar) == cells
    if all(s == 2 for s in states):
        assert set(bar) == {Cell.HAVE}
    if 2 not in states and 1 not in states:
        assert set(bar) == {Cell.MISSING}
    if 1 in states:
        assert Cell.DOWNLOADING in bar
    else:
        assert Cell.DOWNLOADING not in bar
    # Every piece is in exactly one cell's run: with a cell per piece the bar is the states.
    if cells == len(states):
        assert [int(c) for c in bar] == [{0: 0, 1: 2, 2: 3}[s] for s in states]


@given(states_strategy)
def test_summary_counts_everything(states: list[int]) -> None:
    summary = summarise(states)
    assert summary.total == len(states)
    assert summary.have == states.count(2)


def test_a_million_pieces_scale_fast() -> None:
    rng = random.Random(1)
    states = [rng.choice((0, 1, 2, 2)) for _ in range(1_000_000)]
    start = time.perf_counter()
    packed = pack(states)
    bar = scale(packed, 6 * 200)
    summary = summarise(packed)
    elapsed = time.perf_counter() - start
    print(f"1,000,000 pieces: pack + scale to 1,200 cells + summary {elapsed * 1e3:.0f} ms")
    assert len(bar) == 1200 and summary.total == 1_000_000
    assert elapsed < 1.0
