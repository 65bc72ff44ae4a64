"""ServerActionsScreen: facts, shutting down (only after two confirmations) and logging out."""

from __future__ import annotations

import asyncio

import pytest
from textual.pilot import Pilot

from qbtui.api import errors
from qbtui.sim import ManualClock, SimConfig, Simulator, serve_in_thread
from qbtui.ui.screens.dialogs import ConfirmDialog
from qbtui.ui.screens.server_actions import ServerActionsScreen
from tests.manage.harness import Harness, text_of, until


async def on_screen(pilot: Pilot[None], kind: type) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), what=kind.__name__)
    await pilot.pause()


async def confirm(pilot: Pilot[None]) -> str:
    """Press the confirm button of the ConfirmDialog on top; return its title."""
    await on_screen(pilot, ConfirmDialog)
    screen = pilot.app.screen
    title = str(screen.query_one(".title").content)  # type: ignore[attr-defined]
    # the dangerous button is not the default: Enter on the focused Cancel must not shut down
    assert screen.focused is screen.query_one("#cancel")
    screen.query_one("#confirm").press()  # type: ignore[attr-defined]
    return title


async def test_facts_and_shutdown_after_two_confirmations_sim() -> None:
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0)))
    with serve_in_thread(sim) as server:  # a server of its own: it is shut down
        app = Harness(server.url, lambda app: ServerActionsScreen())
        async with app.run_test(size=(100, 40)) as pilot:
            await on_screen(pilot, ServerActionsScreen)
            await until(pilot, lambda: "Default save path" in text_of(pilot, "#facts"), what="facts")
            facts = text_of(pilot, "#facts")
            assert "4.0.4" in facts and (await app.api.default_save_path()) in facts  # type: ignore[union-attr]

            # cancelled at the first question, then at the second: nothing happens
            await pilot.press("S")
            await on_screen(pilot, ConfirmDialog)
            await pilot.press("escape")
            await on_screen(pilot, ServerActionsScreen)
            await pilot.press("S")
            await confirm(pilot)
            await on_screen(pilot, ConfirmDialog)
            assert server.url.rstrip("/") in str(app.screen.query_one("#confirm").label)  # type: ignore[attr-defined]
            await pilot.press("enter")  # Cancel has the focus
            await on_screen(pilot, ServerActionsScreen)
            assert not sim.shutdown_requested

            await pilot.press("S")
            await confirm(pilot)
            second = await confirm(pilot)
            assert second == "Really shut it down?"
            await on_screen(pilot, ServerActionsScreen)
            await until(pilot, lambda: "shut down" in text_of(pilot, "#status"), what="shut down")
            assert sim.shutdown_requested


@pytest.mark.nox
async def test_shutdown_real_server(nox_factory) -> None:  # type: ignore[no-untyped-def]
    nox = nox_factory()
    app = Harness(nox.url, lambda app: ServerActionsScreen(), username=nox.username, password=nox.password)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, ServerActionsScreen)
        await until(pilot, lambda: "Default save path" in text_of(pilot, "#facts"), what="facts")
        await pilot.press("S")
        await confirm(pilot)
        assert nox.running
        await on_screen(pilot, ConfirmDialog)
        assert nox.url.rstrip("/") in str(app.screen.query_one("#confirm").label)  # type: ignore[attr-defined]
        await confirm(pilot)
        await on_screen(pilot, ServerActionsScreen)
        await until(pilot, lambda: "shut down" in text_of(pilot, "#status"), what="shut down")
    # qbittorrent-nox takes its time to quit (resume data, tracker goodbyes), more on a busy machine.
    for _ in range(300):
        if not nox.running:
            break
        await asyncio.sleep(0.1)
    assert not nox.running


class StopsPolling(Harness):
    """The app's poll loop, as far as logging out sees it."""

    stops = 0

    def stop_polling(self) -> bool:
        self.stops += 1
        return True


async def test_logout_stops_polling(sim_server) -> None:  # type: ignore[no-untyped-def]
    app = StopsPolling(sim_server.url, lambda app: ServerActionsScreen())
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, ServerActionsScreen)
        await pilot.press("L")
        await until(pilot, lambda: "Logged out" in text_of(pilot, "#status"), what="logged out")
        assert "polling stopped" in text_of(pilot, "#status")
        assert app.stops == 1
        assert sim_server.sim.shutdown_requested is False
        with pytest.raises(errors.AuthProblem):  # the session is gone on the server
            await app.api.torrents()  # type: ignore[union-attr]


async def test_logout_in_the_real_app_stops_the_poll_loop(sim_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.helpers import make_app

    app = make_app(sim_server.url, interval=0.1, state_dir=tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: app.api is not None and len(app.store.torrents) > 0, what="connected")
        await app.push_screen(ServerActionsScreen())
        await on_screen(pilot, ServerActionsScreen)
        await pilot.press("L")
        await until(pilot, lambda: "Logged out" in text_of(pilot, "#status"), what="logged out")
        assert "polling stopped" in text_of(pilot, "#status")
        await pilot.pause(0.6)  # several poll intervals: a live loop would have logged in again
        assert app.api is None
