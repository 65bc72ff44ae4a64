"""Keys typed ahead go, in order, to the input or dialog the key before them opened; nothing typed
ahead reaches the screen beneath (issue 14). Every test delivers its keys in one go (type_ahead)."""

from __future__ import annotations

from textual.widgets import Input

from qbtui.ui.screens.dialogs import DeleteDialog, TextPrompt
from tests.keys.typing import type_ahead
from tests.ui.helpers import make_app, until


async def started(pilot, app) -> None:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: len(app.view) > 0 and app.main_screen.table.cursor_hash is not None)


async def test_slash_then_text_types_into_the_filter_box(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        type_ahead(app, *"/deb")
        box = app.main_screen.query_one("#name-filter", Input)
        await until(pilot, lambda: box.value == "deb", what=f"'deb' in the filter box (have {box.value!r})")
        await pilot.pause(0.2)
        assert app.screen is app.main_screen, f"a dialog opened: {app.screen!r}"
        assert box.value == "deb"


async def spy(app, *names: str) -> list[tuple[str, tuple]]:  # type: ignore[no-untyped-def]
    """Record the API calls `names` instead of sending them."""
    sent: list[tuple[str, tuple]] = []
    api = app.api
    assert api is not None
    for name in names:

        async def record(*args, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            sent.append((_name, args))

        setattr(api, name, record)
    return sent


async def test_move_end_and_typed_path_extend_the_current_path(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        sent = await spy(app, "set_location")
        torrent = app.store.torrents[app.main_screen.table.cursor_hash]
        type_ahead(app, "m", "end", *"/linux", "enter")
        await until(pilot, lambda: bool(sent), what="set_location")
        assert sent == [("set_location", ([torrent.hash], torrent.save_path + "/linux"))]


async def test_ctrl_u_clears_a_prefilled_field_before_typing(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        sent = await spy(app, "set_location")
        torrent = app.store.torrents[app.main_screen.table.cursor_hash]
        type_ahead(app, "m", "ctrl+u", *"/srv/new", "enter")
        await until(pilot, lambda: bool(sent), what="set_location")
        assert sent == [("set_location", ([torrent.hash], "/srv/new"))]


async def test_a_prefilled_value_is_not_selected_typing_appends(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        sent = await spy(app, "rename")
        torrent = app.store.torrents[app.main_screen.table.cursor_hash]
        type_ahead(app, "n", *" (copy)", "enter")
        await until(pilot, lambda: bool(sent), what="rename")
        assert sent == [("rename", (torrent.hash, torrent.name + " (copy)"))]


async def test_limits_typed_ahead_land_in_the_download_field(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        sent = await spy(app, "set_torrent_download_limit", "set_torrent_upload_limit")
        hash = app.main_screen.table.cursor_hash
        type_ahead(app, "l", "ctrl+u", *"512K", "tab", "ctrl+u", *"1M", "enter")
        await until(pilot, lambda: len(sent) == 2, what="both limits")
        assert sent == [
            ("set_torrent_download_limit", ([hash], 512 * 1024)),
            ("set_torrent_upload_limit", ([hash], 1024 * 1024)),
        ]


async def test_filter_then_enter_then_a_key_acts_on_the_table(sim_server, tmp_path) -> None:
    """Enter leaves the filter box: the key after it is a command again, not filter text."""
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        type_ahead(app, *"/big", "enter", "d")
        await until(pilot, lambda: isinstance(app.screen, DeleteDialog), what="the delete dialog")
        assert app.main_screen.query_one("#name-filter", Input).value == "big"
        assert all("big" in t.name.casefold() for t in app.main_screen.chosen()[0])


async def test_filter_text_with_command_letters_never_opens_a_dialog(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        sent = await spy(app, "pause", "resume", "delete", "rename", "set_location")
        type_ahead(app, *"/dpmnlcq")
        box = app.main_screen.query_one("#name-filter", Input)
        await until(pilot, lambda: box.value == "dpmnlcq", what=f"the text typed (have {box.value!r})")
        await pilot.pause(0.3)
        assert app.screen is app.main_screen and not sent
        assert not isinstance(app.screen, TextPrompt)
