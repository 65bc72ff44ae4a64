"""Every tab of the details panel against the legacy simulator (qBittorrent 4.0.4, deterministic)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from qbtui.api import ConnectionSettings
from qbtui.model.pieces import summarise
from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, ThreadedServer, serve_in_thread
from qbtui.ui.widgets.details import (
    ContentTab,
    DetailsPanel,
    DetailTab,
    GeneralTab,
    HttpSourcesTab,
    PeersTab,
    PiecesTab,
    SpeedTab,
    TrackersTab,
)
from qbtui.ui.widgets.details.general import GeneralView
from qbtui.ui.widgets.details.pieces_tab import HashList, PieceBar
from qbtui.ui.widgets.details.prompts import LinesPrompt
from tests.details.harness import Harness, details_app, until

MiB = 1024 * 1024


def settings_for(server: ThreadedServer) -> ConnectionSettings:
    return ConnectionSettings(url=server.url, username="admin", password="adminadmin", timeout=10)


def hash_of(sim: Simulator, name: str) -> str:
    return next(h for h, t in sim.torrents.items() if t.name.startswith(name))


@asynccontextmanager
async def panel_on(
    server: ThreadedServer, hash: str | None, *, tab: str | None = None, interval: float = 3600.0
) -> AsyncIterator[tuple[Pilot[None], Harness, DetailsPanel]]:
    app = details_app(settings_for(server), hash, interval=interval, tab=tab)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.ready.wait()
        yield pilot, app, app.query_one(DetailsPanel)


async def settled(pilot: Pilot[None], tab: DetailTab) -> None:
    await until(
        pilot, lambda: tab.loaded or tab.note.kind in ("error", "unsupported"), what=f"{tab.TITLE} data"
    )
    await pilot.pause()


async def polled(pilot: Pilot[None], panel: DetailsPanel) -> None:
    """Wait for the next poll to finish (after a command or a change on the server)."""
    # The first poll to begin after this call; one already in flight may predate a change.
    target = panel.poll_loop.started + 1
    panel.refresh_now()
    await until(pilot, lambda: panel.poll_loop.polls >= target, what="a poll")
    await pilot.pause()


def lines_of(widget: Widget) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


# -- general ---------------------------------------------------------------------------------------


async def test_general_shows_every_group_and_the_magnet_link(
    sim: Simulator, sim_server: ThreadedServer
) -> None:
    hash = hash_of(sim, "Tears of Steel")
    async with panel_on(sim_server, hash) as (pilot, app, _panel):
        tab = app.query_one(GeneralTab)
        await settled(pilot, tab)
        text = "\n".join(lines_of(app.query_one(GeneralView)))
        for label in ("Transfer", "Time active:", "Share ratio:", "Information", "Pieces:", "Save path:"):
            assert label in text
        pieces = tab.data.properties.pieces_num  # type: ignore[union-attr]
        assert f"{pieces:,} × 4.0 MiB (have" in text
        assert "Completed on:" in text and "never" in text
        assert hash in text
        assert "magnet:?xt=urn:btih:" + hash in text.replace("\n", "").replace(" ", "")
        assert tab.note.kind != "error"


async def test_a_torrent_without_metadata_says_so(sim: Simulator, sim_server: ThreadedServer) -> None:
    hash = hash_of(sim, "[eztv] Show.S01E03")
    async with panel_on(sim_server, hash) as (pilot, app, panel):
        general = app.query_one(GeneralTab)
        await settled(pilot, general)
        assert "unknown (no metadata yet)" in "\n".join(lines_of(app.query_one(GeneralView)))
        for tab_type, words in (
            (ContentTab, "metadata has not arrived"),
            (PiecesTab, "metadata has not arrived"),
        ):
            tab = app.query_one(tab_type)
            panel.select_tab(tab.PANE_ID)
            await settled(pilot, tab)
            assert words in tab.note.message


# -- trackers --------------------------------------------------------------------------------------


async def test_trackers_are_listed_and_added(sim: Simulator, sim_server: ThreadedServer) -> None:
    hash = hash_of(sim, "Tears of Steel")
    async with panel_on(sim_server, hash, tab="trackers") as (pilot, app, _panel):
        tab = app.query_one(TrackersTab)
        await settled(pilot, tab)
        urls = [t.url for t in sim.torrents[hash].trackers]
        assert [tab.table.get_row_at(i)[0].plain for i in range(tab.table.row_count)] == urls
        # Legacy servers can add trackers but neither edit nor remove them: those keys are hidden.
        assert tab.check_action("edit", ()) is False and tab.check_action("remove", ()) is False
        tab.table.focus()
        await pilot.press("e")  # caught and explained, not passed on to whatever else uses "e"
        (notice,) = app._notifications
        assert notice.message.startswith("Editing trackers needs qBittorrent 4.1.5 (WebAPI 2.2) or later")
        await pilot.press("a")
        assert isinstance(app.screen, LinesPrompt)
        await pilot.press(*"udp://new.example:1337/announce")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: tab.table.row_count == len(urls) + 1, what="the new tracker")
        assert "udp://new.example:1337/announce" in [t.url for t in sim.torrents[hash].trackers]


async def test_tracker_prompt_refuses_what_is_not_a_url(sim: Simulator, sim_server: ThreadedServer) -> None:
    async with panel_on(sim_server, hash_of(sim, "Tears of Steel"), tab="trackers") as (pilot, app, _panel):
        tab = app.query_one(TrackersTab)
        await settled(pilot, tab)
        tab.table.focus()
        await pilot.press("a", *"not-a-url", "ctrl+s")
        assert isinstance(app.screen, LinesPrompt)
        await pilot.press("escape")
        assert not isinstance(app.screen, LinesPrompt)


# -- peers -----------------------------------------------------------------------------------------


async def test_peers_follow_the_incremental_sync(sim: Simulator, sim_server: ThreadedServer) -> None:
    hash = hash_of(sim, "Tears of Steel")
    async with panel_on(sim_server, hash, tab="peers") as (pilot, app, panel):
        tab = app.query_one(PeersTab)
        await settled(pilot, tab)
        first_rid = tab.peer_sync.rid
        assert first_rid > 0 and tab.table.row_count == len(tab.peer_sync.peers) > 0
        assert tab.check_action("ban", ()) is False and tab.check_action("add", ()) is False  # v2 only
        sim.advance(10)
        await polled(pilot, panel)
        assert tab.peer_sync.rid != first_rid
        assert tab.table.row_count == len(tab.peer_sync.peers)
        row = tab.table.get_row(next(iter(tab.peer_sync.peers)))
        assert row[0].plain == next(iter(tab.peer_sync.peers))


async def test_another_torrent_starts_a_fresh_peer_sync(sim: Simulator, sim_server: ThreadedServer) -> None:
    async with panel_on(sim_server, hash_of(sim, "Tears of Steel"), tab="peers") as (pilot, app, panel):
        tab = app.query_one(PeersTab)
        await settled(pilot, tab)
        before = set(tab.peer_sync.peers)
        panel.show(hash_of(sim, "debian-9.5.0"))
        assert tab.peer_sync.rid == 0 and tab.table.row_count == 0
        await settled(pilot, tab)
        assert set(tab.peer_sync.peers) != before and tab.table.row_count == len(tab.peer_sync.peers)


# -- HTTP sources ----------------------------------------------------------------------------------


async def test_http_sources(sim: Simulator, sim_server: ThreadedServer) -> None:
    async with panel_on(sim_server, hash_of(sim, "Big Buck Bunny"), tab="http-sources") as (
        pilot,
        app,
        panel,
    ):
        tab = app.query_one(HttpSourcesTab)
        await settled(pilot, tab)
        assert tab.table.get_row_at(0)[0].plain == "https://download.blender.org/peach/bigbuckbunny_movies/"
        panel.show(hash_of(sim, "Tears of Steel"))
        await settled(pilot, tab)
        assert tab.table.row_count == 0 and "no HTTP sources" in tab.note.message


# -- content ---------------------------------------------------------------------------------------


async def test_content_tree_folds_and_sets_priorities(sim: Simulator, sim_server: ThreadedServer) -> None:
    hash = hash_of(sim, "Blender 2.79b demo files")
    files = sim.torrents[hash].meta.files  # type: ignore[union-attr]
    async with panel_on(sim_server, hash, tab="content") as (pilot, app, panel):
        tab = app.query_one(ContentTab)
        await settled(pilot, tab)
        view = tab.view
        tree = view.file_tree
        assert tree is not None
        assert [n.name for n in tree.rows] == [
            "Blender 2.79b demo files",
            "barbershop",
            "barbershop_interior.blend",
            "classroom",
            "classroom.blend",
            "fishy_cat",
            "fishy_cat.blend",
            "README.txt",
        ]
        assert tab.check_action("rename", ()) is False  # renaming needs WebAPI v2
        view.focus()
        await pilot.press("down", "enter")  # close "barbershop"
        assert len(tree.rows) == 7
        await pilot.press("enter")
        assert len(tree.rows) == 8
        await pilot.press("0")  # "barbershop": every file under the folder
        # The command runs in a worker: a poll begun before its answer may predate the change.
        await until(pilot, lambda: len(app.edited) == 1, what="the first priority command done")
        await polled(pilot, panel)
        assert files[1].priority == 0 and tree.find("Blender 2.79b demo files/barbershop").priority == 0  # type: ignore[union-attr]
        await pilot.press("end", "space")  # mark README.txt
        await pilot.press("home", "down", "down", "down", "down", "space")  # and classroom.blend
        assert tree.marked == {0, 3}
        await pilot.press("3")
        await until(pilot, lambda: len(app.edited) == 2, what="the second priority command done")
        await polled(pilot, panel)
        by_name = {item.path.rpartition("/")[2]: item.priority for item in files}
        assert by_name["README.txt"] == 7 and by_name["classroom.blend"] == 7
        assert by_name["fishy_cat.blend"] == 4  # untouched: libtorrent's normal
        assert "Maximum" in "\n".join(lines_of(view))
        assert app.edited == [hash, hash]  # the screen is told, so it can poll the list at once


async def test_content_of_ten_thousand_files(sim: Simulator, sim_server: ThreadedServer) -> None:
    files = [(f"set {i % 20}/disc {i % 7}/file {i:05d}.bin", 4096 + i) for i in range(10_000)]
    hash = sim.add_torrent("Ten thousand", files=files, progress=0.4)
    async with panel_on(sim_server, hash, tab="content") as (pilot, app, panel):
        tab = app.query_one(ContentTab)
        start = time.perf_counter()
        await settled(pilot, tab)
        loaded = time.perf_counter() - start
        view = tab.view
        assert view.file_tree is not None and len(view.file_tree.files) == 10_000
        view.focus()
        start = time.perf_counter()
        await pilot.press("asterisk")  # open everything
        await pilot.pause()
        expanded = time.perf_counter() - start
        assert len(view.file_tree.rows) == 10_000 + 20 + 140 + 1
        start = time.perf_counter()
        await pilot.press("end")
        await pilot.pause()
        jumped = time.perf_counter() - start
        assert view.current is view.file_tree.rows[-1]
        assert "file 09999.bin" in "\n".join(lines_of(view)) or "file 0" in "\n".join(lines_of(view))
        start = time.perf_counter()
        for _ in range(20):
            view.refresh()
            await pilot.pause()
        repaint = (time.perf_counter() - start) / 20
        start = time.perf_counter()
        await polled(pilot, panel)
        poll = time.perf_counter() - start
        print(
            f"\n10k-file torrent: first load (fetch + build + paint) {loaded * 1e3:.0f} ms, "
            f"open all {expanded * 1e3:.0f} ms, jump to end {jumped * 1e3:.0f} ms, "
            f"repaint {repaint * 1e3:.1f} ms, poll (fetch + update + paint) {poll * 1e3:.0f} ms"
        )
        assert loaded < 10 and expanded < 3 and jumped < 3


# -- pieces ----------------------------------------------------------------------------------------


async def test_pieces_bar_legend_and_hashes(sim: Simulator, sim_server: ThreadedServer) -> None:
    hash = hash_of(sim, "Tears of Steel")
    async with panel_on(sim_server, hash, tab="pieces") as (pilot, app, _panel):
        tab = app.query_one(PiecesTab)
        await settled(pilot, tab)
        bar = app.query_one(PieceBar)
        expected = summarise(sim.torrents[hash].piece_states())
        assert tab.summary == expected and len(bar.states) == expected.total
        assert bar.size.height == 6  # 1,473 pieces on a 116-cell row: as many rows as allowed
        assert all(line.strip() for line in lines_of(bar))
        legend = str(app.query_one("#legend").render())
        assert f"have {expected.have:,}" in legend and f"{expected.total:,} pieces" in legend
        assert app.calls.count("piece_hashes") == 0
        await pilot.press("tab")  # from the tab strip into the tab: the bar takes focus
        assert bar.has_focus
        await pilot.press("H")
        hashes = app.query_one(HashList)
        await until(pilot, lambda: hashes.row_count() == expected.total, what="piece hashes")
        assert app.calls.count("piece_hashes") == 1
        assert sim.torrents[hash].meta.piece_hash(0, hash) in lines_of(hashes)[0]  # type: ignore[union-attr]


async def test_a_million_pieces(sim: Simulator, sim_server: ThreadedServer) -> None:
    hash = sim.add_torrent("A million pieces", size=1_000_000 * 16 * MiB, progress=0.3)
    async with panel_on(sim_server, hash, tab="pieces") as (pilot, app, _panel):
        tab = app.query_one(PiecesTab)
        start = time.perf_counter()
        await settled(pilot, tab)
        elapsed = time.perf_counter() - start
        bar = app.query_one(PieceBar)
        assert tab.summary.total == 1_000_000
        cells = bar.cells()
        assert len(cells) == bar.content_size.width * 6
        assert 0.25 < sum(share for _, share in cells) / len(cells) < 0.35
        print(f"\n1,000,000-piece bar: fetch + scale + paint {elapsed * 1e3:.0f} ms")


# -- servers that lack an endpoint, errors -------------------------------------------------------


@pytest.mark.parametrize(
    ("api_version", "tab_id", "message"),
    [
        (2, "http-sources", "Web seeds need qBittorrent 3.2.1 (API 3) or later"),
        (6, "peers", "The peer list needs qBittorrent 3.3.1 (API 7) or later"),
        (13, "pieces", "Piece states need qBittorrent 3.3.13 (API 14) or later"),
    ],
)
async def test_old_servers_explain_what_they_lack(api_version: int, tab_id: str, message: str) -> None:
    sim = Simulator(SimConfig(seed=7, clock=ManualClock(DEFAULT_EPOCH), api_version=api_version))
    with serve_in_thread(sim) as server:
        async with panel_on(server, hash_of(sim, "Tears of Steel"), tab=tab_id) as (pilot, _app, panel):
            tab = panel.active_tab
            assert tab is not None and tab_id == tab.PANE_ID
            await settled(pilot, tab)
            assert tab.note.kind == "unsupported" and tab.note.message.startswith(message)
            assert tab.has_class("-unavailable")


async def test_a_removed_torrent_and_a_lost_connection(sim: Simulator, sim_server: ThreadedServer) -> None:
    hash = hash_of(sim, "Tears of Steel")
    async with panel_on(sim_server, hash) as (pilot, app, panel):
        tab = app.query_one(GeneralTab)
        await settled(pilot, tab)
        sim.remove_torrent(hash)
        sim.advance(2)  # past 4.0.4's 1.5 s cache of the properties answer
        await polled(pilot, panel)
        assert tab.note.message == "This torrent is no longer on the server" and tab.note.kind == "error"
        sim_server.stop()
        await polled(pilot, panel)
        assert tab.note.kind == "error" and tab.note.message.startswith("Could not load general:")


async def test_not_connected() -> None:
    app = details_app(None, "0" * 40)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.ready.wait()
        tab = app.query_one(GeneralTab)
        await until(pilot, lambda: tab.note.message == "Not connected to qBittorrent")


# -- keys ------------------------------------------------------------------------------------------


async def test_keys_between_and_into_tabs(sim: Simulator, sim_server: ThreadedServer) -> None:
    hash = hash_of(sim, "Tears of Steel")
    async with panel_on(sim_server, hash) as (pilot, app, panel):
        await settled(pilot, app.query_one(GeneralTab))
        await pilot.press("right_square_bracket")
        assert panel.active_tab is app.query_one(TrackersTab)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert panel.active_tab is app.query_one(SpeedTab)  # the last tab: [ wraps around
        await pilot.press("right_square_bracket", "down")  # from the tab strip into the tab
        assert app.focused is not None and app.query_one(GeneralTab) in app.focused.ancestors
        await pilot.press("y")
        assert app.clipboard.startswith(f"magnet:?xt=urn:btih:{hash}")
        await pilot.press("Y")
        assert app.clipboard == hash


# -- polling ---------------------------------------------------------------------------------------


async def test_polls_only_the_active_tab_and_only_while_visible(
    sim: Simulator, sim_server: ThreadedServer
) -> None:
    hash = hash_of(sim, "Tears of Steel")
    async with panel_on(sim_server, hash, interval=0.05) as (pilot, app, panel):
        await until(pilot, lambda: app.calls.count("properties") >= 3, what="repeated polls")
        assert set(app.calls) == {"properties"}
        panel.select_tab("trackers")
        await until(pilot, lambda: app.calls.count("trackers") >= 2, what="tracker polls")
        assert set(app.calls) == {"properties", "trackers"}
        panel.display = False
        await until(pilot, lambda: not panel.poll_loop.in_flight, what="the request in flight to end")
        await pilot.pause(0.1)
        count = len(app.calls)
        await pilot.pause(0.3)
        assert len(app.calls) == count
        panel.display = True
        await until(pilot, lambda: len(app.calls) > count, what="polls after showing again")
        panel.show(None)
        await pilot.pause(0.1)
        count = len(app.calls)
        await pilot.pause(0.3)
        assert len(app.calls) == count and app.query_one(TrackersTab).note.message == "No torrent selected"


async def test_one_request_at_a_time(sim: Simulator, sim_server: ThreadedServer) -> None:
    """Pokes that arrive while a poll is in flight never start a second one."""
    hash = hash_of(sim, "Tears of Steel")
    async with panel_on(sim_server, hash, interval=0.02) as (pilot, app, panel):
        tab = app.query_one(GeneralTab)
        in_flight = 0
        most = 0
        fetch = tab.fetch

        async def counting(api, hash):  # type: ignore[no-untyped-def]
            nonlocal in_flight, most
            in_flight += 1
            most = max(most, in_flight)
            try:
                return await fetch(api, hash)
            finally:
                in_flight -= 1

        tab.fetch = counting  # type: ignore[method-assign]
        for _ in range(30):
            panel.refresh_now()
            await pilot.pause(0.01)
        assert most == 1
