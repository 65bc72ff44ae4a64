"""The store: deltas of both generations, change sets, and (property) deltas == a fresh full sync."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from qbtui.api.models import Category, TorrentState
from qbtui.model.store import Store
from tests.hostile import strategies

SAMPLES = Path(__file__).parent / "data" / "legacy-4.0.4-samples"


def body(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text().split("\n\n", 1)[1])


def test_legacy_sample_sequence() -> None:
    store = Store()
    first = store.apply(body("sync_maindata_rid0.txt"))
    assert first.full_update and len(first.added) == 2 and store.rid == 1
    assert set(store.categories) == {"tests"}
    assert store.server_state.refresh_interval == 1500
    nochange = store.apply(body("sync_maindata_rid1_nochange.txt"))
    assert nochange.changed == {"38c6f3ba65ac60f1fb153db435c26cbeef025373": {"last_activity"}}
    delta = store.apply(body("sync_maindata_ridN.txt"))
    assert delta.changed["a73042c2dd15e18932fb62fd93ef3ee4cb0141f7"] == {"category", "last_activity", "state"}
    assert delta.server_state_changed == {"total_buffers_size"}
    assert delta.categories_changed and set(store.categories) == {"tests", "nope"}
    assert store.torrents["38c6f3ba65ac60f1fb153db435c26cbeef025373"].state is TorrentState.PAUSED_UP
    after = store.apply(body("sync_maindata_ridN2_after_category_change.txt"))
    assert set(store.categories) == {"nope", "other"} and after.categories_changed
    # A stale rid gets a full update: it must equal what the deltas built.
    fresh = Store()
    fresh.apply(body("sync_maindata_stale_rid.txt"))
    assert {h: t.state for h, t in fresh.torrents.items()} == {h: t.state for h, t in store.torrents.items()}
    assert fresh.categories == store.categories
    resync = store.apply(body("sync_maindata_stale_rid.txt"))
    assert resync.full_update and not resync.added and not resync.removed


def test_v2_categories_tags_trackers_and_removal() -> None:
    store = Store()
    store.apply(
        {
            "rid": 1,
            "full_update": True,
            "torrents": {"AA": {"name": "one", "state": "stoppedDL"}, "bb": {"name": "two"}},
            "categories": {"tv": {"name": "tv", "savePath": "/tv"}},
            "tags": ["keep"],
            "trackers": {"http://t/announce": ["aa"]},
            "server_state": {"dl_info_speed": 5, "free_space_on_disk": 100},
        }
    )
    assert store.torrents["aa"].state.is_paused
    changes = store.apply(
        {
            "rid": 2,
            "torrents": {"bb": {"name": "two!"}},
            "torrents_removed": ["aa"],
            "categories": {"tv": {"savePath": "/media/tv"}, "new": {"name": "new", "savePath": ""}},
            "categories_removed": [],
            "tags": ["seed"],
            "tags_removed": ["keep"],
            "trackers_removed": ["http://t/announce"],
            "server_state": {"dl_info_speed": 7},
        }
    )
    assert changes.removed == {"aa"} and changes.changed == {"bb": {"name"}}
    assert store.categories["tv"] == Category("tv", "/media/tv")
    assert store.tags == ["seed"] and store.trackers == {}
    assert store.server_state.dl_info_speed == 7 and store.server_state.free_space_on_disk == 100
    assert changes.server_state_changed == {"dl_info_speed"}


def test_an_empty_delta_changes_nothing() -> None:
    store = Store()
    store.apply({"rid": 1, "full_update": True, "torrents": {"a": {"name": "x"}}})
    assert store.apply({"rid": 2}).empty


def test_garbage_inside_a_payload_is_ignored() -> None:
    store = Store()
    changes = store.apply({"rid": "x", "torrents": [1, 2], "categories": 5, "server_state": "no", "tags": {}})
    assert changes.empty


# -- property: deltas reproduce a full sync --------------------------------------------------

FIELDS = ("name", "state", "dlspeed", "progress", "category", "tags")
# Digits-only keys take the store's careful path, keys with letters its fast path: both are here.
HASHES = [("ab" if i % 2 else "01") + f"{i:038x}" for i in range(6)]

torrent_fields = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["a", "b", "[eztv] c", ""]),
        "state": st.sampled_from(["downloading", "pausedDL", "stoppedUP", "weird"]),
        "dlspeed": st.integers(0, 3),
        "progress": st.sampled_from([0, 0.5, 1]),
        "category": st.sampled_from(["", "tv", "linux"]),
        "tags": st.sampled_from(["", "keep", "keep, seed"]),
    }
)
server_states = st.fixed_dictionaries(
    {"dl_info_speed": st.integers(0, 3), "connection_status": st.sampled_from(["connected", "firewalled"])}
)
snapshots = st.fixed_dictionaries(
    {
        "torrents": st.dictionaries(st.sampled_from(HASHES), torrent_fields, max_size=6),
        "categories": st.dictionaries(
            st.sampled_from(["tv", "linux", "misc"]),
            st.fixed_dictionaries({"savePath": st.sampled_from(["", "/a", "/b"])}),
            max_size=3,
        ),
        "tags": st.sets(st.sampled_from(["keep", "seed", "x"])),
        "server_state": server_states,
    }
)


def full_payload(snapshot: dict[str, Any], rid: int, categories_as_list: bool) -> dict[str, Any]:
    categories: Any = (
        sorted(snapshot["categories"])
        if categories_as_list
        else {name: {"name": name, **fields} for name, fields in snapshot["categories"].items()}
    )
    return {
        "rid": rid,
        "full_update": True,
        "torrents": snapshot["torrents"],
        "categories": categories,
        "tags": sorted(snapshot["tags"]),
        "server_state": snapshot["server_state"],
    }


def keyed_delta(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    """qBittorrent's rule: new items in full, changed fields only, vanished keys listed."""
    if not old:
        return dict(new), []
    changed = {}
    for key, fields in new.items():
        if key not in old:
            changed[key] = fields
        else:
            diff = {k: v for k, v in fields.items() if old[key].get(k) != v}
            if diff:
                changed[key] = diff
    return changed, [key for key in old if key not in new]


def delta_payload(
    old: dict[str, Any], new: dict[str, Any], rid: int, categories_as_list: bool
) -> dict[str, Any]:
    payload: dict[str, Any] = {"rid": rid}
    torrents, removed = keyed_delta(old["torrents"], new["torrents"])
    if torrents:
        payload["torrents"] = torrents
    if removed:
        payload["torrents_removed"] = removed
    if categories_as_list:
        added = sorted(set(new["categories"]) - set(old["categories"]))
        if added:
            payload["categories"] = added
    else:
        named = {n: {"name": n, **f} for n, f in new["categories"].items()}
        old_named = {n: {"name": n, **f} for n, f in old["categories"].items()}
        cats, _ = keyed_delta(old_named, named)
        if cats:
            payload["categories"] = cats
    gone = sorted(set(old["categories"]) - set(new["categories"]))
    if gone:
        payload["categories_removed"] = gone
    if new["tags"] - old["tags"]:
        payload["tags"] = sorted(new["tags"] - old["tags"])
    if old["tags"] - new["tags"]:
        payload["tags_removed"] = sorted(old["tags"] - new["tags"])
    state = {k: v for k, v in new["server_state"].items() if old["server_state"].get(k) != v}
    if state:
        payload["server_state"] = state
    return payload


def observable(store: Store) -> tuple[Any, ...]:
    return (
        store.raw,
        {n: (c.name, c.save_path) for n, c in store.categories.items()},
        set(store.tags),
        store.server_state_raw,
        store.torrents,
    )


@given(st.lists(snapshots, min_size=1, max_size=6), st.booleans())
def test_deltas_give_the_state_a_fresh_full_sync_gives(states: list[dict[str, Any]], as_list: bool) -> None:
    incremental = Store()
    incremental.apply(full_payload(states[0], 1, as_list))
    for rid, (old, new) in enumerate(itertools.pairwise(states), start=2):
        incremental.apply(delta_payload(old, new, rid, as_list))
    fresh = Store()
    fresh.apply(full_payload(states[-1], 99, as_list))
    if as_list:
        # Legacy category lists carry names only: compare names.
        assert set(incremental.categories) == set(fresh.categories)
        assert observable(incremental)[2:] == observable(fresh)[2:]
        assert incremental.raw == fresh.raw
    else:
        assert observable(incremental) == observable(fresh)


@given(snapshots, snapshots)
def test_change_set_names_exactly_the_moved_torrents(old: dict[str, Any], new: dict[str, Any]) -> None:
    store = Store()
    store.apply(full_payload(old, 1, False))
    changes = store.apply(delta_payload(old, new, 2, False))
    if not old["torrents"]:
        assert changes.added == set(new["torrents"])
        return
    assert changes.added == set(new["torrents"]) - set(old["torrents"])
    assert changes.removed == set(old["torrents"]) - set(new["torrents"])
    expected = {
        h: {k for k in FIELDS if old["torrents"][h][k] != new["torrents"][h][k]}
        for h in set(old["torrents"]) & set(new["torrents"])
    }
    assert changes.changed == {h: f for h, f in expected.items() if f}


# -- property: any payload at all, wrong types included, never breaks the store ------------------

TORRENT_KEYS = ["name", "state", "size", "progress", "dlspeed", "category", "label", "tags", "eta", "ratio"]
hostile_payloads = st.fixed_dictionaries(
    {},
    optional={
        "rid": strategies.json_values,
        "full_update": strategies.json_values,
        "torrents": strategies.json_values
        | st.dictionaries(
            st.sampled_from([*HASHES[:3], HASHES[1].upper(), ""]) | strategies.texts,
            strategies.fields_of(TORRENT_KEYS) | strategies.json_values,
            max_size=5,
        ),
        "torrents_removed": strategies.json_values
        | st.lists(st.sampled_from(HASHES[:3]) | strategies.scalars),
        "categories": strategies.json_values
        | st.dictionaries(strategies.texts, strategies.fields_of(["name", "savePath", "download_path"])),
        "labels": strategies.json_values,
        "categories_removed": strategies.json_values,
        "labels_removed": strategies.json_values,
        "tags": strategies.json_values | st.lists(strategies.scalars),
        "tags_removed": strategies.json_values,
        "trackers": strategies.json_values
        | st.dictionaries(strategies.texts, st.lists(strategies.scalars) | strategies.scalars),
        "trackers_removed": strategies.json_values,
        "server_state": strategies.json_values
        | strategies.fields_of(["dl_info_speed", "connection_status", "refresh_interval", "queueing"]),
    },
)


def assert_consistent(store: Store, changes: Any) -> None:
    assert set(store.raw) == set(store.torrents)
    for key, torrent in store.torrents.items():
        assert torrent.hash == key and isinstance(torrent.name, str) and 0.0 <= torrent.progress <= 1.0
        assert isinstance(store.raw[key], dict)
    assert all(isinstance(name, str) and category.name for name, category in store.categories.items())
    assert all(isinstance(tag, str) and tag for tag in store.tags) and len(set(store.tags)) == len(store.tags)
    assert all(
        isinstance(url, str) and all(isinstance(h, str) for h in hashes)
        for url, hashes in store.trackers.items()
    )
    assert isinstance(store.rid, int) and isinstance(changes.rid, int)
    assert changes.added <= set(store.torrents) and not changes.removed & set(store.torrents)
    assert set(changes.changed) <= set(store.torrents)


@settings(max_examples=500)
@given(st.lists(hostile_payloads, min_size=1, max_size=6))
def test_any_payload_sequence_keeps_the_store_consistent(payloads: list[dict[str, Any]]) -> None:
    store = Store()
    for payload in payloads:
        assert_consistent(store, store.apply(payload))


@settings(max_examples=200)
@given(st.lists(hostile_payloads, min_size=1, max_size=4), st.lists(snapshots, min_size=1, max_size=3))
def test_a_full_update_after_garbage_restores_a_clean_state(
    garbage: list[dict[str, Any]], states: list[dict[str, Any]]
) -> None:
    """Whatever a broken server sent before, the next full update is the whole truth."""
    store = Store()
    for payload in garbage:
        store.apply(payload)
    store.apply(full_payload(states[-1], 50, False))
    fresh = Store()
    fresh.apply(full_payload(states[-1], 50, False))
    assert observable(store) == observable(fresh)


# -- refreshes between two maindata polls ---------------------------------------------------------


def _refreshed_store() -> Store:
    store = Store()
    store.apply(
        {
            "rid": 1,
            "full_update": True,
            "torrents": {"a": {"name": "a", "dlspeed": 0, "state": "stalledDL"}, "b": {"name": "b"}},
            "server_state": {"dl_info_speed": 0, "up_info_speed": 7},
        }
    )
    return store


def test_a_refresh_updates_known_torrents_and_the_speeds_but_not_the_rid() -> None:
    store = _refreshed_store()
    changes = store.refresh(
        [{"hash": "A", "dlspeed": 500, "state": "downloading"}, {"hash": "new", "name": "n"}, "junk"],
        {"dl_info_speed": 500, "up_info_speed": 7},
    )
    assert changes.changed == {"a": {"dlspeed", "state"}} and not changes.added
    assert store.torrents["a"].dl_speed == 500 and "new" not in store.torrents
    assert changes.server_state_changed == {"dl_info_speed"} and store.server_state.dl_info_speed == 500
    assert store.rid == 1


def test_a_value_a_refresh_set_goes_back_when_the_next_delta_leaves_the_field_out() -> None:
    """maindata last sent dlspeed 0; a refresh saw 500; the speed fell back to 0, so the delta
    (relative to what maindata sent) does not name it: the store must not keep 500."""
    store = _refreshed_store()
    store.refresh([{"hash": "a", "dlspeed": 500, "state": "downloading"}], {"dl_info_speed": 500})
    changes = store.apply({"rid": 2, "torrents": {"a": {"state": "downloading"}}})
    assert store.torrents["a"].dl_speed == 0 and store.raw["a"]["dlspeed"] == 0
    assert store.torrents["a"].state_raw == "downloading"  # named by the delta: it wins
    assert changes.changed == {"a": {"dlspeed"}}
    assert store.server_state.dl_info_speed == 0 and "dl_info_speed" in changes.server_state_changed
    # Once restored, the next delta is plain again.
    assert not store.apply({"rid": 3}).changed


def test_a_delta_that_names_the_field_wins_and_fields_maindata_never_sent_are_left_out() -> None:
    store = _refreshed_store()
    changes = store.refresh([{"hash": "a", "dlspeed": 9, "eta": 60}], {"up_info_speed": 7, "free": 1})
    assert changes.changed == {"a": {"dlspeed"}} and "eta" not in store.raw["a"]
    assert not changes.server_state_changed and "free" not in store.server_state_raw
    store.apply({"rid": 2, "torrents": {"a": {"dlspeed": 12}}})
    assert store.raw["a"]["dlspeed"] == 12


def test_a_full_update_after_a_refresh_replaces_everything() -> None:
    store = _refreshed_store()
    store.refresh([{"hash": "a", "dlspeed": 500}], None)
    store.apply({"rid": 0, "full_update": True, "torrents": {"a": {"name": "a", "dlspeed": 42}}})
    assert store.torrents["a"].dl_speed == 42 and set(store.torrents) == {"a"}
    assert not store.apply({"rid": 1}).changed


_speeds = st.fixed_dictionaries({"dlspeed": st.sampled_from([0, 5]), "state": st.sampled_from(["a", "b"])})
_server = st.dictionaries(st.sampled_from(["x", "y", "z"]), _speeds, min_size=1, max_size=3)


@given(st.lists(st.tuples(_server, st.booleans()), min_size=1, max_size=8))
def test_refreshes_between_deltas_never_leave_the_store_behind_maindata(
    steps: list[tuple[dict[str, dict[str, Any]], bool]],
) -> None:
    """The server's torrents change step by step; each step the client either refreshes (rows of
    the torrents it knows) or polls maindata (a delta against what maindata last sent). After
    every maindata poll the store equals the server's state exactly."""
    first, _ = steps[0]
    store = Store()
    store.apply({"rid": 1, "full_update": True, "torrents": first})
    sent = {h: dict(fields) for h, fields in first.items()}
    for rid, (state, is_maindata) in enumerate(steps[1:], start=2):
        if not is_maindata:
            store.refresh([{"hash": h, **fields} for h, fields in state.items()], None)
            continue
        torrents = {}
        for hash, fields in state.items():
            before = sent.get(hash)
            diff = fields if before is None else {k: v for k, v in fields.items() if before.get(k) != v}
            if diff:
                torrents[hash] = diff
        removed = [h for h in sent if h not in state]
        store.apply({"rid": rid, "torrents": torrents, "torrents_removed": removed})
        sent = {h: dict(fields) for h, fields in state.items()}
        assert store.raw == sent
