"""One snapshot per management screen, against the legacy simulator (qBittorrent 4.0.4).

Plain `def` tests: snap_compare runs the app on its own loop; the simulator runs in a thread.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList

from qbtui.sim import ManualClock, SimConfig, Simulator, serve_in_thread
from qbtui.ui.screens.categories import CategoriesScreen
from qbtui.ui.screens.server_actions import ServerActionsScreen
from qbtui.ui.screens.speed_limits import SpeedLimitsScreen
from tests.manage.harness import Harness, text_of, until

#: The server actions screen shows the address, so the snapshot needs a fixed port.
FIXED_PORT = 28080
#: ...which two test workers must not try to hold at once (pytest-xdist runs a group on one worker).
pytestmark = pytest.mark.xdist_group("fixed-port-28080")


@pytest.fixture
def sim_url() -> Iterator[str]:
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0)))
    try:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", FIXED_PORT))
    except OSError:
        pytest.skip(f"port {FIXED_PORT} is busy")
    with serve_in_thread(sim, port=FIXED_PORT) as server:
        yield server.url


def harness(url: str, make_screen) -> Harness:  # type: ignore[no-untyped-def]
    app = Harness(url, make_screen)
    app.theme = "qbtui-dark"
    return app


def first_torrents(app: Harness, count: int) -> list[str]:
    return sorted(app.store.torrents)[:count]


def waiting_for(kind: type[Screen[None]], ready: str, selector: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, kind), what=kind.__name__)
        await until(pilot, lambda: ready in text_of(pilot, selector), what=ready)
        await pilot.pause()
        pilot.app.screen.set_focus(None)  # no blinking cursor in the shot
        await pilot.pause()

    return run_before


def test_speed_limits_screen(snap_compare, sim_url) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, SpeedLimitsScreen), what="screen")
        screen = pilot.app.screen
        assert isinstance(screen, SpeedLimitsScreen)
        await until(pilot, lambda: screen._loaded, what="loaded")
        screen.query_one("#global-dl").value = "-1M"  # type: ignore[attr-defined]
        screen.action_save()
        await pilot.pause()
        screen.set_focus(None)
        await pilot.pause()

    app = harness(sim_url, lambda app: SpeedLimitsScreen(first_torrents(app, 2)))
    assert snap_compare(app, run_before=run_before, terminal_size=(100, 36))


def test_categories_screen(snap_compare, sim_url) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, CategoriesScreen), what="screen")
        items = pilot.app.screen.query_one("#items", OptionList)
        await until(pilot, lambda: items.option_count > 0, what="categories")
        await pilot.pause()

    app = harness(sim_url, lambda app: CategoriesScreen(first_torrents(app, 3)))
    assert snap_compare(app, run_before=run_before, terminal_size=(100, 30))


def test_server_actions_screen(snap_compare, sim_url) -> None:  # type: ignore[no-untyped-def]
    app = harness(sim_url, lambda app: ServerActionsScreen())
    assert snap_compare(
        app,
        run_before=waiting_for(ServerActionsScreen, "Default save path", "#facts"),
        terminal_size=(100, 30),
    )
