"""The regression check's arithmetic: a budget passes at its limit, regresses only past +50 %."""

from __future__ import annotations

import math

from bench.budgets import BUDGETS, judge
from bench.floor import merge
from bench.results import Metric, Run
from bench.stats import p95


def run_with(*metrics: Metric) -> Run:
    run = Run({}, {})
    for metric in metrics:
        run.add(metric)
    return run


def test_limits_and_slack() -> None:
    [at_limit] = judge(run_with(Metric("tmux", "rss_mb", 10_000, 250.0, "MB")))
    assert at_limit.passed and not at_limit.regressed
    [over] = judge(run_with(Metric("tmux", "rss_mb", 10_000, 300.0, "MB")))
    assert not over.passed and not over.regressed
    [way_over] = judge(run_with(Metric("tmux", "rss_mb", 10_000, 376.0, "MB")))
    assert way_over.regressed


def test_zero_budgets_regress_on_anything_and_nan_is_not_judged() -> None:
    [extra] = judge(run_with(Metric("tmux", "other_requests_per_min", 1_000, 0.5, "/min")))
    assert extra.regressed
    assert judge(run_with(Metric("nox", "delta_bytes_per_changed_torrent", 5_000, math.nan, "B"))) == []


def test_budgets_apply_to_their_sizes_only() -> None:
    assert judge(run_with(Metric("tmux", "rss_mb", 5_000, 999.0, "MB"))) == []
    assert {b.name for b in BUDGETS if b.size is None} >= {"logins", "full_updates_after_first"}


def test_p95_is_a_sample() -> None:
    assert p95([float(x) for x in range(1, 21)]) == 19.0
    assert p95([3.0]) == 3.0


def test_floor_merge_follows_deltas() -> None:
    state: dict = {}
    merge(
        state, {"rid": 1, "full_update": True, "torrents": {"a": {"x": 1}, "b": {"x": 2}}, "categories": []}
    )
    merge(state, {"rid": 2, "torrents": {"a": {"x": 3}}, "torrents_removed": ["b"], "server_state": {"s": 1}})
    assert state["torrents"] == {"a": {"x": 3}} and state["rid"] == 2 and state["server_state"] == {"s": 1}


def test_an_explained_gap_fails_its_budget_but_regresses_only_past_the_level_reached(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import bench.budgets as budgets

    gap = budgets.Gap("cpu_ratio_to_floor", 10_000, 6.0, "Textual's own floor is 2.7× the floor")
    monkeypatch.setattr(budgets, "GAPS", (gap,))
    [same] = judge(run_with(Metric("tmux", "cpu_ratio_to_floor", 10_000, 6.5, "×")))
    assert not same.passed and not same.regressed and same.gap is gap
    [worse] = judge(run_with(Metric("tmux", "cpu_ratio_to_floor", 10_000, 9.1, "×")))
    assert worse.regressed
    [other_size] = judge(run_with(Metric("tmux", "rss_mb", 10_000, 376.0, "MB")))
    assert other_size.gap is None and other_size.regressed


def test_cpu_windows_count_nanoseconds_not_clock_ticks() -> None:
    """/proc/PID/stat's 10 ms ticks made the floor's 20 s window ~7 ticks (±15 %); the threads'
    schedstat is exact."""
    import os
    import time

    from bench import procfs

    window = procfs.Window(os.getpid()).start()
    deadline = time.thread_time() + 0.05
    while time.thread_time() < deadline:
        pass
    used = window.stop().cpu
    assert 0.04 < used < 1.0
    assert round(used * 100, 6) != round(used * 100)  # not a whole number of ticks


def test_the_quick_check_fails_only_on_a_regression_that_reproduces(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import bench.__main__ as entry

    reruns: list[tuple[str, int]] = []
    second_value = {"rss_mb": 400.0, "repaint_tmux_ms": 20.0}

    def step_for(name: str, size: int, metric: str):  # type: ignore[no-untyped-def]
        def step(run: Run) -> None:
            reruns.append((name, size))
            run.add(Metric(name, metric, size, second_value[metric], "MB"))

        return step

    steps = [("tmux", 10_000, step_for("tmux", 10_000, "rss_mb")), ("headless", 10_000, None)]
    monkeypatch.setattr(entry, "_steps", lambda plan, only, sizes: steps)
    first = judge(run_with(Metric("tmux", "rss_mb", 10_000, 400.0, "MB")))
    assert [v.regressed for v in first] == [True]
    assert entry._recheck(entry.QUICK, {"tmux"}, None, first) == first  # came back: still counted
    assert reruns == [("tmux", 10_000)]  # only the scenario behind it ran again

    second_value["rss_mb"] = 120.0
    assert entry._recheck(entry.QUICK, {"tmux"}, None, first) == []  # one noisy run is forgiven
