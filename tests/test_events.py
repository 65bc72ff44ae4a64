"""Completion and error events from change sets: only transitions seen while watching."""

from __future__ import annotations

from qbtui.model.events import EventKind, TorrentEvents
from qbtui.model.store import Store


def sync(store: Store, events: TorrentEvents, payload: dict) -> list:
    return events.update(store, store.apply(payload))


def test_transitions_only_never_the_history() -> None:
    store, events = Store(), TorrentEvents()
    first = {
        "rid": 1,
        "full_update": True,
        "torrents": {
            "a": {"name": "A", "progress": 0.5, "state": "downloading"},
            "b": {"name": "B", "progress": 1.0, "state": "uploading"},
            "c": {"name": "C", "progress": 0.1, "state": "error"},
        },
    }
    assert sync(store, events, first) == []
    assert sync(store, events, {"rid": 2, "torrents": {"a": {"progress": 0.9}}}) == []
    done = sync(store, events, {"rid": 3, "torrents": {"a": {"progress": 1.0, "state": "uploading"}}})
    assert [(e.kind, e.name) for e in done] == [(EventKind.COMPLETED, "A")]
    # Already complete, already errored: nothing new.
    assert sync(store, events, {"rid": 4, "torrents": {"b": {"upspeed": 5}, "c": {"dlspeed": 1}}}) == []
    broke = sync(store, events, {"rid": 5, "torrents": {"b": {"state": "missingFiles"}}})
    assert [(e.kind, e.name, e.detail) for e in broke] == [(EventKind.ERRORED, "B", "files are missing")]


def test_added_complete_is_silent_and_a_full_update_after_reconnect_still_compares() -> None:
    store, events = Store(), TorrentEvents()
    sync(store, events, {"rid": 1, "full_update": True, "torrents": {"a": {"name": "A", "progress": 0.2}}})
    assert sync(store, events, {"rid": 2, "torrents": {"n": {"name": "N", "progress": 1.0}}}) == []
    # The server restarted while a finished: its full update still reports the completion.
    after = sync(
        store,
        events,
        {
            "rid": 1,
            "full_update": True,
            "torrents": {"a": {"name": "A", "progress": 1.0}, "n": {"name": "N"}},
        },
    )
    assert [(e.kind, e.name) for e in after] == [(EventKind.COMPLETED, "A")]
    sync(store, events, {"rid": 2, "torrents_removed": ["a"]})
    assert sync(store, events, {"rid": 3, "torrents": {"a": {"name": "A", "progress": 1.0}}}) == []
