"""`N` makes a torrent on the server with the creator (5.0+): the form, its progress, the .torrent
saved here and/or the torrent added to seed, and the task deleted afterwards. 4.5.2 and the legacy
API have no creator: the key says why and opens nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, TextArea

from qbtui.ui.screens.creator import CreatorScreen
from qbtui.util import bencode
from qbtui.util.torrentfile import parse
from tests.api.test_creator_paths_edits import make_source
from tests.support.noxserver import NoxInstance
from tests.ui.helpers import make_app, until

pytestmark = pytest.mark.nox
SIZE = (140, 45)


def app_for(nox: NoxInstance, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_app(nox.url, username=nox.username, password=nox.password, state_dir=tmp_path)


async def test_creator_makes_saves_and_seeds(nox_clean: NoxInstance, tmp_path: Path) -> None:
    source = make_source(tmp_path)
    app = app_for(nox_clean, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(
            pilot, lambda: app.api is not None and app.main_screen.status.info is not None, what="connected"
        )
        await pilot.press("N")
        if not nox_clean.at_least(5):
            await until(pilot, lambda: bool(app._notifications), what="the reason")
            assert "torrent creator needs qBittorrent 5.0" in [n.message for n in app._notifications][-1]
            assert not isinstance(app.screen, CreatorScreen)
            return
        await until(pilot, lambda: isinstance(app.screen, CreatorScreen), what="the creator")
        screen = app.screen
        await until(pilot, screen.keys_ready.is_set, what="the form loaded")
        # Typed into the source field: Tab completes on the server.
        await pilot.press(*f"{tmp_path}/creator-s", "tab")
        assert screen.query_one("#source", Input).value == f"{source}/"
        screen.query_one("#trackers", TextArea).text = "http://127.0.0.1:9/announce\n\nudp://127.0.0.1:10"
        screen.query_one("#web-seeds", TextArea).text = "http://127.0.0.1:12/seed/"
        screen.query_one("#comment", Input).value = "made by qbtui"
        if nox_clean.at_least(5, 1):
            screen.query_one("#source-tag", Input).value = "QBTUI"
        else:
            assert not screen.query("#source-tag")
        screen.query_one("#private", Checkbox).value = True
        saved = tmp_path / "out" / "made.torrent"
        screen.query_one("#save-to", Input).value = str(saved)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, CreatorScreen), timeout=30, what="done")
        meta = parse(saved.read_bytes())
        root = bencode.decode(saved.read_bytes())
        assert isinstance(root, dict)
        assert [[u.decode() for u in tier] for tier in root[b"announce-list"]] == [
            ["http://127.0.0.1:9/announce"],
            ["udp://127.0.0.1:10"],
        ]
        assert meta.web_seeds == ("http://127.0.0.1:12/seed/",) and meta.private
        assert meta.comment == "made by qbtui"
        if nox_clean.at_least(5, 1):
            assert root[b"info"][b"source"] == b"QBTUI"
        # Seeding was ticked: the server added it from the source's folder; the task is gone.
        # A hybrid torrent's id is its v2 hash cut short: find it by its v1 hash.
        await until(
            pilot,
            lambda: any(t.infohash_v1 == meta.info_hash for t in app.store.torrents.values()),
            what="added",
        )
        torrent = next(t for t in app.store.torrents.values() if t.infohash_v1 == meta.info_hash)
        assert Path(torrent.save_path) == tmp_path
        assert await app.api.creator_tasks() == []  # type: ignore[union-attr]
        assert any("Created “creator-src”" in n.message for n in app._notifications)


async def open_form(app, pilot, nox: NoxInstance) -> CreatorScreen | None:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: app.main_screen.status.info is not None, what="connected")
    await pilot.press("N")
    if not nox.at_least(5):
        await until(pilot, lambda: bool(app._notifications), what="the reason")
        assert not isinstance(app.screen, CreatorScreen)
        return None
    await until(pilot, lambda: isinstance(app.screen, CreatorScreen), what="the creator")
    await until(pilot, app.screen.keys_ready.is_set, what="the form loaded")
    return app.screen  # type: ignore[return-value]


async def test_a_failed_creation_says_why_and_leaves_no_task(nox_clean: NoxInstance, tmp_path: Path) -> None:
    app = app_for(nox_clean, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(app, pilot, nox_clean)
        if screen is None:
            return
        screen.query_one("#source", Input).value = str(tmp_path / "not-there")
        await pilot.press("ctrl+s")
        error = screen.query_one("#error")
        await until(
            pilot, lambda: "could not make the torrent" in str(error.render()), timeout=20, what="why"
        )
        await until(pilot, lambda: screen.task_id is None, what="the task forgotten")
        assert await app.api.creator_tasks() == []  # type: ignore[union-attr]
        assert not app.store.torrents
        # Nothing kept: neither seeding nor a file is refused before anything is sent.
        screen.query_one("#seed", Checkbox).value = False
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "would be made and lost" in str(error.render()), what="refused")


async def test_esc_while_hashing_asks_and_interrupts(nox_clean: NoxInstance, tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.mkdir()
    with (big / "sparse.bin").open("wb") as handle:
        handle.truncate(8 * 1024**3)  # sparse: nothing on disk, seconds of hashing
    app = app_for(nox_clean, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(app, pilot, nox_clean)
        if screen is None:
            return
        screen.query_one("#source", Input).value = str(big)
        await pilot.press("ctrl+s")
        bar = screen.query_one("#progress")
        await until(
            pilot, lambda: screen.task_id is not None and bar.progress > 0, timeout=30, what="progress"
        )
        from qbtui.ui.screens.dialogs import ConfirmDialog

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        app.screen.query_one("#confirm").press()
        await until(pilot, lambda: app.screen is app.main_screen, what="closed")
        api = app.api
        assert api is not None
        for _ in range(50):
            if not await api.creator_tasks():
                break
            await pilot.pause(0.1)
        assert await api.creator_tasks() == []
        await pilot.pause(1.0)
        assert not await api.torrents()  # interrupted: nothing was added
