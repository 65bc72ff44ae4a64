"""The problems view's logic: each kind of problem, its reason and the fitting action."""

from __future__ import annotations

from qbtui.api.models import Tracker
from qbtui.model.problems import Action, find_problems, tracker_candidates, tracker_problem
from qbtui.model.store import Store

NOW = 1_800_000_000.0
H = {k: k * 40 for k in "abcdef"}


def store_with(torrents: dict, server_state: dict | None = None) -> Store:
    store = Store()
    store.apply({"rid": 1, "full_update": True, "torrents": torrents, "server_state": server_state or {}})
    return store


def test_states_stalls_and_disk() -> None:
    store = store_with(
        {
            H["a"]: {"name": "gone", "state": "missingFiles", "save_path": "/data/x"},
            H["b"]: {"name": "broken", "state": "error"},
            H["c"]: {"name": "slow", "state": "stalledDL", "last_activity": int(NOW - 3600), "num_seeds": 0},
            H["d"]: {"name": "just stalled", "state": "stalledDL", "last_activity": int(NOW - 60)},
            H["e"]: {"name": "fine", "state": "downloading", "tracker": "http://t/announce"},
        },
        {"free_space_on_disk": 2 * 1024**3},
    )
    problems = find_problems(store, NOW, stalled_minutes=30)
    summary = [(p.kind, p.name, p.action) for p in problems]
    assert summary == [
        ("disk", "server", Action.NONE),
        ("missing files", "gone", Action.SET_LOCATION),
        ("error", "broken", Action.RECHECK),
        ("stalled", "slow", Action.PAUSE),
    ]
    assert "/data/x" in problems[1].reason and "60 min" in problems[3].reason
    assert "2.0 GiB free" in problems[0].reason


def test_trackers_unregistered_failing_and_patience() -> None:
    store = store_with(
        {
            H["a"]: {"name": "dead", "state": "stalledDL", "tracker": ""},
            H["b"]: {"name": "paused", "state": "pausedDL", "tracker": ""},
            H["c"]: {"name": "ok", "state": "uploading", "tracker": "http://t/a"},
        }
    )
    assert tracker_candidates(store) == [H["a"]]
    torrent = store.torrents[H["a"]]
    dht = Tracker.from_raw({"url": "** [DHT] **", "status": 2, "msg": ""})
    unregistered = Tracker.from_raw({"url": "http://t/a", "status": 4, "msg": "Unregistered torrent"})
    failing = Tracker.from_raw({"url": "http://t/a", "status": 4, "msg": "timed out"})
    waiting = Tracker.from_raw({"url": "http://t/a", "status": 1, "msg": ""})
    problem = tracker_problem(torrent, [dht, unregistered])
    assert problem is not None and problem.kind == "unregistered" and "Unregistered torrent" in problem.reason
    problem = tracker_problem(torrent, [failing])
    assert problem is not None and problem.kind == "tracker" and problem.action is Action.REANNOUNCE
    assert tracker_problem(torrent, [waiting]) is None
    listed = find_problems(store, NOW, trackers={H["a"]: [unregistered]})
    assert [(p.kind, p.name) for p in listed] == [("unregistered", "dead")]


def test_trackers_in_error_or_unreachable_on_5_2_are_failing() -> None:
    """5.2 (WebAPI 2.13) reports 5 (tracker error) and 6 (unreachable) besides 4 (not working)."""
    store = store_with({H["a"]: {"name": "dead", "state": "stalledDL", "tracker": ""}})
    torrent = store.torrents[H["a"]]
    for status in (5, 6):
        raw = {"url": "http://t/a", "status": status, "msg": "gone", "next_announce": 30}
        tracker = Tracker.from_raw(raw)
        assert tracker.next_announce == 30
        problem = tracker_problem(torrent, [tracker])
        assert problem is not None and problem.kind == "tracker" and "gone" in problem.reason
