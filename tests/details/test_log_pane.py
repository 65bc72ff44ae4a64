"""The log pane against the legacy simulator: incremental fetches, filters, following, peer log."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot

from qbtui.api.models import LogEntry, LogLevel
from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, ThreadedServer, serve_in_thread
from qbtui.ui.widgets.log_pane import LogPane, LogView
from tests.details.harness import Harness, log_app, until
from tests.details.test_panel_sim import settings_for

WARNING, CRITICAL = 4, 8


@asynccontextmanager
async def pane_on(
    server: ThreadedServer,
    *,
    interval: float = 3600.0,
    max_entries: int = 20_000,
    size: tuple[int, int] = (120, 24),
) -> AsyncIterator[tuple[Pilot[None], Harness, LogPane]]:
    app = log_app(settings_for(server), interval=interval, max_entries=max_entries)
    async with app.run_test(size=size) as pilot:
        await app.ready.wait()
        pane = app.query_one(LogPane)
        await until(pilot, lambda: bool(pane.entries), what="the first lines")
        pane.view.focus()
        yield pilot, app, pane


async def fetched(pilot: Pilot[None], pane: LogPane) -> None:
    target = pane.poll_loop.started + 1
    pane.refresh_now()
    await until(pilot, lambda: pane.poll_loop.polls >= target, what="a poll")
    await pilot.pause()


def header(pane: LogPane) -> str:
    return str(pane.query_one("#log-header").render())


async def test_lines_arrive_incrementally_and_unescaped(sim: Simulator, sim_server: ThreadedServer) -> None:
    async with pane_on(sim_server) as (pilot, app, pane):
        count = len(pane.entries)
        assert count == len(sim.engine.log.messages)
        assert app.recording is not None and app.recording.arguments[0] == (-1,)
        last_id = pane.entries[-1].id
        sim.log("Tracker &apos;udp://x&apos; &amp; friends <b>", WARNING)
        await fetched(pilot, pane)
        assert app.recording.arguments[-1] == (last_id,)  # only what is new
        assert len(pane.entries) == count + 1
        entry = pane.view.entries[-1]
        assert isinstance(entry, LogEntry) and entry.level is LogLevel.WARNING
        assert entry.message == "Tracker 'udp://x' & friends <b>"
        line = pane.view.render_row(len(pane.view.entries) - 1).text
        assert "warning" in line and "Tracker 'udp://x' & friends <b>" in line
        assert line.startswith("2026-11-29 ")  # local time, UTC in these tests


async def test_level_filters_hide_and_show_without_refetching(
    sim: Simulator, sim_server: ThreadedServer
) -> None:
    sim.log("something critical", CRITICAL)
    async with pane_on(sim_server) as (pilot, app, pane):
        calls = len(app.calls)
        total = len(pane.entries)
        await pilot.press("1", "2", "3")  # normal, info and warning off
        assert {e.level for e in pane.view.entries} == {LogLevel.CRITICAL}  # type: ignore[union-attr]
        assert f"{len(pane.view.entries)} of {total} lines" in header(pane)
        await pilot.press("1", "2", "3")
        assert len(pane.view.entries) == total
        assert len(app.calls) == calls


async def test_newest_lines_stay_in_view_unless_scrolled_up(
    sim: Simulator, sim_server: ThreadedServer
) -> None:
    for index in range(60):
        sim.log(f"line {index}")
    async with pane_on(sim_server) as (pilot, _app, pane):
        view = pane.query_one(LogView)
        await pilot.pause()
        assert view.max_scroll_y > 0 and view.is_vertical_scroll_end
        sim.log("newer")
        await fetched(pilot, pane)
        assert view.is_vertical_scroll_end
        await pilot.press("home")
        assert view.scroll_y == 0
        sim.log("while scrolled up")
        await fetched(pilot, pane)
        assert view.scroll_y == 0  # the reader's place is kept
        await pilot.press("end")
        sim.log("following again")
        await fetched(pilot, pane)
        assert view.is_vertical_scroll_end
        assert "following again" in view.render_row(len(view.entries) - 1).text


async def test_old_lines_are_trimmed(sim: Simulator, sim_server: ThreadedServer) -> None:
    async with pane_on(sim_server, max_entries=10) as (pilot, _app, pane):
        assert len(pane.entries) == 10
        sim.log("one more")
        await fetched(pilot, pane)
        assert len(pane.entries) == 10 and pane.entries[-1].message == "one more"


async def test_peer_log_view(sim: Simulator, sim_server: ThreadedServer) -> None:
    now = sim.engine.ms()
    sim.engine.log.add_peer("203.0.113.9", True, "IP filter", now)
    sim.engine.log.add_peer("198.51.100.7", False, "", now)
    async with pane_on(sim_server) as (pilot, app, pane):
        await pilot.press("v")
        await until(pilot, lambda: len(pane.peer_entries) >= 2, what="peer log")
        assert "peer_log" in app.calls and header(pane).startswith("Peer log")
        rows = [pane.view.render_row(i).text for i in range(len(pane.view.entries))]
        assert any("blocked" in row and "203.0.113.9" in row and "IP filter" in row for row in rows)
        assert any("banned" in row and "198.51.100.7" in row for row in rows)
        assert pane.check_action("toggle_level", (1,)) is False
        await pilot.press("v")
        assert header(pane).startswith("Log")
        assert len(pane.view.entries) == len(pane.entries)


async def test_a_server_without_a_log_says_so() -> None:
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH), api_version=9))
    with serve_in_thread(sim) as server:
        app = log_app(settings_for(server))
        async with app.run_test(size=(120, 24)) as pilot:
            await app.ready.wait()
            note = app.query_one("#log-note")
            await until(pilot, lambda: "API 10" in str(note.render()), what="the explanation")
            assert str(note.render()).startswith("The server log needs qBittorrent 3.3.5 (API 10) or later")


async def test_polls_only_while_visible(sim: Simulator, sim_server: ThreadedServer) -> None:
    async with pane_on(sim_server, interval=0.05) as (pilot, app, pane):
        await until(pilot, lambda: app.calls.count("log") >= 3, what="repeated polls")
        pane.display = False
        await until(pilot, lambda: not pane.poll_loop.in_flight, what="the request in flight to end")
        await pilot.pause(0.1)
        count = len(app.calls)
        await pilot.pause(0.3)
        assert len(app.calls) == count
        pane.display = True
        await until(pilot, lambda: len(app.calls) > count, what="polls after showing again")


async def test_the_cap_keeps_the_view_in_step_with_the_entries() -> None:
    """Batches of every size against a small cap, with filters on: what shows is always the tail."""
    import random

    from textual.app import App, ComposeResult

    class Bare(App[None]):
        fleet_server = None  # the one service the log pane asks of its app here (its title)

        def compose(self) -> ComposeResult:
            yield LogPane(lambda: None, interval=3600, max_entries=25)

    rng = random.Random(4)
    app = Bare()
    async with app.run_test(size=(100, 20)) as pilot:
        pane = app.query_one(LogPane)
        next_id = 0
        for round_ in range(60):
            if round_ == 20:
                await pilot.press("2")  # hide info from here on
            size = rng.choice((0, 1, 3, 24, 25, 26, 70))
            batch = [
                LogEntry(next_id + i, DEFAULT_EPOCH, rng.choice(list(LogLevel)), f"m{next_id + i}")
                for i in range(size)
            ]
            next_id += size
            pane._append(batch)
            assert len(pane.entries) == min(next_id, 25)
            assert pane.view.entries == [e for e in pane.entries if e.level in pane.levels]
            assert pane.view.virtual_size.height == len(pane.view.entries)
