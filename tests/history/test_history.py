"""Speed history bounds: ring size, per-torrent logs, memory, gaps, persistence."""

from __future__ import annotations

import sys

import pytest

from qbtui.model.history import (
    DEFAULT_MAX_TORRENTS,
    DEFAULT_TORRENT_CAPACITY,
    MAX_RATE,
    SpeedHistory,
    Stats,
    bucket,
)
from qbtui.model.store import Store
from qbtui.model.sync import LinkState, SyncUpdate


def test_the_global_ring_keeps_the_last_capacity_samples() -> None:
    history = SpeedHistory(5)
    for n in range(12):
        history.record(n, 10 * n, at=float(n))
    assert len(history) == 5
    assert history.series() == [(n, 10 * n) for n in range(7, 12)]
    assert history.times() == [float(n) for n in range(7, 12)]
    assert history.series(2) == [(10, 100), (11, 110)]
    assert history.series(0) == []


def test_gaps_are_gaps_not_zeros_and_none_before_the_first_sample() -> None:
    history = SpeedHistory(10)
    history.record_gap(at=0.0)  # still connecting: nothing to mark yet
    assert len(history) == 0
    history.record(100, 10, {"a": (50, 5)}, at=1.0)
    history.record_gap(at=2.0)
    history.record_gap(at=3.0)
    history.record(200, 20, at=4.0)
    assert history.series() == [(100, 10), None, None, (200, 20)]
    assert history.torrent_series("a") == [(50, 5), None, None, (50, 5)]
    stats = Stats.of(v[0] if v else None for v in history.series())
    assert stats == Stats(100, 150.0, 200, 2)


def test_feed_records_live_updates_and_failed_polls() -> None:
    store = Store()
    changes = store.apply(
        {
            "rid": 1,
            "full_update": True,
            "torrents": {"a" * 40: {"name": "x", "dlspeed": 1000, "upspeed": 5}, "b" * 40: {"name": "y"}},
            "server_state": {"dl_info_speed": 1000, "up_info_speed": 5},
        }
    )
    history = SpeedHistory(10)
    history.feed(SyncUpdate(LinkState.LIVE, changes=changes), store)
    history.feed(SyncUpdate(LinkState.DISCONNECTED), store)
    changes = store.apply(
        {"rid": 2, "torrents": {"a" * 40: {"dlspeed": 3000}}, "server_state": {"dl_info_speed": 3000}}
    )
    history.feed(SyncUpdate(LinkState.LIVE, changes=changes), store)
    assert history.series() == [(1000, 5), None, (3000, 5)]
    assert history.torrent_series("a" * 40) == [(1000, 5), None, (3000, 5)]
    assert history.torrent_series("b" * 40) == [(0, 0), None, (0, 0)]
    assert history.tracked == 1  # the idle torrent has no log


def test_an_unchanged_torrent_repeats_its_last_value() -> None:
    history = SpeedHistory(10)
    history.record(0, 0, {"a": (7, 1)})
    for _ in range(4):
        history.record(0, 0)
    history.record(0, 0, {"a": (9, 2)})
    assert history.torrent_series("a") == [(7, 1)] * 5 + [(9, 2)]
    assert history.torrent_series("a", 2) == [(7, 1), (9, 2)]


def test_a_torrent_log_stays_within_its_capacity() -> None:
    history = SpeedHistory(50, torrent_capacity=20)
    for n in range(1, 1000):
        history.record(n, n, {"a": (n, n)})
        assert len(history._logs["a"].data) <= 3 * (20 + 5 + 1)
    series = history.torrent_series("a")
    # The newest 20 changes are certain; older ones in the window may be trimmed (unknown, a gap).
    assert series[-20:] == [(n, n) for n in range(980, 1000)]
    assert all(p is None or p[0] == n for p, n in zip(series, range(950, 1000), strict=True))


def test_removed_torrents_are_forgotten_and_idle_ones_pruned() -> None:
    history = SpeedHistory(4)
    history.record(0, 0, {"a": (5, 5), "b": (5, 5)})
    history.record(0, 0, {"a": (0, 0)}, removed=["b"])
    assert history.tracked == 1
    for _ in range(6):
        history.record(0, 0)
    assert history.tracked == 0  # idle at zero for a whole window: dropped without loss
    assert history.torrent_series("a") == [(0, 0)] * 4


def test_too_many_moving_torrents_evict_the_least_recently_changed() -> None:
    history = SpeedHistory(10, max_torrents=3)
    history.record(0, 0, {"a": (1, 1), "b": (1, 1), "c": (1, 1)})
    history.record(0, 0, {"a": (2, 2)})
    history.record(0, 0, {"d": (1, 1)})  # b changed least recently
    assert history.tracked == 3 and history.evictions == 1
    assert history.torrent_series("b") == [None, None, None]  # unknown, not zero
    history.record(0, 0, {"b": (4, 4)})
    assert history.torrent_series("b") == [None, None, None, (4, 4)]


def test_speeds_are_clamped() -> None:
    history = SpeedHistory(3)
    history.record(-5, 10**12, {"a": (10**12, -1)})
    assert history.series() == [(0, MAX_RATE)]
    assert history.torrent_series("a") == [(MAX_RATE, 0)]


def test_the_global_history_survives_a_restart_with_a_gap() -> None:
    history = SpeedHistory(4)
    history.record(1, 2, at=10.0)
    history.record_gap(at=11.0)
    history.record(3, 4, at=12.0)
    text = history.to_json("http://a")
    again = SpeedHistory(4, clock=lambda: 99.0)
    assert not again.load_json(text, "http://other")
    assert again.load_json(text, "http://a")
    assert again.series() == [(1, 2), None, (3, 4), None]
    assert again.times()[-1] == 99.0


@pytest.mark.parametrize(
    "text", ["", "[]", '{"version":1,"server":"","samples":[["x"],[1,"a","b"],[]]}', "\xff"]
)
def test_a_bad_history_file_is_ignored(text: str) -> None:
    history = SpeedHistory(4)
    history.load_json(text)
    assert all(p is None for p in history.series())


def test_bucket_averages_and_keeps_gaps() -> None:
    assert bucket([1, 3, None, None, 5, None], 3) == [2, None, 5]
    assert bucket([1, 2], 5) == [1, 2]


def held_bytes(history: SpeedHistory) -> int:
    """What the history holds: its rings, the per-torrent logs and the untracked set."""
    parts = [history._times, history._down, history._up, history._gap, history._logs, history._evicted]
    total = sum(sys.getsizeof(part) for part in parts)
    return total + sum(sys.getsizeof(log) + sys.getsizeof(log.data) for log in history._logs.values())


def test_memory_stays_small_at_50000_torrents() -> None:
    # Worst case: more torrents move on every poll than are tracked, for longer than the window.
    hashes = [f"{n:040x}" for n in range(50_000)]
    history = SpeedHistory()
    history.record(0, 0, {h: (1000, 10) for h in hashes})
    for poll in range(1, 760):
        history.record(poll, poll, {h: (1000 + poll, poll % 3) for h in hashes[:1200]})
    assert history.tracked == DEFAULT_MAX_TORRENTS
    assert held_bytes(history) < 14 * 1024 * 1024
    assert len(history._logs[hashes[0]].data) <= 3 * (DEFAULT_TORRENT_CAPACITY * 5 // 4 + 1)


def test_when_every_tracked_torrent_is_busy_a_newcomer_waits() -> None:
    history = SpeedHistory(100, max_torrents=2)
    for n in range(1, 5):
        history.record(0, 0, {"a": (n, 0), "b": (n, 0), "c": (n, 0)})
    assert history.tracked == 2 and history.evictions == 0
    assert history.torrent_series("a")[-1] == (4, 0)
    assert history.torrent_series("c") == [None] * 4
