"""Toasts (and the optional bell) when a torrent completes or errors while watched, and when the
connection drops and returns: against the simulator, whose torrents move with its clock."""

from __future__ import annotations

import pytest

from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, serve_in_thread
from tests.ui.helpers import make_app, until


def titles(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.title for n in app._notifications]


async def test_completion_and_error_toasts_with_a_bell(tmp_path) -> None:
    clock = ManualClock(DEFAULT_EPOCH)
    sim = Simulator(SimConfig(seed=7, clock=clock))
    with serve_in_thread(sim) as server:
        app = make_app(server.url, interval=0.2, state_dir=tmp_path, bell=True)
        bells: list[int] = []
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: len(app.view) > 0, what="data")
            await pilot.pause(0.5)
            assert "Download complete" not in titles(app)  # the history is not replayed
            downloading = [t for t in app.store.torrents.values() if t.state.value == "downloading"]
            assert downloading
            victim = sim.engine.torrents[downloading[0].hash]
            clock.advance(6 * 3600)  # hours later, the active downloads have finished
            await until(pilot, lambda: "Download complete" in titles(app), timeout=10, what="completion")
            victim.paused = victim.missing_files = True  # qBittorrent stops a torrent whose files vanished
            sim.engine.sync_running(victim)
            sim.engine.mark(victim)
            await until(pilot, lambda: "Torrent error" in titles(app), timeout=10, what="error toast")
            message = next(n.message for n in app._notifications if n.title == "Torrent error")
            assert "files are missing" in message
            assert bells


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_connection_lost_and_back(sim, tmp_path) -> None:
    with serve_in_thread(sim) as server:
        port = server.port
        app = make_app(server.url, interval=0.2, state_dir=tmp_path)
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: len(app.view) > 0, what="data")
            server.stop()
            await until(pilot, lambda: "Connection lost" in titles(app), timeout=10, what="lost")
            assert titles(app).count("Connection lost") == 1
            with serve_in_thread(sim, port=port):
                await until(pilot, lambda: "Connected again" in titles(app), timeout=20, what="back")
