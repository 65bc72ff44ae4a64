"""The details panel against real qbittorrent-nox (WebAPI v2): edits reach the server, a swarm fills it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from qbtui.api import ConnectionSettings
from qbtui.api.models import FilePriority
from qbtui.ui.screens.dialogs import ConfirmDialog, TextPrompt
from qbtui.ui.widgets.details import ContentTab, DetailsPanel, GeneralTab, PeersTab, PiecesTab, TrackersTab
from qbtui.ui.widgets.details.general import GeneralView
from qbtui.ui.widgets.details.prompts import LinesPrompt
from qbtui.util import format as fmt
from qbtui.util.torrentfile import parse
from tests.details.harness import Harness, details_app, until
from tests.details.test_panel_sim import lines_of, polled, settled
from tests.support.noxserver import NoxInstance, NoxSwarm, make_sample_torrent

pytestmark = pytest.mark.nox

TRACKER = "http://127.0.0.1:9/announce"
FILES = {"docs/guide.txt": 20_000, "docs/images/a.png": 30_000, "video.bin": 60_000}


def settings_of(nox: NoxInstance) -> ConnectionSettings:
    return ConnectionSettings(url=nox.url, username=nox.username, password=nox.password, timeout=10)


def add_sample(nox: NoxInstance, tmp_path: Path) -> str:
    torrent, _ = make_sample_torrent(tmp_path / "src", "qbtui-details", FILES, tracker_url=TRACKER)
    info_hash = parse(torrent.read_bytes()).info_hash
    nox.add_torrent_file(torrent, savepath=str(tmp_path / "save"), paused="true")
    nox.wait_for_torrent(info_hash, lambda t: t["state"] in ("pausedDL", "stoppedDL"), what="paused")
    return info_hash


@asynccontextmanager
async def panel_on(
    nox: NoxInstance, hash: str, tab: str, *, interval: float = 3600.0
) -> AsyncIterator[tuple[Pilot[None], Harness, DetailsPanel]]:
    app = details_app(settings_of(nox), hash, interval=interval, tab=tab)
    async with app.run_test(size=(140, 40)) as pilot:
        await app.ready.wait()
        yield pilot, app, app.query_one(DetailsPanel)


def found(view, path: str) -> bool:  # type: ignore[no-untyped-def]
    tree = view.file_tree
    return tree is not None and tree.find(path) is not None


async def replace_input(pilot: Pilot[None], value: str) -> None:
    field = pilot.app.screen.query_one(Input)
    field.value = value
    field.cursor_position = len(value)
    await pilot.press("enter")


async def test_general_on_v2(nox_clean: NoxInstance, tmp_path: Path) -> None:
    hash = add_sample(nox_clean, tmp_path)
    async with panel_on(nox_clean, hash, "general") as (pilot, app, _panel):
        await settled(pilot, app.query_one(GeneralTab))
        text = "\n".join(lines_of(app.query_one(GeneralView)))
        assert "Pieces:" in text and "Created by:" in text and "qbtui" in text
        assert "Info hash v1:" in text and hash in text  # a 4.4+ extra field, named


async def test_trackers_pseudo_rows_edit_and_remove(nox_clean: NoxInstance, tmp_path: Path) -> None:
    hash = add_sample(nox_clean, tmp_path)
    async with panel_on(nox_clean, hash, "trackers") as (pilot, app, panel):
        tab = app.query_one(TrackersTab)
        await settled(pilot, tab)
        urls = [tab.table.get_row_at(i)[1].plain for i in range(tab.table.row_count)]
        assert urls[:3] == ["** [DHT] **", "** [PeX] **", "** [LSD] **"] and urls[3] == TRACKER
        assert tab.check_action("edit", ()) and tab.check_action("remove", ())
        tab.table.focus()
        await pilot.press("e")  # on the DHT row: refused, nothing opens
        assert not isinstance(app.screen, TextPrompt)
        tab.table.move_cursor(row=3)
        await pilot.press("e")
        assert isinstance(app.screen, TextPrompt)
        await replace_input(pilot, "http://127.0.0.1:10/announce")
        await until(
            pilot, lambda: "http://127.0.0.1:10/announce" in [t.url for t in tab.trackers], what="edit"
        )
        assert [t["url"] for t in nox_clean.trackers(hash)] == ["http://127.0.0.1:10/announce"]
        tab.table.move_cursor(row=3)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm")
        await until(pilot, lambda: len(tab.trackers) == 3, what="removal")
        assert nox_clean.trackers(hash) == []
        await pilot.press("a")
        assert isinstance(app.screen, LinesPrompt)
        await pilot.press(*"udp://127.0.0.1:11/announce", "enter", *"http://127.0.0.1:12/announce", "ctrl+s")
        await until(pilot, lambda: len(tab.trackers) == 5, what="two added trackers")
        await polled(pilot, panel)


async def test_content_priorities_and_renames(nox_clean: NoxInstance, tmp_path: Path) -> None:
    hash = add_sample(nox_clean, tmp_path)
    async with panel_on(nox_clean, hash, "content") as (pilot, app, panel):
        tab = app.query_one(ContentTab)
        await settled(pilot, tab)
        view = tab.view
        tree = view.file_tree
        assert tree is not None
        assert [n.path for n in tree.rows] == [
            "qbtui-details",
            "qbtui-details/docs",
            "qbtui-details/docs/images",
            "qbtui-details/docs/images/a.png",
            "qbtui-details/docs/guide.txt",
            "qbtui-details/video.bin",
        ]
        assert tab.check_action("rename", ())
        view.focus()
        await pilot.press("down", "0")  # the docs folder: do not download
        # The command runs in a worker: a poll begun before its answer may predate the change.
        await until(pilot, lambda: len(app.edited) == 1, what="the skip command done")
        await polled(pilot, panel)
        with_prio = {f.name: f.priority for f in await app.api.files(hash)}  # type: ignore[union-attr]
        assert with_prio["qbtui-details/docs/guide.txt"] is FilePriority.SKIP
        assert with_prio["qbtui-details/docs/images/a.png"] is FilePriority.SKIP
        assert with_prio["qbtui-details/video.bin"] is FilePriority.NORMAL
        await pilot.press("end", "2")  # video.bin: high
        await until(pilot, lambda: len(app.edited) == 2, what="the high-priority command done")
        await polled(pilot, panel)
        assert tree.files[2].priority is FilePriority.HIGH or any(
            n.priority is FilePriority.HIGH for n in tree.files.values()
        )
        await pilot.press("n")  # rename video.bin
        assert isinstance(app.screen, TextPrompt)
        await replace_input(pilot, "movie.bin")
        # The view's tree, not `tree`: a poll may replace the tree object (a changed list rebuilds it).
        await until(pilot, lambda: found(view, "qbtui-details/movie.bin"), what="file rename")
        assert view.current is not None and view.current.name == "movie.bin"  # the cursor followed it
        await pilot.press("home", "down")
        # A poll may redraw the tree between the keys: rename only once the cursor is on the folder.
        await until(pilot, lambda: view.current is not None and view.current.name == "docs", what="docs")
        await pilot.press("n")  # rename the docs folder
        assert isinstance(app.screen, TextPrompt)
        await replace_input(pilot, "manual")
        await until(pilot, lambda: found(view, "qbtui-details/manual/images/a.png"), what="folder rename")
        names = sorted(f.name for f in await app.api.files(hash))  # type: ignore[union-attr]
        assert names == [
            "qbtui-details/manual/guide.txt",
            "qbtui-details/manual/images/a.png",
            "qbtui-details/movie.bin",
        ]


async def connect_to_seeder(pilot: Pilot[None], swarm: NoxSwarm, peers: PeersTab) -> str:
    """Add the seeder through the peers tab's own dialog; returns its key once it is listed."""
    await settled(pilot, peers)
    assert peers.check_action("add", ()) and peers.check_action("ban", ())
    peers.table.focus()
    await pilot.press("a", *swarm.seeder.peer_address, "ctrl+s")
    port = int(swarm.seeder.peer_address.rpartition(":")[2])

    def seeder_key() -> str | None:
        return next((k for k, p in peers.peer_sync.peers.items() if p.port == port), None)

    await until(pilot, lambda: seeder_key() is not None, timeout=30, what="the seeder among the peers")
    key = seeder_key()
    assert key is not None
    return key


def start_leeching(swarm: NoxSwarm) -> None:
    # Slow enough to watch (~1.5 MB at 200 KB/s), and no tracker: the peer comes from our own dialog.
    swarm.leecher.add_torrent_file(
        swarm.torrent_path, savepath=str(swarm.leecher.downloads), dlLimit="200000"
    )
    swarm.leecher.wait_for_torrent(swarm.info_hash, lambda t: True, what="added")


@pytest.mark.swarm
async def test_a_real_download_peers_appear_and_pieces_fill(nox_swarm: NoxSwarm) -> None:
    start_leeching(nox_swarm)
    async with panel_on(nox_swarm.leecher, nox_swarm.info_hash, "peers", interval=0.3) as (pilot, app, panel):
        peers = app.query_one(PeersTab)
        key = await connect_to_seeder(pilot, nox_swarm, peers)
        # A peer shows progress 0 until its bitfield has arrived: wait for the seeder's 100 %.
        await until(
            pilot, lambda: peers.peer_sync.peers[key].progress == 1.0, timeout=20, what="seeder at 100 %"
        )
        seeder = peers.peer_sync.peers[key]
        assert "qBittorrent" in seeder.client
        await until(pilot, lambda: peers.table.get_row(key)[2].plain == "100%", what="the row shows it")
        row = peers.table.get_row(key)
        assert row[0].plain == key and row[2].plain == "100%"
        # Relevance (what the peer has that we lack), as the server reports it at this poll.
        assert row[9].plain == fmt.percent(peers.peer_sync.peers[key].relevance)

        panel.select_tab("pieces")
        pieces = app.query_one(PiecesTab)
        seen: list[int] = []

        def progressed() -> bool:
            if not seen or seen[-1] != pieces.summary.have:
                seen.append(pieces.summary.have)
            return pieces.summary.total > 0 and pieces.summary.have == pieces.summary.total

        await until(pilot, progressed, timeout=60, what="every piece")
        assert len(seen) >= 3 and seen == sorted(seen)  # it filled in steps, never went back


@pytest.mark.swarm
async def test_ban_a_real_peer(nox_swarm: NoxSwarm) -> None:
    start_leeching(nox_swarm)
    async with panel_on(nox_swarm.leecher, nox_swarm.info_hash, "peers", interval=0.3) as (
        pilot,
        app,
        _panel,
    ):
        peers = app.query_one(PeersTab)
        key = await connect_to_seeder(pilot, nox_swarm, peers)
        peers.table.move_cursor(row=peers.table.get_row_index(key))
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm")
        await until(pilot, lambda: "127.0.0.1" in _banned(nox_swarm.leecher), timeout=10, what="the ban")


def _banned(nox: NoxInstance) -> str:
    with nox.client() as client:
        return str(client.get("/api/v2/app/preferences").json().get("banned_IPs", ""))
