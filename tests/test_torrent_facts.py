"""The 5.x facts the details panel shows (qbtui.model.torrent_facts): shown where the server sends them,
nowhere else."""

from __future__ import annotations

from qbtui.api.models import Torrent, Tracker
from qbtui.model.torrent_facts import general_rows, has_next_announce, next_announce, tracker_health

HASH = "ab" * 20


def test_rows_for_a_5_3_torrent() -> None:
    torrent = Torrent.from_raw(
        {
            "name": "x",
            "share_limit_action": "RemoveWithContent",
            "has_tracker_warning": True,
            "has_tracker_error": False,
            "has_other_announce_error": True,
            "private": True,
            "comment": "hi",
        },
        HASH,
    )
    assert general_rows(torrent) == [
        ("At share limit", "remove with content"),
        ("Tracker status", "warning, announce failed"),
    ]
    assert torrent.private is True and torrent.comment == "hi"


def test_nothing_for_an_older_server() -> None:
    torrent = Torrent.from_raw({"name": "x", "state": "pausedUP"}, HASH)
    assert general_rows(torrent) == [] and tracker_health(torrent) is None
    assert torrent.private is None and torrent.share_limit_action is None
    assert torrent.state_label == "paused (done)"
    assert Torrent.from_raw({"state": "stoppedUP"}, HASH).state_label == "stopped (done)"
    old = [Tracker.from_raw({"url": "http://t/a", "status": 2})]
    assert not has_next_announce(old)
    new = [Tracker.from_raw({"url": "http://t/a", "status": 2, "next_announce": 95})]
    assert has_next_announce(new) and next_announce(new[0]) == "1m 35s"
