"""The shortcuts the benchmark asked for must give exactly what the plain definitions give.

- `store.refreshed()` (recompute only the attributes of changed fields) equals `Torrent.from_raw`;
- the view's incremental order (binary-search moves, merges, filter passes without sorting) equals
  sorting the torrents that `matches()` accepts, after any sequence of payloads and settings;
- the memoised status sets equal running every status filter.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbtui.api.models import TORRENT_KEYS, Torrent
from qbtui.model import view as view_module
from qbtui.model.store import Store, refreshed
from qbtui.model.view import STATUS_FILTERS, TorrentView, _statuses

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, -1, 5, 8640000, 4294967295, 2**64 - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "0.5", "12", "-3", "nan", "pausedDL", "stoppedUP", "uploading", "a, b", "x"]),
    st.text(max_size=8),
    st.lists(st.sampled_from(["a", "b", ""]), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
field_names = st.sampled_from(sorted(TORRENT_KEYS | {"unknown_field", "infohash_v1", "reannounce"}))
raw_torrents = st.dictionaries(field_names, values, max_size=12)


@settings(max_examples=400)
@given(raw_torrents, raw_torrents)
def test_refreshed_equals_from_raw(base: dict[str, Any], change: dict[str, Any]) -> None:
    torrent = Torrent.from_raw(base, hash="h")
    merged = {**base, **change}
    assert refreshed(torrent, merged, change.keys()) == Torrent.from_raw(merged, hash="h")


HASHES = [f"{i:040x}" for i in range(40)]
fields = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["alpha", "Beta", "[eztv] gamma", "delta", "Alpha"]),
        "state": st.sampled_from(["downloading", "pausedDL", "stoppedUP", "stalledUP", "error", "uploading"]),
        "dlspeed": st.sampled_from([0, 10, 500]),
        "upspeed": st.sampled_from([0, 7]),
        "size": st.integers(0, 3),
        "progress": st.sampled_from([0.0, 0.5, 1.0]),
        "category": st.sampled_from(["", "tv", "linux"]),
        "tags": st.sampled_from(["", "keep", "keep, seed"]),
        "eta": st.sampled_from([5, 8640000, 60]),
        "ratio": st.sampled_from([0.0, 1.5, -1]),
    }
)
states = st.dictionaries(st.sampled_from(HASHES), fields, max_size=40)
view_settings = st.fixed_dictionaries(
    {
        "status": st.sampled_from(list(STATUS_FILTERS)),
        "category": st.sampled_from([None, "", "tv"]),
        "tag": st.sampled_from([None, "", "keep"]),
        "name_filter": st.sampled_from(["", "a", "ALP", "zz"]),
        "sort_column": st.sampled_from(["name", "size", "down", "up", "eta", "ratio", "progress", "state"]),
        "reverse": st.booleans(),
    }
)


def delta(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], rid: int) -> dict[str, Any]:
    torrents: dict[str, Any] = {}
    for hash, item in new.items():
        if hash not in old:
            torrents[hash] = item
        else:
            diff = {k: v for k, v in item.items() if old[hash][k] != v}
            if diff:
                torrents[hash] = diff
    return {"rid": rid, "torrents": torrents, "torrents_removed": [h for h in old if h not in new]}


def reference_order(view: TorrentView) -> list[str]:
    torrents = view.store.torrents
    key = view.column.sort_key
    shown = [h for h, t in torrents.items() if view.matches(t)]
    return sorted(shown, key=lambda h: (key(torrents[h]), h), reverse=view.reverse)


@pytest.mark.parametrize("share", [1, 16, 10**6], ids=["one-by-one", "default", "always-merge"])
@settings(max_examples=200)
@given(
    steps=st.lists(st.tuples(states, st.none() | view_settings), min_size=1, max_size=6), first=view_settings
)
def test_view_equals_the_definition(
    share: int, steps: list[tuple[dict[str, Any], dict[str, Any] | None]], first: dict[str, Any]
) -> None:
    saved, view_module._MERGE_SHARE = view_module._MERGE_SHARE, share
    try:
        check_view(steps, first)
    finally:
        view_module._MERGE_SHARE = saved


def check_view(steps: list[tuple[dict[str, Any], dict[str, Any] | None]], first: dict[str, Any]) -> None:
    store = Store()
    view = TorrentView(store)
    for name, value in first.items():
        setattr(view, name, value)
    previous: dict[str, dict[str, Any]] = {}
    for rid, (state, choice) in enumerate(steps, start=1):
        full = {"rid": rid, "full_update": True, "torrents": state}
        payload = full if rid == 1 else delta(previous, state, rid)
        view.apply(store.apply(payload))
        previous = state
        if choice is not None:  # the user changed filters or sorting: the screen calls refilter()
            for name, value in choice.items():
                setattr(view, name, value)
            view.refilter()
        assert view.order == reference_order(view)
        assert [view.index_of(h) for h in view.order] == list(range(len(view)))
        assert all(view.index_of(h) is None for h in store.torrents if h not in set(view.order))
        # The store's shortcut kept every torrent equal to a fresh model of its raw fields.
        assert all(t == Torrent.from_raw(store.raw[h], hash=h) for h, t in store.torrents.items())


@given(st.lists(fields, min_size=1, max_size=20))
def test_memoised_statuses_equal_the_filters(items: list[dict[str, Any]]) -> None:
    for raw in items:
        torrent = Torrent.from_raw(raw, hash="h")
        assert _statuses(torrent) == tuple(name for name, test in STATUS_FILTERS.items() if test(torrent))
