"""The table's view: filters, counts and order kept incrementally must equal a from-scratch rebuild."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbtui.model import view as view_module
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
)
def test_sorting_by_a_column_again_after_polls_equals_rebuild(
    sequence: list[dict[str, dict[str, Any]]],
    sorts: list[tuple[str, bool]],
    choice: dict[str, Any],
) -> None:
    """Sorted by columns in turn with polls between (as the UI does: a sort change refilters):
    the values kept for a column used before must have followed every poll since."""
    store = Store()
    view = TorrentView(store)
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
    assert_each_sort_equals_rebuild(view, store, choice, sorts)


def assert_each_sort_equals_rebuild(
    view: TorrentView, store: Store, choice: dict[str, Any], sorts: list[tuple[str, bool]]
) -> None:
    """Sorts `view` by each (column, reverse) in turn: its order must be a fresh view's."""
    for column, reverse in sorts:
        view.sort_column, view.reverse = column, reverse
        view.refilter()
        fresh = TorrentView(store)
        configure(fresh, {**choice, "sort_column": column, "reverse": reverse})
        fresh.rebuild()
        assert view.order == fresh.order, (column, reverse)
        assert [view.index_of(h) for h in view.order] == list(range(len(view)))


def test_a_column_sorted_by_again_sees_the_polls_made_under_another() -> None:
    hashes = [c * 40 for c in "abc"]

    def sized(*sizes: int) -> dict[str, dict[str, Any]]:
        return {h: {"name": h[0], "size": size} for h, size in zip(hashes, sizes, strict=True)}

    store = Store()
    view = TorrentView(store)
    view.sort_column = "size"
    states = [sized(1, 2, 3), sized(3, 2, 1), sized(3, 2, 1), sized(3, 5, 1), sized(3, 5, 1)]
    view.apply(store.apply({"rid": 1, "full_update": True, "torrents": states[0]}))
    view.sort_column = "name"
    view.refilter()
    for rid, (old, new) in enumerate(itertools.pairwise(states), start=2):
        view.apply(store.apply(delta(old, new, rid)))
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


@pytest.mark.parametrize("tracker", [None, "udp://a.example/announce"])
def test_a_trackers_section_in_a_poll_keeps_counts_and_the_tracker_filter_right(tracker: str | None) -> None:
    """v2 servers send `trackers` whenever a torrent joins one: counted without sorting again, and
    a tracker filter still follows it."""
    a, b, c = (ch * 40 for ch in "abc")
    store = Store()
    view = TorrentView(store)
    view.tracker = tracker
    torrents = {h: {"name": h[0], "size": i} for i, h in enumerate((a, b, c))}
    view.apply(
        store.apply(
            {
                "rid": 1,
                "full_update": True,
                "torrents": torrents,
                "trackers": {"udp://a.example/announce": [a]},
            }
        )
    )
    values = view._values
    view.apply(
        store.apply(
            {"rid": 2, "trackers": {"udp://a.example/announce": [a, c], "udp://b.example/announce": [b]}}
        )
    )
    fresh = TorrentView(store)
    fresh.tracker = tracker
    fresh.rebuild()
    assert view.order == fresh.order == ([a, c] if tracker else [a, b, c])
    assert (
        +view.counts.trackers
        == +fresh.counts.trackers
        == {"udp://a.example/announce": 2, "udp://b.example/announce": 1}
    )
    if tracker is None:
        assert view._values is values, "sorted again"


NEEDLES = ["", "a", "al", "e", "et", "ETA", "z"]
NAMES = ["alpha", "Beta", "[eztv] gamma", "delta", "zeta", "Alfalfa", "theta", "eta"]


@st.composite
def steady_states(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """As `states`, but a torrent keeps its name (the name filter's kept names see renames rarely)."""
    state = draw(states)
    for index, hash in enumerate(HASHES):
        if hash in state and draw(st.integers(0, 9)):
            state[hash]["name"] = NAMES[index]
    return state


@settings(max_examples=300)
@given(
    st.lists(steady_states(), min_size=1, max_size=12),
    st.sampled_from([0, 16]),
    st.lists(
        st.one_of(
            st.tuples(st.just("poll")),
            st.tuples(st.just("type"), st.sampled_from(NEEDLES)),
            st.tuples(st.just("type"), st.sampled_from(NEEDLES)),
            st.tuples(st.just("sort"), st.sampled_from(SORTS), st.booleans()),
        ),
        max_size=30,
    ),
    settings_,
)
def test_typing_and_deleting_in_the_name_filter_between_polls_equals_rebuild(
    sequence: list[dict[str, dict[str, Any]]],
    merge_share: int,
    steps: list[tuple[Any, ...]],
    choice: dict[str, Any],
) -> None:
    """The name filter's shortcuts (narrowing, results kept for a backspace, names kept in step with
    the order) against polls and sort changes in any order: each step's order equals a rebuild.
    With `merge_share` 0 a poll moves entries one by one, as it does in a long list."""
    saved, view_module._MERGE_SHARE = view_module._MERGE_SHARE, merge_share
    try:
        _type_and_poll(sequence, steps, choice)
    finally:
        view_module._MERGE_SHARE = saved


def _type_and_poll(
    sequence: list[dict[str, dict[str, Any]]], steps: list[tuple[Any, ...]], choice: dict[str, Any]
) -> None:
    store = Store()
    view = TorrentView(store)
    configure(view, choice)
    view.apply(store.apply({"rid": 1, "full_update": True, "torrents": sequence[0]}))
    polls = iter(enumerate(itertools.pairwise(sequence), start=2))
    for step in steps:
        if step[0] == "poll":
            polled = next(polls, None)
            if polled is None:
                continue
            rid, (old, new) = polled
            view.apply(store.apply(delta(old, new, rid)))
        elif step[0] == "type":
            view.name_filter = step[1]
            view.refilter()
        else:
            view.sort_column, view.reverse = step[1], step[2]
            view.refilter()
        fresh = TorrentView(store)
        configure(
            fresh,
            {
                **choice,
                "name_filter": view.name_filter,
                "sort_column": view.sort_column,
                "reverse": view.reverse,
            },
        )
        fresh.rebuild()
        assert view.order == fresh.order, step
        assert all(view.is_shown(h) == (h in fresh.order) for h in store.torrents), step


@pytest.mark.parametrize("seed", range(12))
def test_names_kept_in_step_with_a_long_order_through_many_polls(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """60 torrents, polls that add, remove and re-sort a few at a time (moved one by one, as in a
    long list), the name filter switched between needles that each need a full scan."""
    import random

    monkeypatch.setattr(view_module, "_MERGE_SHARE", 0)
    rng = random.Random(seed)
    words = ["red", "green", "blue", "cyan", "gold", "grey"]
    hashes = [f"{i:040x}" for i in range(80)]

    def torrent() -> dict[str, Any]:
        return {
            "name": f"{rng.choice(words)} {rng.choice(words)}",
            "size": rng.randrange(50),
            "state": "uploading",
        }

    state = {h: torrent() for h in hashes[:60]}
    store = Store()
    view = TorrentView(store)
    view.sort_column = "size"
    view.apply(store.apply({"rid": 1, "full_update": True, "torrents": state}))
    for rid in range(2, 40):
        view.name_filter = rng.choice(words)
        view.refilter()
        new = {h: dict(t) for h, t in state.items()}
        for _ in range(3):
            new.pop(rng.choice(list(new)), None)
            missing = [h for h in hashes if h not in new]
            new[rng.choice(missing)] = torrent()
            new[rng.choice(list(new))]["size"] = rng.randrange(50)
        view.apply(store.apply(delta(state, new, rid)))
        state = new
        view.name_filter = rng.choice(words)
        view.refilter()
        fresh = TorrentView(store)
        configure(fresh, {"sort_column": "size", "name_filter": view.name_filter})
        fresh.rebuild()
        assert view.order == fresh.order, rid


def test_a_longer_needle_scans_the_names_it_found_instead_of_looking_them_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Typing narrows: the second letter scans the names the first found (kept beside the order)."""
    store = Store()
    torrents = {f"{i:040x}": {"name": f"{'debian' if i % 3 else 'arch'}-{i}"} for i in range(60)}
    view = TorrentView(store)
    view.apply(store.apply({"rid": 1, "full_update": True, "torrents": torrents}))
    looked_up: list[int] = []
    real = view_module._names
    monkeypatch.setattr(
        view_module, "_names", lambda hashes, folded: looked_up.append(len(hashes)) or real(hashes, folded)
    )
    for needle in ("d", "de", "deb", "debian-1"):
        view.name_filter = needle
        view.refilter()
    assert looked_up == [60]  # the whole list's names, once, for the first letter
    assert view.order == [h for h in view._all if store.torrents[h].name.startswith("debian-1")]


def test_the_names_scanned_are_copies_made_side_by_side_and_equal() -> None:
    names = [f"name {i}" for i in range(100)] + ["", "ünïcode ☃", "two\nlines"]
    copies = view_module._side_by_side(names)
    assert copies == names and all(c is not n for c, n in zip(copies, names, strict=True) if len(n) > 1)
    holding = [*names, "nul\x00inside"]
    assert view_module._side_by_side(holding) == holding
