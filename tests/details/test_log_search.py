"""`/` in the log pane narrows the lines as you type (the message; a peer entry's address and reason),
new lines that match keep arriving, Esc clears the search. On the simulator and on real servers."""

from __future__ import annotations

import pytest

from qbtui.api import ConnectionSettings
from qbtui.sim import Simulator, ThreadedServer
from qbtui.ui.widgets.log_pane import LogPane, LogSearch
from tests.details.harness import log_app, until
from tests.details.test_log_pane import WARNING, fetched, header, pane_on
from tests.support.noxserver import NoxInstance


async def test_search_narrows_follows_and_clears(sim: Simulator, sim_server: ThreadedServer) -> None:
    async with pane_on(sim_server) as (pilot, _app, pane):
        total = len(pane.view.entries)
        sim.log("Tracker udp://needle.example failed", WARNING)
        await fetched(pilot, pane)
        await pilot.press("slash")
        box = pane.query_one(LogSearch)
        assert box.has_focus
        await pilot.press(*"NEEDLE")  # number and letter keys type here, case does not matter
        await until(pilot, lambda: len(pane.view.entries) == 1, what="narrowed")
        assert "needle" in pane.view.entries[0].message  # type: ignore[union-attr]
        assert "search: needle" in header(pane)
        sim.log("another needle line", WARNING)
        sim.log("a line without it", WARNING)
        await fetched(pilot, pane)
        assert [e.message for e in pane.view.entries] == [  # type: ignore[union-attr]
            "Tracker udp://needle.example failed",
            "another needle line",
        ]
        await pilot.press("enter")  # back to the lines, the search stays
        assert pane.view.has_focus and len(pane.view.entries) == 2
        await pilot.press("slash", "escape")
        await until(pilot, lambda: len(pane.view.entries) == total + 3, what="every line back")
        assert not box.has_class("-visible") and "search:" not in header(pane)


@pytest.mark.nox
async def test_search_on_a_real_servers_log(nox: NoxInstance) -> None:
    settings = ConnectionSettings(url=nox.url, username=nox.username, password=nox.password, timeout=10)
    app = log_app(settings)
    async with app.run_test(size=(120, 24)) as pilot:
        await app.ready.wait()
        pane = app.query_one(LogPane)
        await until(pilot, lambda: len(pane.entries) > 3, what="the first lines")
        pane.view.focus()
        await pilot.press("slash", *f"v{nox.version}")
        await until(pilot, lambda: 0 < len(pane.view.entries) < len(pane.entries), what="narrowed")
        assert all(f"v{nox.version}" in e.message for e in pane.view.entries)  # type: ignore[union-attr]
