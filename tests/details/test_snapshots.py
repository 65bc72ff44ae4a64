"""What the details panel and the log pane look like, on the deterministic simulator.

snap_compare only works in plain `def` tests. The simulator's clock stands still and the time
zone is UTC (conftest), so every number and date is the same on every run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, ThreadedServer, serve_in_thread
from qbtui.ui.widgets.details import DetailsPanel
from qbtui.ui.widgets.log_pane import LogPane
from tests.details.harness import Harness, details_app, log_app, until
from tests.details.test_panel_sim import MiB, hash_of, settings_for

SIZE = (120, 36)
Steps = Callable[[Pilot[None]], Awaitable[None]]


def shows(*keys: str) -> Steps:
    """Wait for the active tab's data, then press `keys`."""

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, Harness)
        await app.ready.wait()
        panel = app.query_one(DetailsPanel)

        def settled() -> bool:
            tab = panel.active_tab
            return tab is not None and (tab.loaded or tab.note.kind in ("error", "unsupported"))

        await until(pilot, settled, what="tab data")
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


def panel_snapshot(snap_compare, server: ThreadedServer, hash: str, tab: str, *keys: str, size=SIZE) -> bool:  # type: ignore[no-untyped-def]
    return snap_compare(
        details_app(settings_for(server), hash, tab=tab), run_before=shows(*keys), terminal_size=size
    )


def test_general(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    assert panel_snapshot(snap_compare, sim_server, hash_of(sim, "Tears of Steel"), "general")


def test_general_80x24(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    assert panel_snapshot(snap_compare, sim_server, hash_of(sim, "Big Buck Bunny"), "general", size=(80, 24))


def test_trackers(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    assert panel_snapshot(snap_compare, sim_server, hash_of(sim, "wikipedia_en_all"), "trackers", "tab")


def test_peers(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    assert panel_snapshot(snap_compare, sim_server, hash_of(sim, "Tears of Steel"), "peers")


def test_http_sources(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    assert panel_snapshot(snap_compare, sim_server, hash_of(sim, "Big Buck Bunny"), "http-sources")


def test_content_nested_folded_and_marked(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    hash = hash_of(sim, "Blender 2.79b demo files")
    # Into the tree, close "barbershop", mark the "classroom" folder, stop on fishy_cat.
    keys = ("tab", "down", "enter", "down", "space")
    assert panel_snapshot(snap_compare, sim_server, hash, "content", *keys)


def test_content_mixed_priorities(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    assert panel_snapshot(snap_compare, sim_server, hash_of(sim, "[eztv] Show.S01E02"), "content")


def test_content_ten_thousand_files(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    files = [(f"set {i % 20}/disc {i % 7}/file {i:05d}.bin", 4096 + i) for i in range(10_000)]
    hash = sim.add_torrent("Ten thousand files", files=files, progress=0.4)
    assert panel_snapshot(snap_compare, sim_server, hash, "content", "tab", "asterisk", "end")


def test_content_without_metadata(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    assert panel_snapshot(snap_compare, sim_server, hash_of(sim, "[eztv] Show.S01E03"), "content")


def test_pieces(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    assert panel_snapshot(snap_compare, sim_server, hash_of(sim, "Tears of Steel"), "pieces")


def test_pieces_a_million(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    hash = sim.add_torrent("A million pieces", size=1_000_000 * 16 * MiB, progress=0.3)
    assert panel_snapshot(snap_compare, sim_server, hash, "pieces")


def test_pieces_with_hashes(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await shows("tab", "H")(pilot)
        await until(pilot, lambda: pilot.app.query_one("HashList").row_count() > 0, what="hashes")  # type: ignore[attr-defined]
        await pilot.pause()

    app = details_app(settings_for(sim_server), hash_of(sim, "debian-9.5.0"), tab="pieces")
    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_old_server_without_web_seeds(snap_compare) -> None:  # type: ignore[no-untyped-def]
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH), api_version=2))
    with serve_in_thread(sim) as server:
        assert panel_snapshot(snap_compare, server, hash_of(sim, "Big Buck Bunny"), "http-sources")


def log_ready(*keys: str) -> Steps:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, Harness)
        await app.ready.wait()
        pane = app.query_one(LogPane)
        await until(pilot, lambda: bool(pane.entries), what="log lines")
        pane.view.focus()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_log_pane(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    sim.log("Tracker &apos;udp://tracker.example:80&apos; is not working &amp; was skipped", 4)
    assert snap_compare(log_app(settings_for(sim_server)), run_before=log_ready(), terminal_size=SIZE)


def test_log_pane_filtered(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(log_app(settings_for(sim_server)), run_before=log_ready("1", "2"), terminal_size=SIZE)


def test_peer_log(snap_compare, sim: Simulator, sim_server: ThreadedServer) -> None:  # type: ignore[no-untyped-def]
    now = sim.engine.ms()
    sim.engine.log.add_peer("203.0.113.9", True, "IP filter", now)
    sim.engine.log.add_peer("198.51.100.7", False, "", now)

    async def run_before(pilot: Pilot[None]) -> None:
        await log_ready("v")(pilot)
        pane = pilot.app.query_one(LogPane)
        await until(pilot, lambda: len(pane.peer_entries) >= 2, what="peer log")
        await pilot.pause()

    assert snap_compare(log_app(settings_for(sim_server)), run_before=run_before, terminal_size=SIZE)
