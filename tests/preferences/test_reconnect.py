"""The user moves the WebUI port or changes its credentials; the app follows them by itself."""

from __future__ import annotations

import httpx

from qbtui.api import ConnectionSettings, connect, errors
from qbtui.api.target import ServerTarget
from qbtui.model.sync import LinkState
from qbtui.ui.screens.dialogs import ConfirmDialog
from qbtui.ui.screens.preferences import PreferencesScreen
from tests.preferences.harness import type_into
from tests.support.noxserver import free_port
from tests.ui.helpers import make_app, until


async def change_connection(pilot, values: dict[str, str]) -> None:
    """Open preferences with `,`, type the values, save and accept the connection warning."""
    app = pilot.app
    await until(pilot, lambda: app.poller.polls > 0, timeout=20, what="first poll")
    await pilot.press("comma")
    await until(pilot, lambda: isinstance(app.screen, PreferencesScreen), what="preferences")
    screen = app.screen
    assert isinstance(screen, PreferencesScreen)
    await until(pilot, lambda: screen._loaded, timeout=20, what="preferences loaded")
    for key, text in values.items():
        await type_into(pilot, screen, key, text)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="connection warning")
    app.screen.query_one("#confirm").press()


async def test_legacy_credentials_change_is_followed(sim_server) -> None:
    app = make_app(sim_server.url, interval=0.2)
    async with app.run_test(size=(140, 45)) as pilot:
        await change_connection(pilot, {"web_ui_username": "carol", "web_ui_password": "legacy-n3w"})
        assert isinstance(app.connector, ServerTarget)
        await until(pilot, lambda: app.connector.settings.username == "carol", what="retargeted")  # type: ignore[union-attr]
        polls = app.poller.polls
        await until(
            pilot,
            lambda: app.poller.polls > polls + 2 and app.main_screen.status.link is LinkState.LIVE,
            timeout=20,
            what="polling with the new login",
        )
    api = await connect(ConnectionSettings(url=sim_server.url, username="carol", password="legacy-n3w"))
    await api.close()
    try:
        await connect(ConnectionSettings(url=sim_server.url, username="admin", password="adminadmin"))
    except errors.BadCredentials:
        pass
    else:
        raise AssertionError("the old login still works")


async def test_saving_a_new_port_username_and_password_reconnects_with_them(nox_factory) -> None:
    nox = nox_factory()
    app = make_app(nox.url, username=nox.username, password=nox.password, interval=0.3)
    new_port = free_port()
    new_password = "n3w-Passw0rd-for-qbtui"
    async with app.run_test(size=(140, 45)) as pilot:
        await change_connection(
            pilot, {"web_ui_port": str(new_port), "web_ui_username": "alice", "web_ui_password": new_password}
        )
        assert isinstance(app.connector, ServerTarget)
        await until(
            pilot,
            lambda: app.connector.settings.base_url == f"http://127.0.0.1:{new_port}/",  # type: ignore[union-attr]
            timeout=20,
            what="retargeted",
        )
        polls = app.poller.polls
        await until(
            pilot,
            lambda: app.poller.polls > polls + 2 and app.main_screen.status.link is LinkState.LIVE,
            timeout=30,
            what="polling the moved server",
        )
        assert app.connector.settings.username == "alice"
    # The server really moved, and only the new credentials open it.
    moved = ConnectionSettings(url=f"http://127.0.0.1:{new_port}", username="alice", password=new_password)
    api = await connect(moved)
    try:
        prefs = await api.preferences()
        assert prefs.get("web_ui_port") == new_port and prefs.get("web_ui_username") == "alice"
    finally:
        await api.close()
    stale = ConnectionSettings(url=f"http://127.0.0.1:{new_port}", username="alice", password=nox.password)
    try:
        await connect(stale)
    except errors.BadCredentials:
        pass
    else:
        raise AssertionError("the old password still works")
    try:
        httpx.get(nox.url, timeout=2)
    except httpx.TransportError:
        pass  # the old port is closed
    else:
        raise AssertionError("the old port still answers")
