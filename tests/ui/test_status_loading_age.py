"""The status line says what a first page is ("loading 10,000…", not "60 torrents") and how old the
data is once it is older than the poll interval (issue 18)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from qbtui.model.store import ChangeSet
from qbtui.model.sync import LinkState, SyncUpdate
from qbtui.ui.widgets.status_bar import StatusBar
from tests.support.waiting import until


class Bar(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar()


def live(*, preview: bool = False, total: int | None = None) -> SyncUpdate:
    return SyncUpdate(LinkState.LIVE, changes=ChangeSet(rid=1, preview=preview), total=total)


def line(app: Bar) -> str:
    return app.query_one(StatusBar).compose_text().plain


async def test_a_first_page_says_loading_and_the_total() -> None:
    app = Bar()
    async with app.run_test(size=(200, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.torrent_count = bar.visible_count = 60
        bar.show_sync(live(preview=True, total=10_000), 1.5)
        assert "loading 10,000…" in line(app) and "60 torrents" not in line(app)
        bar.show_sync(live(preview=True), 1.5)  # a server without torrents/count
        assert "loading…" in line(app)
        bar.torrent_count = bar.visible_count = 10_000
        bar.show_sync(live(), 1.5)
        assert "10,000 torrents" in line(app) and "loading" not in line(app)
        await pilot.pause()


async def test_the_data_age_shows_once_older_than_the_interval_and_goes_with_fresh_data() -> None:
    app = Bar()
    async with app.run_test(size=(200, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.show_sync(live(), 0.2)
        assert "old" not in line(app)
        # interval 0.2 s + 1 s of slack: from 1.2 s on, then every AGE_EVERY s.
        await until(pilot, lambda: "data 1 s old" in str(bar.render()), what="the age", timeout=5)
        await until(pilot, lambda: "data 6 s old" in str(bar.render()), what="the age ticking", timeout=9)
        bar.show_sync(live(), 0.2)
        assert "old" not in str(bar.render())
        bar.show_sync(SyncUpdate(LinkState.CONNECTING), 0.2)
        await pilot.pause(1.5)
        assert "old" not in line(app)


async def test_a_refresh_of_the_active_torrents_keeps_the_age_and_says_how_fresh_they_are() -> None:
    app = Bar()
    async with app.run_test(size=(200, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.show_sync(live(), 0.2)
        await until(pilot, lambda: "data 1 s old" in line(app), what="the age", timeout=5)
        refresh = SyncUpdate(LinkState.LIVE, changes=ChangeSet(rid=1), refresh=True)
        bar.show_sync(refresh, 0.2)
        # The rest of the list is as old as the last full poll; what moves was just refreshed.
        assert "data 1 s old (active 0 s)" in line(app)
        bar.show_sync(live(), 0.2)
        assert "old" not in line(app)
