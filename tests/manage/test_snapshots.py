"""One snapshot per management screen, against the legacy simulator (qBittorrent 4.0.4).

Plain `def` tests: snap_compare runs the app on its own loop; the simulator runs in a thread.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList

from qbtui.sim import ManualClock, SimConfig, Simulator, serve_in_thread
from qbtui.ui.screens.categories import CategoriesScreen
from qbtui.ui.screens.server_actions import ServerActionsScreen
from qbtui.ui.screens.speed_limits import SpeedLimitsScreen
from tests.manage.harness import Harness, text_of, until

#: The server actions screen shows the address: the snapshots name this one, whatever free port the
#: simulator really listens on (ToPort sends every request there).
SHOWN_URL = "http://127.0.0.1:28080"


class ToPort(httpx.AsyncBaseTransport):
    """Sends every request to `port` on loopback, whatever the URL says (Host header included: the
    simulator checks it as qBittorrent does)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(port=self.port)
        request.headers["Host"] = f"127.0.0.1:{self.port}"
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.fixture
def sim_port() -> Iterator[int]:
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0)))
    with serve_in_thread(sim) as server:  # a free port
        yield server.port


def harness(port: int, make_screen) -> Harness:  # type: ignore[no-untyped-def]
    app = Harness(SHOWN_URL, make_screen, transport=ToPort(port))
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


def test_speed_limits_screen(snap_compare, sim_port) -> None:  # type: ignore[no-untyped-def]
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

    app = harness(sim_port, lambda app: SpeedLimitsScreen(first_torrents(app, 2)))
    assert snap_compare(app, run_before=run_before, terminal_size=(100, 36))


def test_categories_screen(snap_compare, sim_port) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, CategoriesScreen), what="screen")
        items = pilot.app.screen.query_one("#items", OptionList)
        await until(pilot, lambda: items.option_count > 0, what="categories")
        await pilot.pause()

    app = harness(sim_port, lambda app: CategoriesScreen(first_torrents(app, 3)))
    assert snap_compare(app, run_before=run_before, terminal_size=(100, 30))


def test_server_actions_screen(snap_compare, sim_port) -> None:  # type: ignore[no-untyped-def]
    app = harness(sim_port, lambda app: ServerActionsScreen())
    assert snap_compare(
        app,
        run_before=waiting_for(ServerActionsScreen, "Default save path", "#facts"),
        terminal_size=(100, 30),
    )
