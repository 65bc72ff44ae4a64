"""Keys typed ahead go, in order, to the input or dialog the key before them opened; nothing typed
ahead reaches the screen beneath (issue 14). Every test delivers its keys in one go (type_ahead)."""

from __future__ import annotations

import asyncio

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


async def test_add_typed_ahead_lands_in_the_links_box(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        sent = await spy(app, "add")
        link = "magnet:?xt=urn:btih:" + "ab" * 20
        type_ahead(app, "a", *link, "ctrl+s")
        await until(pilot, lambda: bool(sent), what="the add")
        assert sent[0][1][0] == [link]


async def test_category_typed_ahead_picks_the_named_one(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        sent = await spy(app, "set_category", "create_category")
        hash = app.main_screen.table.cursor_hash
        type_ahead(app, "C", *"book", "enter")
        await until(pilot, lambda: bool(sent), what="the category")
        assert sent == [("set_category", ([hash], "books"))]


async def test_a_new_category_typed_ahead_is_created(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        sent = await spy(app, "set_category", "create_category")
        hash = app.main_screen.table.cursor_hash
        type_ahead(app, "C", *"bookish", "enter")
        await until(pilot, lambda: len(sent) == 2, what="created and set")
        assert sent == [("create_category", ("bookish",)), ("set_category", ([hash], "bookish"))]


async def test_global_limit_typed_ahead_waits_for_the_form_to_load(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        sent = await spy(app, "set_global_download_limit", "set_global_upload_limit")
        type_ahead(app, "S", "ctrl+u", *"2M", "enter")
        await until(pilot, lambda: bool(sent), what="the limit")
        assert sent == [("set_global_download_limit", (2 * 1024 * 1024,))]


async def test_escape_typed_while_a_form_loads_cancels_it_and_drops_the_keys(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        api = app.api
        assert api is not None
        sent = await spy(app, "set_global_download_limit", "pause", "set_auto_management")
        real = api.global_download_limit
        gate = asyncio.Event()

        async def slow() -> int | None:
            await gate.wait()
            return await real()

        api.global_download_limit = slow  # type: ignore[method-assign]
        type_ahead(app, "S", *"2pM", "escape")
        await until(pilot, lambda: app.screen is not app.main_screen, what="the form")
        await until(pilot, lambda: app.screen is app.main_screen, what="the form cancelled")
        gate.set()
        await pilot.pause(0.5)
        assert app.screen is app.main_screen and not sent


async def test_preferences_typed_ahead_edit_the_first_field(sim_server, tmp_path) -> None:
    from qbtui.ui.screens.preferences import PreferencesScreen

    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        type_ahead(app, "comma", "end", *"/sub")
        await until(pilot, lambda: isinstance(app.screen, PreferencesScreen) and app.screen.form is not None)
        prefs = app.screen
        def edited() -> str:
            changes = prefs.form.changes() if prefs.form is not None else {}
            return str(next(iter(changes.values()), ""))

        await until(pilot, lambda: edited().endswith("/sub"), what=f"the typed edit (have {edited()!r})")
        ((key, value),) = prefs.form.changes().items()
        assert str(value).endswith("/sub") and str(prefs.form.original[key]) + "/sub" == str(value)


async def test_categories_n_typed_ahead_creates_and_highlights_the_new_one(sim_server, tmp_path) -> None:
    from qbtui.ui.screens.categories import CategoriesScreen

    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        sent = await spy(app, "set_category")
        hash = app.main_screen.table.cursor_hash
        type_ahead(app, "K", "n", *"zz-new", "enter")
        await until(pilot, lambda: isinstance(app.screen, CategoriesScreen), what="the categories dialog")
        screen = app.screen
        await until(pilot, lambda: screen.selected() == "zz-new", what="the new category highlighted")
        type_ahead(app, "enter")
        await until(pilot, lambda: bool(sent), what="assigned")
        assert sent == [("set_category", ([hash], "zz-new"))]


async def test_servers_add_typed_ahead_fills_the_address(sim_server, tmp_path) -> None:
    from qbtui.ui.screens.connection import ConnectionScreen

    app = make_app(sim_server.url, state_dir=tmp_path, config_path=tmp_path / "config.toml")
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)
        type_ahead(app, "W", "a", *"127.0.0.1:9")
        await until(
            pilot,
            lambda: isinstance(app.screen, ConnectionScreen) and app.screen.adding and app.screen.is_mounted,
            what="the add-server dialog",
        )
        adding = app.screen
        # The screen is current a moment before its fields are mounted.
        await until(pilot, lambda: bool(adding.query("#connection-url")), what="the address field")
        url = adding.query_one("#connection-url", Input)
        await until(pilot, lambda: url.value == "http://127.0.0.1:9", what=f"address: {url.value!r}")
        assert app.focused is url
        assert not adding.query("#connection-quit"), "adding a server has no Quit button"


async def test_connection_screen_takes_a_new_address_typed_in_one_go(sim_server, tmp_path) -> None:
    from qbtui.ui.screens.connection import ConnectionScreen
    from tests.ui.helpers import connection_screen

    app = make_app("http://127.0.0.1:9", state_dir=tmp_path)  # nothing listens there
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await connection_screen(pilot, timeout=20)
        assert isinstance(screen, ConnectionScreen)
        type_ahead(app, "ctrl+u", *sim_server.url, "enter")
        await until(pilot, lambda: len(app.view) > 0, timeout=20, what="data from the typed address")
