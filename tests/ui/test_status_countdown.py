"""The status line counts down to the next attempt ("retrying in N s") while disconnected, names the
key that retries now (the binding app.reconnect, ctrl+r unless remapped), and stops counting once
the link is back."""

from __future__ import annotations

import time

from textual.app import App, ComposeResult

from qbtui.api import errors
from qbtui.model.sync import LinkState, SyncUpdate
from qbtui.ui.widgets.status_bar import StatusBar
from tests.ui.helpers import until


class BarApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")


def plain(bar: StatusBar) -> str:
    return bar.compose_text().plain


async def test_retrying_in_counts_down_and_names_the_key() -> None:
    app = BarApp()
    async with app.run_test(size=(160, 3)) as pilot:
        bar = app.query_one(StatusBar)
        error = errors.Unreachable("cannot connect to qBittorrent at http://127.0.0.1:1: refused")
        failure = SyncUpdate(LinkState.DISCONNECTED, error=error, retry_in=16, retry_at=time.monotonic() + 16)
        bar.show_sync(failure)
        await pilot.pause()
        assert "retrying in 16 s (ctrl+r: now)" in plain(bar)
        await until(pilot, lambda: "retrying in 15 s" in plain(bar), timeout=3, what="15 s")
        await until(pilot, lambda: "retrying in 14 s" in plain(bar), timeout=3, what="14 s")
        assert "cannot connect" in plain(bar)
        bar.show_sync(SyncUpdate(LinkState.LIVE))
        await pilot.pause()
        assert "retrying" not in plain(bar) and bar._countdown is None


async def test_a_remapped_reconnect_key_is_named() -> None:
    app = BarApp()
    app._keymap = {"app.reconnect": "f5"}
    async with app.run_test(size=(160, 3)) as pilot:
        bar = app.query_one(StatusBar)
        refused = SyncUpdate(LinkState.REFUSED, error=errors.BadCredentials("wrong username or password"))
        bar.show_sync(refused)
        await pilot.pause()
        assert "wrong username or password (f5: try again)" in plain(bar)
