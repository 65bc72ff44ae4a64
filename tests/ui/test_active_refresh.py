"""A slow server's maindata rests long; the active torrents are refreshed in between and reach the
table and the status line (issue 18: fresher for the same server cost)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from qbtui.model.sync import SyncUpdate
from qbtui.sim import SimConfig, Simulator, serve_in_thread
from qbtui.ui.widgets.status_bar import StatusBar
from qbtui.util.format import speed
from tests.ui.helpers import make_app, until

SLOW = 0.6  # seconds each maindata takes: a rest of 2.5 x that after it


async def test_a_slow_servers_active_torrents_are_refreshed_between_its_polls(tmp_path: Path) -> None:
    sim = Simulator(SimConfig(seed=7))
    with serve_in_thread(sim) as server:
        app = make_app(server.url, interval=0.2, state_dir=tmp_path, active_interval=0.3)
        async with app.run_test(size=(160, 80)) as pilot:
            await until(pilot, lambda: len(app.view) > 0 and app.poller.api is not None, what="data")
            api = app.poller.api
            assert api is not None
            original = api.maindata
            maindata_calls = [0]

            async def slow(rid: int = 0) -> dict[str, Any]:
                await asyncio.sleep(SLOW)
                maindata_calls[0] += 1
                return await original(rid)

            api.maindata = slow  # type: ignore[method-assign]
            refreshes: list[SyncUpdate] = []
            heard = app.poller._listener

            def listener(update: SyncUpdate) -> None:
                if update.refresh:
                    refreshes.append(update)
                heard(update)

            app.poller._listener = listener
            await until(pilot, lambda: maindata_calls[0] >= 1, what="a slow maindata")
            await until(
                pilot, lambda: len(refreshes) >= 3, what="refreshes between maindata polls", timeout=20
            )
            # Several refreshes per maindata poll: the active torrents are fresher than the rest.
            assert len(refreshes) > maindata_calls[0]
            moved = {h for u in refreshes if u.changes is not None for h in u.changes.changed}
            assert moved, "the refreshes brought no new speeds"
            # What the refreshes brought is what the table's rows say (every row fits the screen).
            table = app.main_screen.table
            assert len(app.view) < table.size.height - 2
            for hash in moved & set(app.view.order):
                torrent = app.store.torrents[hash]
                index = app.view.index_of(hash)
                assert index is not None
                row = table.render_line(index + 1).text
                assert torrent.name[:20] in row
                assert (speed(torrent.dl_speed) if torrent.dl_speed else "") in row
            status = app.main_screen.query_one(StatusBar)
            await until(
                pilot, lambda: "(active" in status.compose_text().plain, what="the active age", timeout=10
            )
