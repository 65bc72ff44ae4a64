"""`x` exports the .torrent to this machine (asking before it replaces a file), `y` and `Y` copy the
magnet link and the info hash (OSC 52). Export needs 4.5+; copying works on every server."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from qbtui.ui.screens.dialogs import ConfirmDialog
from qbtui.ui.screens.local_save import LocalPathPrompt
from qbtui.util.torrentfile import parse
from tests.support.both_servers import Server
from tests.ui.helpers import until

SIZE = (140, 40)


def last_toast(app) -> str:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications][-1] if app._notifications else ""


async def test_export_one_then_several_without_overwriting(server: Server, tmp_path: Path) -> None:
    app = server.app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.view) >= 4, what="torrents")
        main = app.main_screen
        main.table.move_to_row(0)
        first = main.table.cursor_hash
        assert first is not None
        if server.legacy:
            await pilot.press("x")
            await until(pilot, lambda: "Exporting a .torrent file needs qBittorrent 4.5" in last_toast(app))
            assert not isinstance(app.screen, LocalPathPrompt)
            return
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, LocalPathPrompt), what="the path prompt")
        field = app.screen.query_one(Input)
        name = app.store.torrents[first].name
        assert field.value.endswith(f"{name}.torrent")  # suggested: here, named after the torrent
        target = tmp_path / "out" / "one.torrent"
        field.value = str(target)
        await pilot.press("enter")
        await until(pilot, target.exists, what="the exported file")
        assert parse(target.read_bytes()).info_hash == first
        assert target.stat().st_mode & 0o777 == 0o600  # tracker URLs may hold passkeys

        # Again to the same file: asks, and Cancel leaves it as it is.
        target.write_bytes(b"keep me")
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, LocalPathPrompt))
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the replace question")
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert target.read_bytes() == b"keep me"

        # Two marked: a folder, one file per torrent.
        await pilot.press("space", "space")
        marked = main.table.targets()
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, LocalPathPrompt))
        folder = tmp_path / "many"
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        await until(pilot, lambda: folder.exists() and len(list(folder.iterdir())) == 2, what="two files")
        hashes = {parse(path.read_bytes()).info_hash for path in folder.iterdir()}
        assert hashes == set(marked)
        assert {path.name for path in folder.iterdir()} == {
            f"{app.store.torrents[h].name}.torrent" for h in marked
        }


async def test_copy_magnet_and_hash(server: Server, tmp_path: Path) -> None:
    app = server.app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.view) >= 4, what="torrents")
        main = app.main_screen
        main.table.move_to_row(1)
        hash = main.table.cursor_hash
        assert hash is not None
        torrent = app.store.torrents[hash]
        await pilot.press("y")
        await until(pilot, lambda: app.clipboard.startswith("magnet:?xt=urn:btih:"), what="a magnet link")
        assert hash in app.clipboard.lower()
        if not server.legacy:
            assert app.clipboard == torrent.magnet_uri  # the server's own link
        assert "Copied the magnet link" in last_toast(app)
        await pilot.press("Y")
        await until(pilot, lambda: app.clipboard == hash, what="the info hash")
