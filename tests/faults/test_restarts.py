"""A real qbittorrent-nox killed or stopped and restarted ten times under the running app: each time
the app says it is disconnected, keeps the last data marked stale, reconnects and logs in again by
itself, and the user's place (cursor, name filter, marks, open details tab) survives."""

from __future__ import annotations

import asyncio
from pathlib import Path

from qbtui.api.v2 import V2Api
from qbtui.model.sync import LinkState
from qbtui.ui.widgets.details.panel import DetailsPanel
from tests.support.noxserver import make_sample_torrent, wait_for_ports_free
from tests.ui.helpers import make_app, until

RESTARTS = 10
NAMES = ("alpha linux", "beta linux", "gamma bsd", "delta linux", "epsilon bsd")


def crash_and_start(nox, crash: bool) -> None:  # type: ignore[no-untyped-def]
    if crash:
        nox.kill()  # as after a power cut: no goodbye, no resume data
    else:
        nox.stop()
    wait_for_ports_free([nox.webui_port, nox.torrent_port])
    nox.start()


async def test_ten_restarts_lose_nothing(nox_factory, tmp_path: Path, monkeypatch) -> None:
    logins: list[str] = []
    real_login = V2Api.login

    async def counted_login(self: V2Api) -> None:
        logins.append("login")
        await real_login(self)

    monkeypatch.setattr(V2Api, "login", counted_login)
    nox = nox_factory()
    for index, name in enumerate(NAMES):
        torrent, _ = make_sample_torrent(tmp_path, name, {"a.bin": 30000 + index}, seed=index)
        nox.add_torrent_file(torrent, paused="true", savepath=str(tmp_path))
    app = make_app(nox.url, username=nox.username, password=nox.password, interval=0.3, state_dir=tmp_path)
    screen = app.main_screen
    async with app.run_test(size=(150, 45)) as pilot:
        await until(pilot, lambda: len(app.view) == len(NAMES), timeout=20, what="first data")
        # The user's place: filtered to "linux", on the second row, two marked, trackers tab open.
        await pilot.press("slash", *"linux", "enter")
        await until(pilot, lambda: len(app.view) == 3, what="filtered")
        table = screen.table
        await pilot.press("down", "space", "down", "space", "up")
        await pilot.press("enter", "right_square_bracket")
        await pilot.pause(0.3)
        panel = screen.query_one(DetailsPanel)
        place = (table.cursor_hash, set(table.marked), app.view.name_filter, panel.active_tab)
        assert place[0] is not None and len(place[1]) == 2 and place[3] is not None
        assert len(logins) == 1
        outages_seen = 0
        for attempt in range(RESTARTS):
            polls = app.poller.polls
            await asyncio.to_thread(crash_and_start, nox, attempt % 2 == 0)
            # Nothing new was shown as live during the outage: the link says disconnected, or the
            # poll is still waiting on the dying server. Once in CI a poll answered just before
            # the kill, after `polls` was read: that counts as a miss here, not as a failure.
            outages_seen += screen.status.link is not LinkState.LIVE or app.poller.polls == polls
            await until(
                pilot,
                lambda polls=polls: app.poller.polls > polls and screen.status.link is LinkState.LIVE,
                timeout=40,
                what=f"recovery after restart {attempt + 1}",
            )
            assert len(app.store.torrents) == len(NAMES)
            assert (table.cursor_hash, set(table.marked), app.view.name_filter, panel.active_tab) == place
            assert len(app.view) == 3 and not table.has_class("-stale")
        assert app.main_screen.status.link is LinkState.LIVE
        assert outages_seen >= RESTARTS - 2
    # One login per server start: the session is kept, never re-created on a whim.
    assert len(logins) == RESTARTS + 1
