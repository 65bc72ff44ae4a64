"""Servers that answer slowly or not at all: the app times out with a clear message, keeps polling
by itself, and the keyboard stays responsive while a request hangs."""

from __future__ import annotations

import time

from qbtui.api import ConnectionSettings
from qbtui.api.target import ServerTarget
from qbtui.model.sync import LinkState
from qbtui.settings.ui_state import UiState
from qbtui.ui.app import QbtuiApp
from tests.support.tcpfaults import delaying_proxy, stalling_server
from tests.ui.helpers import connection_screen, until


def app_for(url: str, timeout: float) -> QbtuiApp:
    settings = ConnectionSettings(url=url, username="admin", password="adminadmin", timeout=timeout)
    return QbtuiApp(ServerTarget(settings), interval=0.3, ui_state=UiState())


async def test_a_server_that_never_answers_times_out_clearly_and_keeps_retrying() -> None:
    async with stalling_server() as url:
        app = app_for(url, timeout=0.5)
        async with app.run_test(size=(120, 30)) as pilot:
            screen = app.main_screen
            await until(
                pilot, lambda: screen.status.link is LinkState.DISCONNECTED, timeout=10, what="timeout"
            )
            assert "did not answer within 0.5 s" in (screen.status.problem or "")
            assert "retrying" in (screen.status.problem or "")
            failures = app.poller.failures
            await until(pilot, lambda: app.poller.failures > failures, timeout=10, what="a second attempt")
            # Nothing ever arrived: the connection screen explains it; closing it leaves the retries on.
            await connection_screen(pilot, what="connection screen")
            await pilot.press("escape")
            started = time.monotonic()
            await pilot.press("b")  # the keyboard works while nothing answers
            assert time.monotonic() - started < 1.5  # a press waiting on the 0.5 s timeouts would show it
            assert not screen.sidebar_shown


async def test_keys_answer_at_once_while_a_slow_server_holds_each_request(sim_server) -> None:
    slow = {"on": False}
    delays = iter([2.0, 5.0, 10.0] * 20)

    def delay() -> float:
        return next(delays) if slow["on"] else 0.0

    async with delaying_proxy(sim_server.port, delay) as url:
        app = app_for(url, timeout=15)
        async with app.run_test(size=(140, 40)) as pilot:
            await until(pilot, lambda: len(app.view) > 0, timeout=20, what="first data")
            slow["on"] = True
            landed = app.poller.polls
            await until(pilot, lambda: app.poller.polls > landed, timeout=20, what="a first slow poll")
            polls = app.poller.polls
            await pilot.pause(0.5)  # the next maindata is now held for 5 s
            latencies = []
            for keys in (("slash",), tuple("deb"), ("enter",), ("down",), ("down",), ("b",), ("b",), ("s",)):
                started = time.monotonic()
                await pilot.press(*keys)
                latencies.append(time.monotonic() - started)
            # Every key was handled while the request was still held, and handled fast.
            assert app.poller.polls == polls, "the slow request should still be pending"
            assert app.view.name_filter == "deb"
            # Not a benchmark (bench/ measures latency): a key stuck behind the held request would
            # take 5 s; anything well under that means the keyboard is not waiting on the network.
            assert max(latencies) < 1.5, latencies
            await until(pilot, lambda: app.poller.polls > polls, timeout=20, what="the slow poll lands")
            assert app.main_screen.status.link is LinkState.LIVE
