"""PreferencesScreen against the legacy simulator and a real qbittorrent-nox: change three preferences
through the form and read them back, refuse bad input with a reason, keep passwords masked."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static, Switch, TabbedContent, TextArea

from qbtui.api import ConnectionSettings, connect
from qbtui.ui.screens.dialogs import ConfirmDialog
from qbtui.ui.screens.preferences import PreferencesScreen, control_id
from tests.preferences.harness import PrefsHarness, loaded, show_tab, type_into, until
from tests.support.noxfix import nox_for, nox_params


@pytest.fixture(params=["legacy", *nox_params("v2")])
def server(request: pytest.FixtureRequest) -> tuple[str, str, str]:
    if request.param == "legacy":
        sim = request.getfixturevalue("sim_server")
        return sim.url, "admin", "adminadmin"
    nox = nox_for(request)
    return nox.url, nox.username, nox.password


def error_text(screen: PreferencesScreen, key: str) -> str:
    return str(screen.query_one(f"#err-{control_id(key)}", Static).content)


async def read_back(url: str, username: str, password: str) -> dict:
    api = await connect(ConnectionSettings(url=url, username=username, password=password))
    try:
        return (await api.preferences()).values
    finally:
        await api.close()


async def test_change_three_preferences_and_read_back(server: tuple[str, str, str]) -> None:
    url, username, password = server
    before = await read_back(url, username, password)
    app = PrefsHarness(url, username, password)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await loaded(pilot)
        calls = record_saves(app)

        await type_into(pilot, screen, "max_active_torrents", "17")
        await type_into(pilot, screen, "alt_dl_limit", "2.5M")
        await show_tab(pilot, screen, "encryption")
        screen.query_one(f"#{control_id('encryption')}", Select).value = 2
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause(0.5)
        await until(pilot, lambda: bool(calls) and not screen._saving, what="save")
        await pilot.pause(0.2)
        assert calls == [{"max_active_torrents": 17, "alt_dl_limit": 2621440, "encryption": 2}]
        assert app.reconnects == 0
    after = await read_back(url, username, password)
    assert after["max_active_torrents"] == 17
    assert after["alt_dl_limit"] == 2621440
    assert after["encryption"] == 2
    assert before["max_active_torrents"] != 17


async def test_bad_input_is_refused_with_a_reason(server: tuple[str, str, str]) -> None:
    url, username, password = server
    app = PrefsHarness(url, username, password)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await loaded(pilot)
        calls: list[dict] = []

        async def spy(changes: dict) -> None:
            calls.append(changes)

        assert app.api is not None
        app.api.set_preferences = spy  # type: ignore[method-assign]
        port = await type_into(pilot, screen, "web_ui_port", "70000")
        assert "65535" in error_text(screen, "web_ui_port")
        assert port.has_class("-invalid")
        await type_into(pilot, screen, "dl_limit", "-5K")
        assert "negative" in error_text(screen, "dl_limit")
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert calls == []
        status = str(screen.query_one("#prefs-status", Static).content)
        assert status.startswith("Not saved:") and "(+1 more)" in status
        # fixing the input clears the message
        await type_into(pilot, screen, "dl_limit", "0")
        assert error_text(screen, "dl_limit") == ""


async def test_passwords_masked_and_not_prefilled(server: tuple[str, str, str]) -> None:
    url, username, password = server
    app = PrefsHarness(url, username, password)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await loaded(pilot)
        assert screen.form is not None
        for key in ("web_ui_password", "proxy_password"):
            if key not in screen.form.original and key != "web_ui_password":
                continue
            if key not in screen.form.original:
                continue
            await show_tab(pilot, screen, key)
            box = screen.query_one(f"#{control_id(key)}", Input)
            assert box.password and box.value == ""
        # the MD5 (legacy) appears nowhere on screen
        md5 = screen.form.original.get("web_ui_password")
        if md5:
            assert all(md5 not in box.value for box in screen.query(Input))
        # a switch exists for a bool key
        await show_tab(pilot, screen, "dht")
        assert isinstance(screen.query_one(f"#{control_id('dht')}"), Switch)


async def test_connection_keys_ask_then_reconnect(sim_server) -> None:
    app = PrefsHarness(sim_server.url)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await loaded(pilot)
        calls: list[dict] = []

        async def spy(changes: dict) -> None:
            calls.append(changes)

        assert app.api is not None
        app.api.set_preferences = spy  # type: ignore[method-assign]
        await type_into(pilot, screen, "web_ui_password", "n3w-secret")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="confirm")
        await pilot.press("escape")  # no: nothing sent
        await pilot.pause(0.1)
        assert calls == [] and app.reconnects == 0
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="confirm again")
        app.screen.query_one("#confirm").press()
        await until(pilot, lambda: app.reconnects == 1, what="reconnect")
        assert calls == [{"web_ui_password": "n3w-secret"}]
        assert screen.query_one(f"#{control_id('web_ui_password')}", Input).value == ""


async def test_escape_asks_when_unsaved(sim_server) -> None:
    app = PrefsHarness(sim_server.url)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await loaded(pilot)
        await type_into(pilot, screen, "max_active_downloads", "9")
        screen.focus_next()  # leave the input so escape reaches the screen
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="discard?")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="discard? again")
        app.screen.query_one("#confirm").press()
        await until(
            pilot, lambda: not isinstance(app.screen, (ConfirmDialog, PreferencesScreen)), what="closed"
        )


async def test_tabs_follow_qbittorrent_groups(sim_server) -> None:
    app = PrefsHarness(sim_server.url)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await loaded(pilot)
        tabs = screen.query_one(TabbedContent)
        ids = [pane.id for pane in tabs.query("TabPane")]
        assert ids[:5] == ["tab-downloads", "tab-connection", "tab-speed", "tab-bittorrent", "tab-web_ui"]


async def test_all_server_keys_have_a_control(server: tuple[str, str, str]) -> None:
    url, username, password = server
    app = PrefsHarness(url, username, password)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await loaded(pilot)
        assert screen.form is not None
        values = screen.form.original
        for key in values:
            if key == "download_in_scan_dirs":
                continue
            assert screen.query(f"#{control_id(key)}"), key
        panes = {pane.id for pane in screen.query("TabPane")}
        if app.api is not None and not app.api.info.is_legacy:
            assert {"tab-advanced", "tab-other"} <= panes
            assert "web_ui_password" not in values or not values["web_ui_password"]
        assert screen.form.errors == {}


async def test_watched_folders_round_trip(server: tuple[str, str, str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import TextArea

    url, username, password = server
    watch = tmp_path / "watch"
    watch.mkdir()
    app = PrefsHarness(url, username, password)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await loaded(pilot)
        await show_tab(pilot, screen, "scan_dirs")
        area = screen.query_one(f"#{control_id('scan_dirs')}", TextArea)
        area.text = f"{watch} = default"
        await pilot.pause(0.1)
        assert screen.form is not None
        assert screen.form.changes() == {"scan_dirs": {str(watch): 1}}
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen._status.startswith("Saved"), what="saved")
    after = await read_back(url, username, password)
    assert after["scan_dirs"] == {str(watch): 1}


async def test_subnet_whitelist_and_banned_ips_round_trip(server: tuple[str, str, str]) -> None:
    """Lists are typed one per line; the subnet whitelist goes out comma-separated (spec), the
    banned IPs newline-separated, and both come back as the same entries."""
    url, username, password = server
    app = PrefsHarness(url, username, password)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await loaded(pilot)
        calls = record_saves(app)
        await show_tab(pilot, screen, "bypass_auth_subnet_whitelist")
        screen.query_one(f"#{control_id('bypass_auth_subnet_whitelist')}", TextArea).text = (
            "10.0.0.0/8\n\n192.168.1.0/24\n"
        )
        await show_tab(pilot, screen, "banned_IPs")
        screen.query_one(f"#{control_id('banned_IPs')}", TextArea).text = "203.0.113.7\n198.51.100.9"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(calls) and not screen._saving, what="save")
    assert calls[0]["bypass_auth_subnet_whitelist"] == "10.0.0.0/8,192.168.1.0/24"
    after = await read_back(url, username, password)
    subnets = [s.strip() for s in after["bypass_auth_subnet_whitelist"].replace(",", "\n").splitlines()]
    assert subnets == ["10.0.0.0/8", "192.168.1.0/24"]
    if "banned_IPs" in calls[0]:
        assert calls[0]["banned_IPs"] == "203.0.113.7\n198.51.100.9"
        banned = [s.strip() for s in after["banned_IPs"].replace(",", "\n").splitlines()]
        assert sorted(banned) == ["198.51.100.9", "203.0.113.7"]  # qBittorrent keeps them sorted


def record_saves(app: PrefsHarness) -> list[dict]:
    """Every set_preferences call, recorded, and still sent to the server."""
    calls: list[dict] = []
    assert app.api is not None
    real = app.api.set_preferences

    async def spy(changes: dict) -> None:
        calls.append(dict(changes))
        await real(changes)

    app.api.set_preferences = spy  # type: ignore[method-assign]
    return calls
