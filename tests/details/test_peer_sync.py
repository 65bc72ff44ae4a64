"""The peers sync: full updates replace, deltas merge fields, removals go, rid is kept."""

from __future__ import annotations

from qbtui.ui.widgets.details.peers import PeerSync, looks_like_peer


def test_full_update_then_deltas() -> None:
    sync = PeerSync()
    changes = sync.apply(
        {
            "rid": 1,
            "full_update": True,
            "show_flags": True,
            "peers": {
                "1.1.1.1:1": {"client": "A", "progress": 0.5, "dl_speed": 10},
                "2.2.2.2:2": {"client": "B", "progress": 1},
            },
        }
    )
    assert sync.rid == 1 and sync.show_flags
    assert changes.full_update and changes.changed == {"1.1.1.1:1", "2.2.2.2:2"}
    changes = sync.apply({"rid": 2, "peers": {"1.1.1.1:1": {"dl_speed": 99}}, "peers_removed": ["2.2.2.2:2"]})
    assert sync.rid == 2
    assert changes.changed == {"1.1.1.1:1"} and changes.removed == {"2.2.2.2:2"}
    peer = sync.peers["1.1.1.1:1"]
    assert (peer.client, peer.progress, peer.dl_speed) == ("A", 0.5, 99)  # unchanged fields kept
    assert list(sync.peers) == ["1.1.1.1:1"]


def test_a_full_update_replaces_everything() -> None:
    sync = PeerSync()
    sync.apply({"rid": 1, "full_update": True, "peers": {"a:1": {}, "b:2": {}}})
    changes = sync.apply({"rid": 7, "full_update": True, "peers": {"b:2": {"client": "X"}}})
    assert list(sync.peers) == ["b:2"]
    assert changes.removed == {"a:1"} and sync.peers["b:2"].client == "X"


def test_junk_is_ignored_and_reset_forgets() -> None:
    sync = PeerSync()
    sync.apply({"rid": "x", "peers": {"a:1": "not an object"}, "peers_removed": "nope"})
    assert sync.peers == {} and sync.rid == 0
    sync.apply({"rid": 3, "peers": {"a:1": {"client": "A"}}})
    sync.reset()
    assert (sync.rid, sync.peers, sync.raw) == (0, {}, {})


def test_peer_addresses() -> None:
    assert looks_like_peer("1.2.3.4:6881")
    assert looks_like_peer("[::1]:6881")
    assert looks_like_peer("host.example:51413")
    assert not looks_like_peer("1.2.3.4")
    assert not looks_like_peer(":80")
    assert not looks_like_peer("h:99999")
