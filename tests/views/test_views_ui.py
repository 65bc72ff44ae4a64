"""Saved views on the main screen, against both server generations: number keys switch (and keep the
cursor), filter + sidebar + sort + columns apply, ctrl+s saves to the config, v lists and deletes,
and broken views are reported instead of applied."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from textual.widgets import Input

from qbtui.model.columns import DEFAULT_COLUMNS
from qbtui.settings.config import load_config
from qbtui.settings.saved_views import SavedView
from qbtui.ui.app import QbtuiApp
from qbtui.ui.screens.dialogs import ConfirmDialog
from qbtui.ui.screens.saved_views import SavedViewCommands, SaveViewDialog, ViewsScreen
from qbtui.ui.widgets.log_pane import LogPane
from tests.support.both_servers import Server
from tests.ui.helpers import make_app, palette_offers, until

SIZE = (140, 40)

CONFIG = """\
# my config
[views.early]
key = 1
filter = "name:~^[a-e]"
sort = "size"
reverse = true
columns = ["name", "size", "state"]

[views.paused]
key = 2
status = "paused"

[views.broken]
key = 3
filter = "size>lots"

[keymap]
"view.sort" = "s"   # mine
"""


def views_app(server: Server, tmp_path: Path, text: str = CONFIG, **options: object) -> tuple[QbtuiApp, Path]:
    path = tmp_path / "config.toml"
    path.write_text(text)
    config = load_config(path)
    app = make_app(
        server.url,
        username=server.username,
        password=server.password,
        state_dir=tmp_path,
        config_path=path,
        views=list(config.views.values()),
        view_warnings=config.view_warnings,
        **options,  # type: ignore[arg-type]
    )
    return app, path


async def started(app: QbtuiApp, pilot) -> None:  # type: ignore[no-untyped-def]
    table = app.main_screen.table
    await until(pilot, lambda: len(app.view) > 0 and table.cursor_hash is not None, what="first data")


def early_hashes(app: QbtuiApp) -> set[str]:
    return {h for h, t in app.store.torrents.items() if re.match(r"(?i)[a-e]", t.name)}


def status_line(app: QbtuiApp) -> str:
    return app.main_screen.status.compose_text().plain


async def test_number_keys_switch_views_and_keep_the_cursor(server: Server, tmp_path: Path) -> None:
    app, _ = views_app(server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        screen, table = app.main_screen, app.main_screen.table
        total = len(app.view)
        early = early_hashes(app)
        assert 0 < len(early) < total
        chosen = sorted(early)[0]
        table.move_to_hash(chosen)

        await pilot.press("1")
        assert screen.active_view is not None and screen.active_view.name == "early"
        assert set(app.view.order) == early
        assert (app.view.sort_column, app.view.reverse) == ("size", True)
        assert table.columns == ["name", "size", "state"]
        assert table.cursor_hash == chosen
        box = screen.query_one("#name-filter", Input)
        assert box.value == "name:~^[a-e]" and box.has_class("-visible") and not box.has_focus
        assert " 1 early " in status_line(app)
        # The user's own sort and columns stay what they were: the view only overlays them.
        assert app.ui_state.sort_column == "name" and app.ui_state.columns == list(DEFAULT_COLUMNS)

        await pilot.press("r")  # changed while the view is on: marked, and not remembered as the user's
        assert " 1 early* " in status_line(app) and app.ui_state.sort_reverse is False

        await pilot.press("1")  # the active view's key again: back to the default view
        assert screen.active_view is None and len(app.view) == total
        assert (app.view.sort_column, app.view.reverse) == ("name", False)
        assert table.columns == list(DEFAULT_COLUMNS) and table.cursor_hash == chosen
        assert box.value == "" and not box.has_class("-visible") and "early" not in status_line(app)

        await pilot.press("2")
        paused = {h for h, t in app.store.torrents.items() if t.state.is_paused}
        assert set(app.view.order) == paused and app.view.status == "paused"
        assert screen.sidebar.selected["status"] == "paused"
        assert (app.view.sort_column, table.columns) == (
            "name",
            list(DEFAULT_COLUMNS),
        )  # left out: the user's

        await pilot.press("1")  # straight from one view to another: nothing of the first stays
        assert app.view.status == "all" and set(app.view.order) == early
        assert screen.sidebar.selected["status"] == "all"

        await pilot.press("0")
        assert screen.active_view is None and len(app.view) == total and app.view.expression is None


async def test_save_the_current_view_writes_the_config_and_round_trips(
    server: Server, tmp_path: Path
) -> None:
    app, path = views_app(server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        screen = app.main_screen
        await pilot.press("slash", *"!name:~^[a-e]", "enter")
        await pilot.press("greater_than_sign", "r")  # sort by the next column, descending
        expected_order = list(app.view.order)
        assert expected_order and len(expected_order) < len(app.store.torrents)

        await pilot.press("ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, SaveViewDialog)
        assert dialog.query_one("#key", Input).value == "4"  # the first free key
        await pilot.press(*"not early", "enter")
        await until(pilot, lambda: not isinstance(app.screen, SaveViewDialog), what="dialog closed")

        config = load_config(path)
        saved = config.views["not early"]
        assert saved == SavedView(
            "not early",
            key=4,
            filter="!name:~^[a-e]",
            sort="size",
            reverse=True,
            columns=tuple(DEFAULT_COLUMNS),
        )
        text = path.read_text()
        assert text.startswith(CONFIG) and stat.S_IMODE(path.stat().st_mode) == 0o600
        assert screen.active_view == saved and " 4 not early " in status_line(app)

        await pilot.press("0")
        assert len(app.view) == len(app.store.torrents)
        await pilot.press("4")
        assert list(app.view.order) == expected_order and (app.view.sort_column, app.view.reverse) == (
            "size",
            True,
        )

        # Saved again on key 1: "early" gives its key up, in the file too.
        await pilot.press("ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, SaveViewDialog)
        assert dialog.query_one("#name", Input).value == "not early"
        dialog.query_one("#key", Input).value = "1"
        await pilot.pause()
        note = str(dialog.query_one("#note").render())
        assert "Replaces the saved view “not early”" in note and "Key 1 moves from “early”" in note
        await pilot.click("#confirm")
        await until(pilot, lambda: not isinstance(app.screen, SaveViewDialog), what="dialog closed")
        config = load_config(path)
        assert config.views["not early"].key == 1 and config.views["early"].key is None
        assert path.read_text().count("[views.") == 4
        await pilot.press("0", "1")
        assert screen.active_view is not None and screen.active_view.name == "not early"


async def test_broken_views_are_reported_not_applied(server: Server, tmp_path: Path) -> None:
    app, path = views_app(server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        screen = app.main_screen
        startup = [n.message for n in app._notifications if n.title == "Configuration"]
        assert any("line 15" in m and "views.broken.filter" in m for m in startup), startup

        await pilot.press("3")
        await until(pilot, lambda: any("cannot be used" in n.title for n in app._notifications))
        assert screen.active_view is None and len(app.view) == len(app.store.torrents)
        await pilot.press("5")
        await until(pilot, lambda: any("No view on 5" in n.message for n in app._notifications))

        # A config broken since the start is never written over.
        broken = CONFIG + "\n[views.oops]\nkey = 12\n"
        path.write_text(broken)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SaveViewDialog)
        await pilot.press(*"x", "enter")
        await until(pilot, lambda: any(n.title == "View not saved" for n in app._notifications))
        message = next(n.message for n in app._notifications if n.title == "View not saved")
        assert "line 21" in message and "views.oops.key" in message
        assert path.read_text() == broken


async def test_number_keys_type_into_the_filter_and_stay_the_log_panes(sim_server, tmp_path: Path) -> None:
    app, _ = views_app(Server(sim_server.url, "admin", "adminadmin", True), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        screen = app.main_screen
        await pilot.press("slash", "1", "2")
        assert screen.query_one("#name-filter", Input).value == "12" and screen.active_view is None
        await pilot.press("escape", "L")
        log = screen.query_one(LogPane)
        log.view.focus()
        await pilot.pause()
        before = log.levels
        await pilot.press("1")
        assert log.levels != before and screen.active_view is None
        screen.table.focus()
        await pilot.press("1")
        assert screen.active_view is not None and screen.active_view.name == "early"


async def test_the_views_list_switches_deletes_and_the_palette_offers_them(
    sim_server, tmp_path: Path
) -> None:
    app, path = views_app(Server(sim_server.url, "admin", "adminadmin", True), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        screen = app.main_screen
        titles = [title for title, _ in SavedViewCommands(screen)._commands()]
        assert titles == ["view: switch to early", "view: switch to paused"]  # not the broken one

        await pilot.press("v")
        assert isinstance(app.screen, ViewsScreen)
        await pilot.press("down", "down", "enter")  # default, early, paused
        assert screen.active_view is not None and screen.active_view.name == "paused"

        await pilot.press("v")
        assert isinstance(app.screen, ViewsScreen)
        await pilot.press("d")  # the active one is highlighted
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm")
        await until(pilot, lambda: isinstance(app.screen, ViewsScreen), what="back in the list")
        assert "paused" not in load_config(path).views and "paused" not in app.saved_views
        assert screen.active_view is None and app.view.status == "all"
        assert "# my config" in path.read_text()
        await pilot.press("escape")

        await pilot.press("ctrl+p")
        await pilot.press(*"switch to early")
        await palette_offers(pilot, "view: switch to early")
        await pilot.press("enter")
        await until(pilot, lambda: screen.active_view is not None, what="switched from the palette")
        assert screen.active_view is not None and screen.active_view.name == "early"


async def test_views_work_read_only_and_their_keys_can_be_remapped(sim_server, tmp_path: Path) -> None:
    server = Server(sim_server.url, "admin", "adminadmin", True)
    app, path = views_app(
        server, tmp_path, read_only=True, keymap={"view.saved-1": "f5", "views.delete": "x"}
    )
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert not [p for p in app.startup_problems if "keymap" in p]  # the list's ids are known too
        screen = app.main_screen
        await pilot.press("v")
        assert isinstance(app.screen, ViewsScreen)
        await pilot.press("down", "x")  # "early"; the list's delete, remapped: it asks first
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="delete asks")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ViewsScreen), what="back in the list")
        await pilot.press("escape")
        await pilot.press("1")  # remapped away
        assert screen.active_view is None
        await pilot.press("f5")
        assert screen.active_view is not None and screen.active_view.name == "early"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SaveViewDialog)
        await pilot.press("ctrl+u", *"ro", "enter")  # the name starts as the view's own: cleared first
        await until(pilot, lambda: "ro" in load_config(path).views, what="saved while read-only")
