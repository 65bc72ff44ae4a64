"""Kept sort orders: a column sorted by again, or prepared ahead while polls go on, must give the
order a from-scratch sort gives, and must not be computed again when nothing it depends on changed."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbtui.model.columns import COLUMNS
from qbtui.model.sort_values import SortValues
from qbtui.model.store import Store
from qbtui.model.view import TorrentView
from tests.test_view import SORTS, assert_each_sort_equals_rebuild, configure, delta, settings_, states


def patching_view(store: Store) -> TorrentView:
    view = TorrentView(store)
    # Patch kept orders whatever share of the torrents changed: small examples would sort afresh.
    view._sort_values.patch_share = 0
    # And find the changed entries by bisection whatever their number (a long list's way).
    view._sort_values.bisect_share = 0
    return view


@settings(max_examples=300)
@given(
    st.lists(states, min_size=1, max_size=10),
    st.lists(st.tuples(st.sampled_from(SORTS), st.booleans()), min_size=1, max_size=6),
    st.lists(st.tuples(st.sampled_from(SORTS), st.integers(0, 3)), max_size=10),
    settings_,
)
def test_kept_and_prepared_orders_equal_a_fresh_sort(
    sequence: list[dict[str, dict[str, Any]]],
    sorts: list[tuple[str, bool]],
    preparing: list[tuple[str, int]],
    choice: dict[str, Any],
) -> None:
    """Polls, sort changes, columns prepared a few steps at a time (two torrents per step, so a
    poll often lands between steps) and kept columns caught up, interleaved; then every column
    sorted by in turn."""
    store = Store()
    view = patching_view(store)
    configure(view, choice)
    view.apply(store.apply({"rid": 1, "full_update": True, "torrents": sequence[0]}))
    running = []
    previous = sequence[0]
    for rid, state in enumerate(sequence[1:], start=2):
        if rid % 3 == 2:
            column, reverse = sorts[rid // 3 % len(sorts)]
            view.sort_column, view.reverse = column, reverse
            view.refilter()
        if preparing:
            column, steps = preparing[rid % len(preparing)]
            kept = view._sort_values
            job = (
                kept.catch_up(COLUMNS[column], store.torrents, view._hash_order)
                if kept.prepared(column)
                else kept.prepare(COLUMNS[column], store.torrents, view._hash_order, step=2)
            )
            running.append((job, steps))
        for steps_left in running:
            job, steps = steps_left
            for _ in range(steps):
                next(job, None)
        view.apply(store.apply(delta(previous, state, rid)))
        previous = state
    for job, _ in running:
        for _ in job:
            pass
    assert_each_sort_equals_rebuild(view, store, choice, sorts + [(c, False) for c, _ in preparing])


class CountingColumn:
    """A column whose sort key counts its calls."""

    def __init__(self, key: str) -> None:
        self.column = COLUMNS[key]
        self.calls = 0

    @property
    def key(self) -> str:
        return self.column.key

    @property
    def fields(self) -> frozenset[str]:
        return self.column.fields

    def sort_key(self, torrent: Any) -> Any:
        self.calls += 1
        return self.column.sort_key(torrent)


def loaded_store(count: int) -> Store:
    store = Store()
    torrents = {f"{i:040x}": {"name": f"t{i % 97}", "size": i % 13, "dlspeed": 0} for i in range(count)}
    store.apply({"rid": 1, "full_update": True, "torrents": torrents})
    return store


def size_kept(view: TorrentView) -> TorrentView:
    """`view` built, sorted by Size and then by Name: Size's values and order are kept, waiting."""
    view.rebuild()
    for column in ("size", "name"):
        view.sort_column = column
        view.refilter()
    return view


def test_a_column_sorted_by_again_without_changes_is_neither_computed_nor_sorted() -> None:
    store = loaded_store(100)
    kept = SortValues()
    size = CountingColumn("size")
    name = CountingColumn("name")
    by_hash = lambda: sorted(store.torrents)  # noqa: E731
    _, order = kept.ordered(size, store.torrents, by_hash)  # type: ignore[arg-type]
    assert size.calls == 100
    kept.keep_order("size", order)
    kept.ordered(name, store.torrents, by_hash)  # type: ignore[arg-type]
    _, again = kept.ordered(size, store.torrents, lambda: (_ for _ in ()).throw(AssertionError("sorted")))  # type: ignore[arg-type]
    assert again == order and size.calls == 100


def test_a_kept_order_takes_in_only_the_changed_torrents() -> None:
    store = loaded_store(100)
    view = size_kept(patching_view(store))
    changed = f"{5:040x}"
    view.apply(store.apply({"rid": 2, "torrents": {changed: {"size": 1000}}}))
    kept = view._sort_values._columns["size"].order
    assert kept is not None
    size = CountingColumn("size")
    _, order = view._sort_values.ordered(size, store.torrents, lambda: [])  # type: ignore[arg-type]
    assert size.calls == 1
    assert order == [h for h in kept if h != changed] + [changed]


def test_a_kept_order_takes_in_added_and_removed_torrents_without_a_full_pass() -> None:
    store = loaded_store(100)
    view = size_kept(patching_view(store))
    gone, new = f"{7:040x}", "f" * 40
    view.apply(
        store.apply({"rid": 2, "torrents": {new: {"name": "new", "size": 3}}, "torrents_removed": [gone]})
    )
    kept = view._sort_values._columns["size"].order
    assert kept is not None
    size = CountingColumn("size")
    _, order = view._sort_values.ordered(size, store.torrents, lambda: [])  # type: ignore[arg-type]
    assert size.calls == 1  # the added one; the removed one needs no value
    fresh = sorted(store.torrents, key=lambda h: (store.torrents[h].size, h))
    assert order == fresh and gone not in order


def test_a_prepared_column_sorts_without_computing() -> None:
    store = loaded_store(1000)
    view = TorrentView(store)
    view.rebuild()
    size = CountingColumn("size")
    steps = list(view._sort_values.prepare(size, store.torrents, view._hash_order, step=300))  # type: ignore[arg-type]
    assert len(steps) == 5  # four slices and the sort: the caller can let other work in between
    assert size.calls == 1000
    view._sort_values.ordered(size, store.torrents, lambda: (_ for _ in ()).throw(AssertionError("sorted")))  # type: ignore[arg-type]
    assert size.calls == 1000


def test_preparing_stops_where_it_would_push_out_a_column_in_use() -> None:
    store = loaded_store(100)
    kept = SortValues(max_values=250)
    by_hash = lambda: sorted(store.torrents)  # noqa: E731
    kept.ordered(COLUMNS["name"], store.torrents, by_hash)
    kept.ordered(COLUMNS["size"], store.torrents, by_hash)
    assert list(kept.prepare(COLUMNS["eta"], store.torrents, by_hash)) == []
    assert not kept.prepared("eta") and kept.prepared("name") and kept.prepared("size")


def test_a_column_sorted_by_while_it_is_prepared_is_not_spoilt_when_preparing_ends() -> None:
    store = loaded_store(10)
    view = TorrentView(store)
    view.rebuild()
    job = view._sort_values.prepare(COLUMNS["size"], store.torrents, view._hash_order, step=5)
    next(job), next(job)  # half of the values computed
    view.sort_column = "size"
    view.refilter()
    first = f"{0:040x}"
    view.apply(store.apply({"rid": 2, "torrents": {first: {"size": 1000}}}))  # under the size sort
    view.sort_column = "name"
    view.refilter()
    for _ in job:
        pass
    view.sort_column = "size"
    view.refilter()
    assert view.order[-1] == first


def test_a_waiting_column_notes_only_the_torrents_whose_fields_feed_it() -> None:
    """Polls that move speeds leave the Size column with nothing to catch up with, and the Down
    column with exactly the torrents whose download speed moved."""
    store = loaded_store(200)
    view = TorrentView(store)
    view.rebuild()
    for column in ("size", "down", "name"):  # "size" and "down" kept, "name" sorted by
        view.sort_column = column
        view.refilter()
    moved = {f"{i:040x}" for i in range(0, 200, 3)}
    for rid in range(2, 40):
        speeds = {h: {"dlspeed": rid * 10 + i, "upspeed": i} for i, h in enumerate(sorted(moved))}
        view.apply(store.apply({"rid": rid, "torrents": speeds}))
    columns = view._sort_values._columns
    assert columns["size"].pending == set()
    assert columns["down"].pending == moved
    assert columns["name"].pending == set()  # the view keeps the sorted-by column up to date
    assert_each_sort_equals_rebuild(view, store, {}, [("down", False), ("size", True), ("name", False)])


def test_a_column_waiting_through_more_changes_than_it_has_torrents_is_let_go() -> None:
    """Torrents coming and going while a column waits would grow its notes without end: past its
    number of torrents (a full pass is cheaper then) the column is dropped, and computed afresh
    when it is sorted by again."""
    store = loaded_store(50)
    view = size_kept(TorrentView(store))
    previous = {h: {"name": t.name, "size": t.size, "dlspeed": 0} for h, t in store.torrents.items()}
    for rid in range(2, 10):
        state = {f"{rid:02x}{i:038x}": {"name": f"n{i}", "size": i % 7, "dlspeed": 0} for i in range(10)}
        state.update(dict(list(previous.items())[:40]))
        view.apply(store.apply(delta(previous, state, rid)))
        previous = state
        pending = view._sort_values._columns.get("size")
        assert pending is None or len(pending.pending) <= len(pending.values)
    assert not view._sort_values.prepared("size")
    assert_each_sort_equals_rebuild(view, store, {}, [("size", False), ("name", True)])


def test_kept_orders_are_left_alone_by_the_cyclic_collector() -> None:
    """Ten kept lists of 50,000 hashes cost every full collection ~8 ms (measured in the fleet
    bench); kept as tuples of strings, the collector stops tracking them once it has seen them."""
    store = loaded_store(100)
    view = size_kept(TorrentView(store))
    for _ in view._sort_values.prepare(COLUMNS["eta"], store.torrents, view._hash_order):
        pass
    gc.collect()
    for column in ("size", "eta"):
        kept = view._sort_values._columns[column].order
        assert kept is not None and not gc.is_tracked(kept), column


def test_a_column_behind_is_caught_up_ahead_and_its_sort_then_does_nothing() -> None:
    store = loaded_store(640)
    view = size_kept(patching_view(store))
    view._sort_values.patch_share = 8
    kept = view._sort_values
    assert not view.sort_behind("size")
    grown = {f"{i:040x}": {"size": 2000 + i % 5} for i in range(0, 640, 2)}  # half of them
    view.apply(store.apply({"rid": 2, "torrents": grown}))
    assert view.sort_behind("size") and not view.sort_behind("name")
    steps = list(view.catch_up_sort("size"))
    assert steps == [None]  # too many moved to merge: a fresh sort, at the second step
    assert not view.sort_behind("size") and kept._columns["size"].pending == set()
    view.apply(store.apply({"rid": 3, "torrents": {f"{1:040x}": {"size": 5000}}}))
    assert not view.sort_behind("size")  # one in 640 pending: merged in when sorted by
    size = CountingColumn("size")
    _, order = kept.ordered(size, store.torrents, lambda: (_ for _ in ()).throw(AssertionError("sorted")))  # type: ignore[arg-type]
    assert size.calls == 1
    assert order == sorted(store.torrents, key=lambda h: (store.torrents[h].size, h))


def test_the_column_sorted_by_is_never_caught_up_behind_the_views_back() -> None:
    store = loaded_store(64)
    view = size_kept(TorrentView(store))
    view.apply(store.apply({"rid": 2, "torrents": {f"{i:040x}": {"size": 99 - i} for i in range(40)}}))
    job = view.catch_up_sort("size")
    next(job)  # values caught up; the fresh sort waits for the next step
    view.sort_column = "size"
    view.refilter()  # sorted by meanwhile: the view holds the order now
    assert list(job) == []
    assert view._sort_values._columns["size"].order is None
    assert not view.sort_behind("size") and list(view.catch_up_sort("size")) == []
    view.apply(store.apply({"rid": 3, "torrents": {f"{i:040x}": {"size": i} for i in range(40)}}))
    assert_each_sort_equals_rebuild(view, store, {}, [("name", False), ("size", True)])


def test_a_few_changed_entries_are_found_by_bisection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three changes in 1,000: found where their old values place them, not by testing every entry."""
    from qbtui.model import sort_values

    store = loaded_store(1000)
    view = size_kept(TorrentView(store))
    seen: list[list[int] | None] = []
    real = sort_values._patched
    monkeypatch.setattr(
        sort_values,
        "_patched",
        lambda order, dirty, values, positions=None: (
            seen.append(positions) or real(order, dirty, values, positions)
        ),
    )
    moved = {f"{i:040x}": {"size": 500 + i} for i in (3, 400, 999)}
    view.apply(store.apply({"rid": 2, "torrents": moved}))
    assert_each_sort_equals_rebuild(view, store, {}, [("size", False)])
    assert len(seen) == 1 and seen[0] is not None and len(seen[0]) == 3
