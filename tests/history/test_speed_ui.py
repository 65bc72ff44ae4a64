"""The speed history in the TUI, against the simulator (its torrents move with its clock): the strip
under the table fills, `h` opens the large view, the details panel has a Speed tab, and a lost
connection shows as a gap."""

from __future__ import annotations

import pytest

from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, serve_in_thread
from qbtui.ui.screens.speed_history import SpeedHistoryScreen
from qbtui.ui.widgets.details import DetailsPanel, SpeedTab
from qbtui.ui.widgets.speed_graph import GAP_CELL, SPARKS, SpeedPlot, SpeedStrip
from tests.ui.helpers import make_app, until


def braille_cells(text: str) -> int:
    return sum(1 for ch in text if 0x2801 <= ord(ch) <= 0x28FF)


async def test_the_graph_fills_and_the_large_view_opens(tmp_path) -> None:
    clock = ManualClock(DEFAULT_EPOCH)
    sim = Simulator(SimConfig(seed=7, clock=clock))
    with serve_in_thread(sim) as server:
        app = make_app(server.url, interval=0.1, state_dir=tmp_path)
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: len(app.view) > 0, what="data")
            history = app.history
            for _ in range(10):
                clock.advance(5)
                ticks = history.tick
                await until(pilot, lambda: history.tick > ticks, what="a sample")  # noqa: B023
            assert len(history) >= 10
            downloads = [p[0] for p in history.series() if p is not None]
            assert max(downloads) > 0 and len(set(downloads)) > 1  # the simulator's speeds moved
            strip = app.screen.query_one(SpeedStrip)
            line = str(strip.render())
            assert any(ch in line for ch in SPARKS[1:]) and "peak" in line

            moving = next(h for h, t in app.store.torrents.items() if t.dl_speed or t.up_speed)
            assert any(p not in (None, (0, 0)) for p in history.torrent_series(moving))

            await pilot.press("h")
            await until(pilot, lambda: isinstance(app.screen, SpeedHistoryScreen), what="the large view")
            await pilot.pause()
            plots = list(app.screen.query(SpeedPlot))
            assert [p.direction for p in plots] == ["download", "upload"]
            assert braille_cells(str(plots[0].render())) > 5
            assert "peak" in str(plots[0].render())
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, SpeedHistoryScreen), what="closed")

            # The details panel's Speed tab draws the highlighted torrent's own history.
            screen = app.main_screen
            assert screen.table.move_to_hash(moving)
            await pilot.press("enter")
            await pilot.pause()
            panel = screen.query_one(DetailsPanel)
            panel.select_tab("speed")
            await until(pilot, lambda: panel.query_one(SpeedTab).loaded, what="speed tab")
            tab_plot = panel.query_one(SpeedTab).query_one(SpeedPlot)
            assert tab_plot.size.height > 2
            assert braille_cells(str(tab_plot.render())) > 0


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_a_lost_connection_is_a_gap(sim, tmp_path) -> None:
    with serve_in_thread(sim) as server:
        port = server.port
        app = make_app(server.url, interval=0.1, state_dir=tmp_path)
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: len(app.history) >= 3, what="samples")
            server.stop()
            await until(pilot, lambda: None in app.history.series(), timeout=10, what="a gap")
            assert GAP_CELL in str(app.screen.query_one(SpeedStrip).render())
            with serve_in_thread(sim, port=port):
                await until(pilot, lambda: app.history.series()[-1] is not None, timeout=20, what="back")
