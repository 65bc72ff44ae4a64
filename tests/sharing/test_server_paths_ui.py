"""Paths on the server complete with Tab and browse with ctrl+o where the server lists folders (5.0+),
in the move prompt (m) and the add dialog, and say how much room is left there. On 4.5.2 and the
legacy API Tab moves on as in any field, and the line under the field says why."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from qbtui.ui.screens.add_torrents import AddTorrentsScreen
from qbtui.ui.screens.server_browser import ServerBrowser
from qbtui.ui.screens.server_path_prompt import ServerPathPrompt
from qbtui.ui.widgets.server_path import FreeSpace
from tests.support.both_servers import Server
from tests.ui.helpers import until

SIZE = (140, 45)


def listing(server: Server, app) -> bool:  # type: ignore[no-untyped-def]
    return not server.legacy and app.api.info.v2_at_least(2, 11)


async def test_move_prompt_completes_browses_and_moves(server: Server, tmp_path: Path) -> None:
    (tmp_path / "target-folder" / "inner").mkdir(parents=True)
    (tmp_path / "tarball").mkdir()
    app = server.app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.view) >= 4, what="torrents")
        main = app.main_screen
        main.table.move_to_row(0)
        hash = main.table.cursor_hash
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ServerPathPrompt), what="the move prompt")
        prompt = app.screen
        field = prompt.query_one("#value", Input)
        free = prompt.query_one(FreeSpace)
        await pilot.press("ctrl+u", *f"{tmp_path}/targ", "tab")
        if not listing(server, app):
            # Nothing completes: Tab moved on, and the line says why.
            assert field.value == f"{tmp_path}/targ" and not field.has_focus
            await until(pilot, lambda: "completion" in free.said or "browsing" in free.said, what="why")
            assert "5.0" in free.said
            await pilot.press("ctrl+o")  # on the button now: nothing to browse, nothing breaks
            return
        assert field.value == f"{tmp_path}/target-folder/"
        if app.api.info.v2_at_least(2, 15, 2):
            await until(pilot, lambda: "free there" in free.said, what="the free space")
        else:
            await until(pilot, lambda: "default save path" in free.said or free.said == "", what="a line")
        # ctrl+o browses from what is typed; Enter opens a folder, ctrl+s picks the one shown.
        await pilot.press("ctrl+o")
        await until(
            pilot, lambda: isinstance(app.screen, ServerBrowser) and app.screen.folder != "", what="browser"
        )
        browser = app.screen
        assert browser.folder == f"{tmp_path}/target-folder/" or browser.folder == f"{tmp_path}/target-folder"
        names = [str(o.prompt) for o in browser.query_one(OptionList)._options]
        assert names == [".. (up)", "inner/"]
        await pilot.press("down", "enter")
        await until(pilot, lambda: browser.folder.rstrip("/").endswith("inner"), what="inside inner")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is prompt, what="back in the prompt")
        assert field.value.rstrip("/") == f"{tmp_path}/target-folder/inner"
        await pilot.press("enter")
        await until(
            pilot,
            lambda: app.store.torrents[hash].save_path.rstrip("/") == f"{tmp_path}/target-folder/inner",
            timeout=20,
            what="moved",
        )


async def test_add_dialog_save_path_completes_on_the_server(server: Server, tmp_path: Path) -> None:
    (tmp_path / "downloads-here").mkdir()
    app = server.app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.view) >= 4, what="torrents")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddTorrentsScreen), what="the add dialog")
        dialog = app.screen
        field = dialog.query_one("#save-path", Input)
        field.focus()
        await pilot.pause()
        await pilot.press(*f"{tmp_path}/down", "tab")
        if listing(server, app):
            assert field.value == f"{tmp_path}/downloads-here/"
        else:
            assert field.value == f"{tmp_path}/down"
        await pilot.press("escape")
