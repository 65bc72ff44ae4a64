"""The other columns' sorts are prepared while the app idles: nearest to `>`/`<` first, a slice per
timer tick (the loop runs between slices), nothing for a short list, and sorting by a prepared
column afterwards computes nothing again."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from qbtui.model.store import Store
from qbtui.model.view import TorrentView
from qbtui.ui import sort_preparation
from qbtui.ui.sort_preparation import SortPreparation, stepping_order

COLUMNS = ["name", "size", "progress", "state", "down", "up", "ratio"]


def test_columns_are_prepared_in_the_order_the_keys_reach_them() -> None:
    assert stepping_order(["a", "b", "c", "d", "e"], "a") == ["b", "e", "c", "d"]
    assert stepping_order(["a", "b", "c"], "c") == ["a", "b"]
    assert stepping_order(["a", "b"], "z") == ["a", "b"]


def loaded_view(count: int) -> TorrentView:
    store = Store()
    torrents = {
        f"{i:040x}": {
            "name": f"t{i % 997}",
            "size": i * 7 % 1013,
            "progress": (i % 100) / 100,
            "state": "uploading",
        }
        for i in range(count)
    }
    view = TorrentView(store)
    view.apply(store.apply({"rid": 1, "full_update": True, "torrents": torrents}))
    return view


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("host")


async def prepare_all(view: TorrentView) -> list[str]:
    """Runs a SortPreparation to its end; returns the columns in the order it prepared them."""
    started: list[str] = []
    prepare = view.prepare_sort

    def logged(column: str):  # type: ignore[no-untyped-def]
        started.append(column)
        return prepare(column)

    view.prepare_sort = logged  # type: ignore[method-assign]
    ticks = 0
    app = Host()
    async with app.run_test() as pilot:
        preparing = SortPreparation(app.query_one(Static), lambda: view, lambda: COLUMNS)
        preparing.restart()

        async def ticking() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        ticker = asyncio.create_task(ticking())
        for _ in range(1000):
            await pilot.pause(0.01)
            if preparing._timer is None and preparing._job is None:
                break
        ticker.cancel()
    assert preparing._timer is None and preparing._job is None, "still preparing"
    assert all(view.sort_prepared(c) for c in started)
    assert ticks > len(started) * 3, "the loop ran between slices"
    return started


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sort_preparation, "START_DELAY", 0.05)
    monkeypatch.setattr(sort_preparation, "STEP_PAUSE", 0.001)
    monkeypatch.setattr(sort_preparation, "MIN_TORRENTS", 1_000)


async def test_the_other_columns_are_prepared_nearest_first() -> None:
    view = loaded_view(12_000)
    view.sort_column = "size"
    view.refilter()
    prepared = await prepare_all(view)
    # "name" was sorted by before "size": kept already.
    assert prepared == [c for c in stepping_order(COLUMNS, "size") if c != "name"]


async def test_a_short_list_prepares_nothing() -> None:
    view = loaded_view(500)
    assert await prepare_all(view) == []
    assert not any(view._sort_values.prepared(c) for c in COLUMNS if c != "name")


async def test_sorting_by_a_prepared_column_computes_nothing_again() -> None:
    view = loaded_view(3_000)
    await prepare_all(view)
    calls = 0
    from qbtui.model.columns import COLUMNS as ALL

    original = ALL["ratio"].sort_key

    def counting(torrent):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(torrent)

    object.__setattr__(ALL["ratio"], "sort_key", counting)
    try:
        view.sort_column = "ratio"
        view.refilter()
    finally:
        object.__setattr__(ALL["ratio"], "sort_key", original)
    assert calls == 0
    fresh = TorrentView(view.store)
    fresh.sort_column = "ratio"
    fresh.rebuild()
    assert view.order == fresh.order


async def test_a_key_wakes_it_to_catch_up_the_columns_the_polls_moved() -> None:
    view = loaded_view(3_000)
    await prepare_all(view)
    moved = {f"{i:040x}": {"progress": 0.5 + (i % 7) / 100} for i in range(0, 3_000, 3)}
    view.apply(view.store.apply({"rid": 2, "torrents": moved}))
    assert view.sort_behind("progress") and not view.sort_behind("size")
    app = Host()
    async with app.run_test() as pilot:
        preparing = SortPreparation(app.query_one(Static), lambda: view, lambda: COLUMNS)
        preparing.wake()
        for _ in range(500):
            await pilot.pause(0.01)
            if preparing.idle:
                break
    assert preparing.idle and not view.sort_behind("progress")
    fresh = TorrentView(view.store)
    fresh.sort_column = "progress"
    fresh.rebuild()
    view.sort_column = "progress"
    view.refilter()
    assert view.order == fresh.order


async def test_a_key_leaves_a_waiting_start_as_it_is() -> None:
    """Keys every 100 ms must not put the start off for ever (as `restart` would)."""
    app = Host()
    async with app.run_test():
        preparing = SortPreparation(app.query_one(Static), lambda: loaded_view(10), lambda: COLUMNS)
        preparing.restart()
        waiting = preparing._timer
        preparing.wake()
        assert preparing._timer is waiting
        preparing.stop()


async def test_a_key_in_the_app_wakes_the_main_screens_preparation(monkeypatch: pytest.MonkeyPatch) -> None:
    from qbtui.sim import SimConfig, Simulator, run_in_thread
    from tests.ui.helpers import make_app, until

    monkeypatch.setattr(sort_preparation, "START_DELAY", 30)  # still waiting when looked at

    with run_in_thread(Simulator(SimConfig(seed=5, torrent_count=20))) as url:
        app = make_app(url)
        async with app.run_test() as pilot:
            await until(pilot, lambda: len(app.view) == 20, what="the torrents")
            preparing = app.main_screen.sort_preparation
            preparing.stop()
            await pilot.press("down")
            assert not preparing.idle, "woken by the key"
