"""The table's view: filters, counts and order kept incrementally must equal a from-scratch rebuild."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbtui.model.store import Store
from qbtui.model.view import (
    KNOWS_TRACKER_COUNT,
    KNOWS_TRACKER_FLAGS,
    STATUS_FILTERS,
    TRACKER_STATUSES,
    TorrentView,
)

# Digits-only keys take the store's careful path, keys with letters its fast path: both are here.
HASHES = [("ab" if i % 2 else "01") + f"{i:038x}" for i in range(8)]
fields = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["alpha", "Beta", "[eztv] gamma", "delta"]),
        "state": st.sampled_from(
            ["downloading", "pausedDL", "stoppedUP", "stalledUP", "error", "checkingDL"]
        ),
        "dlspeed": st.sampled_from([0, 10, 500]),
        "upspeed": st.sampled_from([0, 7]),
        "size": st.integers(0, 5),
        "category": st.sampled_from(["", "tv", "linux"]),
        "tags": st.sampled_from(["", "keep", "keep, seed"]),
        "eta": st.sampled_from([5, 8640000]),
        "ratio": st.sampled_from([0, 0.5, -1, 1.5]),
        "added_on": st.sampled_from([0, 1700000000, 1700000001]),
        "tracker": st.sampled_from(["", "udp://t.example:1337/announce"]),
        "trackers_count": st.sampled_from([0, 1, 2]),
        "has_tracker_warning": st.booleans(),
    }
)
states = st.dictionaries(st.sampled_from(HASHES), fields, max_size=8)
settings_ = st.fixed_dictionaries(
    {
        "status": st.sampled_from(list(STATUS_FILTERS)),
        "category": st.sampled_from([None, "", "tv"]),
        "tag": st.sampled_from([None, "", "keep"]),
        "tracker_status": st.sampled_from([None, *TRACKER_STATUSES]),
        "name_filter": st.sampled_from(["", "a", "ETA"]),
        "sort_column": st.sampled_from(["name", "size", "down", "eta", "state", "category"]),
        "reverse": st.booleans(),
    }
)


def delta(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], rid: int) -> dict[str, Any]:
    torrents = {}
    for hash, item in new.items():
        if hash not in old:
            torrents[hash] = item
        else:
            diff = {k: v for k, v in item.items() if old[hash][k] != v}
            if diff:
                torrents[hash] = diff
    return {"rid": rid, "torrents": torrents, "torrents_removed": [h for h in old if h not in new]}


def configure(view: TorrentView, choice: dict[str, Any]) -> None:
    for key, value in choice.items():
        setattr(view, key, value)


@given(st.lists(states, min_size=1, max_size=5), settings_)
def test_incremental_view_equals_rebuild(
    sequence: list[dict[str, dict[str, Any]]], choice: dict[str, Any]
) -> None:
    store = Store()
    view = TorrentView(store)
    configure(view, choice)
    view.apply(store.apply({"rid": 1, "full_update": True, "torrents": sequence[0]}))
    previous = sequence[0]
    for rid, state in enumerate(sequence[1:], start=2):
        view.apply(store.apply(delta(previous, state, rid)))
        previous = state
    fresh = TorrentView(store)
    configure(fresh, choice)
    fresh.rebuild()
    assert view.order == fresh.order
    assert +view.counts.status == +fresh.counts.status
    assert +view.counts.categories == +fresh.counts.categories
    assert +view.counts.tags == +fresh.counts.tags
    assert +view.counts.tracker_status == +fresh.counts.tracker_status
    assert [view.index_of(h) for h in view.order] == list(range(len(view)))


SORTS = ["name", "size", "down", "eta", "state", "category", "ratio", "added"]


@settings(max_examples=300)
@given(
    st.lists(states, min_size=1, max_size=10),
    st.lists(st.tuples(st.sampled_from(SORTS), st.booleans()), min_size=1, max_size=6),
    settings_,
    st.sampled_from([1, 2, 64]),
)
def test_sorting_by_a_column_again_after_polls_equals_rebuild(
    sequence: list[dict[str, dict[str, Any]]],
    sorts: list[tuple[str, bool]],
    choice: dict[str, Any],
    journal_limit: int,
) -> None:
    """Sorted by columns in turn with polls between (as the UI does: a sort change refilters):
    the values kept for a column used before must have followed every poll since, also when the
    polls' change sets were folded together (a short journal)."""
    store = Store()
    view = TorrentView(store)
    view._sort_values.journal_limit = journal_limit
    configure(view, choice)
    view.apply(store.apply({"rid": 1, "full_update": True, "torrents": sequence[0]}))
    previous = sequence[0]
    for rid, state in enumerate(sequence[1:], start=2):
        if rid % 4 == 2:  # several polls under one sort: the others' change sets pile up
            column, reverse = sorts[rid // 4 % len(sorts)]
            view.sort_column, view.reverse = column, reverse
            view.refilter()
        view.apply(store.apply(delta(previous, state, rid)))
        previous = state
    for column, reverse in sorts:
        view.sort_column, view.reverse = column, reverse
        view.refilter()
        fresh = TorrentView(store)
        configure(fresh, {**choice, "sort_column": column, "reverse": reverse})
        fresh.rebuild()
        assert view.order == fresh.order, (column, reverse)
        assert [view.index_of(h) for h in view.order] == list(range(len(view)))


@pytest.mark.parametrize("journal_limit", [1, 2, 64])
def test_a_column_sorted_by_again_sees_the_polls_made_under_another(journal_limit: int) -> None:
    hashes = [c * 40 for c in "abc"]

    def sized(*sizes: int) -> dict[str, dict[str, Any]]:
        return {h: {"name": h[0], "size": size} for h, size in zip(hashes, sizes, strict=True)}

    store = Store()
    view = TorrentView(store)
    view._sort_values.journal_limit = journal_limit
    view.sort_column = "size"
    states = [sized(1, 2, 3), sized(3, 2, 1), sized(3, 2, 1), sized(3, 5, 1), sized(3, 5, 1)]
    view.apply(store.apply({"rid": 1, "full_update": True, "torrents": states[0]}))
    view.sort_column = "name"
    view.refilter()
    for rid, (old, new) in enumerate(itertools.pairwise(states), start=2):
        view.apply(store.apply(delta(old, new, rid)))
        assert len(view._sort_values._journal) <= journal_limit
    view.sort_column = "size"
    view.refilter()
    assert view.order == [hashes[2], hashes[0], hashes[1]]


def test_status_filters_follow_qbittorrent() -> None:
    store = Store()
    view = TorrentView(store)
    view.apply(
        store.apply(
            {
                "rid": 1,
                "full_update": True,
                "torrents": {
                    "a": {"name": "a", "state": "pausedDL"},
                    "b": {"name": "b", "state": "uploading", "upspeed": 5},
                    "c": {"name": "c", "state": "missingFiles"},
                    "d": {"name": "d", "state": "stoppedUP"},
                },
            }
        )
    )
    counts = view.counts.status
    assert counts["all"] == 4 and counts["downloading"] == 1 and counts["seeding"] == 1
    assert counts["completed"] == 2 and counts["paused"] == 2 and counts["active"] == 1
    assert counts["errored"] == 1
    view.status = "paused"
    view.rebuild()
    assert view.order == ["a", "d"]


def _view(torrents: dict[str, dict[str, Any]]) -> TorrentView:
    store = Store()
    view = TorrentView(store)
    view.apply(store.apply({"rid": 1, "full_update": True, "torrents": torrents}))
    return view


def test_tracker_statuses_count_and_filter() -> None:
    view = _view(
        {
            "a": {"name": "a", "state": "uploading", "tracker": "udp://t:1/a", "trackers_count": 2},
            "b": {"name": "b", "state": "stalledUP", "tracker": "", "trackers_count": 1},
            "c": {"name": "c", "state": "stalledUP", "tracker": "", "trackers_count": 0},
            "d": {"name": "d", "state": "uploading", "tracker": "udp://t:1/a", "trackers_count": 1,
                  "has_tracker_warning": True, "has_tracker_error": False},
            "e": {"name": "e", "state": "stalledDL", "tracker": "", "trackers_count": 1,
                  "has_tracker_error": True, "has_tracker_warning": False},
        }
    )  # fmt: skip
    counts = view.counts.tracker_status
    assert counts["working"] == 2 and counts["not working"] == 2 and counts["trackerless"] == 1
    assert counts["warning"] == 1 and counts["error"] == 1
    assert counts[KNOWS_TRACKER_COUNT] == 5 and counts[KNOWS_TRACKER_FLAGS] == 2
    for status, expected in (("trackerless", ["c"]), ("not working", ["b", "e"]), ("warning", ["d"])):
        view.tracker_status = status
        view.refilter()
        assert view.order == expected, status
        assert all(view.matches(view.store.torrents[h]) for h in expected)


def test_without_trackers_count_a_torrent_with_no_working_tracker_is_not_working() -> None:
    view = _view({"a": {"name": "a", "tracker": ""}, "b": {"name": "b", "tracker": "http://t/a"}})
    counts = view.counts.tracker_status
    assert counts["not working"] == 1 and counts["working"] == 1
    assert counts[KNOWS_TRACKER_COUNT] == 0 and counts["trackerless"] == 0


def test_tracker_fields_of_the_wrong_type_count_as_not_sent() -> None:
    view = _view(
        {
            "a": {"name": "a", "tracker": "", "trackers_count": [1], "has_tracker_error": {"x": 1}},
            "b": {"name": "b", "tracker": "http://t/a", "trackers_count": "0", "has_tracker_warning": [1]},
        }
    )
    counts = view.counts.tracker_status
    assert counts["not working"] == 1 and counts["working"] == 1
    assert counts["trackerless"] == 0 and counts["error"] == 0 and counts["warning"] == 0
