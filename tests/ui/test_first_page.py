"""A large server's first screen: a page of torrents (`query/torrents?sort=&limit=`) is on screen
before the full `maindata` has been made, sent and decoded; the full update then fills the list
without moving the cursor, and the speed history records no sample for the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qbtui.model.sync import SyncUpdate
from qbtui.sim import SimConfig, Simulator, run_in_thread
from tests.ui.helpers import make_app, until

TORRENTS = 2_000


@pytest.fixture
def big_sim() -> Iterator[str]:
    with run_in_thread(Simulator(SimConfig(seed=3, torrent_count=TORRENTS))) as url:
        yield url


async def test_first_page_then_the_full_list(big_sim: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(big_sim, interval=3600)
    app.view.sort_column, app.view.reverse = "size", True
    seen: list[SyncUpdate] = []
    shown: list[SyncUpdate] = []
    forward = app._on_sync

    def spy(update: SyncUpdate) -> None:
        seen.append(update)
        forward(update)
        # Queued behind the update on the screen's own queue: runs once the screen has handled it.
        app.main_screen.call_later(shown.append, update)

    app.poller._listener = spy
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.main_screen.table
        await until(pilot, lambda: app.store.rid > 0 and len(app.view) == TORRENTS, what="the full list")
        # The store has the full list as soon as the poll worker applied it, and the page's update
        # (handled later on a busy machine) already shows it all: wait for the full update itself.
        await until(
            pilot,
            lambda: any(u.changes is not None and u.changes.full_update for u in shown),
            what="the full update handled by the screen",
        )
        first, full = (u.changes for u in seen if u.changes is not None)
        assert first is not None and first.preview and len(first.added) == 60  # 2 × 30 rows
        assert full is not None and full.full_update and len(full.added) == TORRENTS - 60
        # The page was the real top of the list: the full update only added torrents below it.
        sizes = [app.store.torrents[h].size for h in app.view.order]
        assert set(app.view.order[:60]) == first.added and sizes == sorted(sizes, reverse=True)
        assert table.cursor_hash == app.view.order[0]
        assert len(app.history) == 1  # the full update only: a page has no server state


async def test_the_cursor_goes_to_the_true_top_once_the_full_list_is_in(big_sim: str) -> None:
    """The simulator sorts names as bytes ("Big" before "archlinux"), the table case-blind: the page's
    top row is not the list's. The cursor the page placed moves to the real top; one the user moved
    meanwhile stays where the user put it."""
    app = make_app(big_sim, interval=3600)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.main_screen.table
        await until(pilot, lambda: app.store.rid > 0 and len(app.view) == TORRENTS, what="the full list")
        await pilot.pause()
        assert table.cursor_hash == app.view.order[0]
        assert app.store.torrents[table.cursor_hash].name.casefold() == min(
            t.name.casefold() for t in app.store.torrents.values()
        )
