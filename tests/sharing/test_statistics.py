"""`I` shows the server's statistics from maindata's server_state, and the status line shows the
port's connection status as the WebUI does, keeping a problem longer than a healthy port when the
terminal is narrow."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from qbtui.api.models import ServerState
from qbtui.model.statistics import statistics
from qbtui.ui.screens.statistics import StatisticsScreen, render_statistics
from qbtui.ui.widgets.status_bar import StatusBar
from tests.support.both_servers import Server
from tests.ui.helpers import until

SIZE = (140, 40)


def shown(raw: dict) -> str:  # type: ignore[type-arg]
    console = Console(width=80, record=True, color_system=None)
    console.print(render_statistics(raw))
    return console.export_text()


async def test_statistics_screen_shows_the_servers_counters(server: Server, tmp_path: Path) -> None:
    app = server.app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "alltime_dl" in app.store.server_state_raw, what="server_state")
        await pilot.press("I")
        await until(pilot, lambda: isinstance(app.screen, StatisticsScreen), what="the statistics")
        raw = app.store.server_state_raw
        text = shown(raw)
        for label in (
            "All-time upload",
            "All-time share ratio",
            "Session waste",
            "Connected peers",
            "Read cache hits",
            "Queued I/O jobs",
            "Average time in queue",
            "Total queued size",
        ):
            assert label in text
        rows = dict(row for _, section in statistics(raw) for row in section)
        # Every figure the server sent is shown as a value, none as missing.
        for label in ("All-time upload", "All-time download", "Connected peers", "Queued I/O jobs"):
            assert rows[label] != "—", (label, raw)
        assert rows["Connection"] in ("connected", "firewalled", "disconnected")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main_screen, what="closed")


def test_statistics_figures_from_strings_and_missing_keys() -> None:
    raw = {
        "alltime_ul": 1024**3,
        "alltime_dl": 2 * 1024**3,
        "global_ratio": "0.50",
        "read_cache_hits": "12.5",
        "average_time_queue": 7,
        "request_latency": 3,
        "last_external_address_v4": "203.0.113.7",
    }
    rows = dict(row for _, section in statistics(raw) for row in section)
    assert rows["All-time upload"] == "1.0 GiB" and rows["All-time share ratio"] == "0.50"
    assert rows["Read cache hits"] == "12.5%" and rows["Average time in queue"] == "7 ms"
    assert rows["Disk request latency"] == "3 ms" and rows["External IPv4"] == "203.0.113.7"
    assert rows["Session waste"] == "—" and "Queued tracker announces" not in rows
    assert (
        dict(row for _, section in statistics({"global_ratio": "-"}) for row in section)[
            "All-time share ratio"
        ]
        == "—"
    )


async def test_connection_status_in_the_status_line() -> None:
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield StatusBar(id="status")

    app = One()
    async with app.run_test(size=(200, 3)) as pilot:
        bar = app.query_one(StatusBar)
        for status, words in (
            ("connected", "⇅ connected"),
            ("firewalled", "⚠ firewalled"),
            ("disconnected", "✖ disconnected"),
        ):
            bar.state = ServerState(connection_status=status)
            assert words in bar.compose_text().plain
        bar.state = ServerState(connection_status="unknown")
        assert "connected" not in bar.compose_text().plain
        # Narrow: a healthy port leaves before the speeds; a firewalled one outlasts the totals.
        await pilot.resize_terminal(60, 3)
        await pilot.pause()
        bar.state = ServerState(connection_status="connected")
        assert "connected" not in bar.compose_text().plain
        bar.state = ServerState(connection_status="firewalled")
        narrow = bar.compose_text().plain
        assert "firewalled" in narrow and "Σ" not in narrow and "↓" in narrow
