"""Several servers: the overview shows each one's state and speeds; switching between the legacy
simulator and a real qbittorrent-nox swaps the data without restarting and without new logins."""

from __future__ import annotations

from textual.widgets import DataTable

from qbtui.api.base import QbtApi
from qbtui.settings.config import ServerConfig
from qbtui.settings.passwords import PasswordSource
from qbtui.ui.screens.servers import ServersScreen
from tests.support.noxserver import make_sample_torrent
from tests.ui.helpers import connection_screen, make_app, until


def cell_text(table: DataTable, row: str, column: int) -> str:  # type: ignore[type-arg]
    return str(table.get_row(row)[column])


async def test_overview_and_switching_between_sim_and_nox(
    sim_server, nox_clean, tmp_path, monkeypatch
) -> None:
    logins: list[str] = []
    real_login = QbtApi.login

    async def counted(self: QbtApi) -> None:
        logins.append(self.session.settings.base_url)
        await real_login(self)

    monkeypatch.setattr(QbtApi, "login", counted)
    for cls in QbtApi.__subclasses__():
        if "login" in cls.__dict__:
            monkeypatch.setattr(cls, "login", counted)
    torrent, _ = make_sample_torrent(tmp_path, "only on nox", {"a.bin": 12345}, seed=3)
    nox_clean.add_torrent_file(torrent, paused="true", savepath=str(tmp_path))
    monkeypatch.setenv("NOX_PW_FOR_TEST", nox_clean.password)
    servers = {
        "demo": ServerConfig("demo", sim_server.url, "admin", PasswordSource(plain="adminadmin")),
        "nox": ServerConfig("nox", nox_clean.url, nox_clean.username, PasswordSource(env="NOX_PW_FOR_TEST")),
    }
    app = make_app(sim_server.url, state_dir=tmp_path, servers=servers, server_name="demo")
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.store.torrents) > 5, what="demo data")
        demo_count = len(app.store.torrents)
        await pilot.press("W")
        await until(pilot, lambda: isinstance(app.screen, ServersScreen), what="overview")
        table = app.screen.query_one(DataTable)
        await until(pilot, lambda: cell_text(table, "nox", 3).startswith("live"), timeout=20, what="nox live")
        assert cell_text(table, "demo", 0) == "●" and cell_text(table, "demo", 3).startswith("live")
        assert "4.0.4" in cell_text(table, "demo", 6) and cell_text(table, "nox", 6)
        table.move_cursor(row=table.get_row_index("nox"))
        await pilot.press("enter")
        await until(
            pilot,
            lambda: [t.name for t in app.store.torrents.values()] == ["only on nox"],
            timeout=20,
            what="nox data replaces the demo's",
        )
        # The store fills in the poll worker before the screen has handled the update that shows
        # the new server's version: wait for the status bar too.
        status = app.main_screen.status
        await until(
            pilot,
            lambda: status.info is not None and not status.info.is_legacy,
            what="the status bar showing the nox server",
        )
        assert app.sub_title == "nox" and app.main_screen.status.info is not None
        assert not app.main_screen.status.info.is_legacy
        # And back: the demo server's session was kept, so no new login there.
        await pilot.press("W")
        await until(pilot, lambda: isinstance(app.screen, ServersScreen), what="overview again")
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("demo"))
        await pilot.press("enter")
        await until(pilot, lambda: len(app.store.torrents) == demo_count, timeout=20, what="demo data back")
        await pilot.pause(0.5)
    assert logins.count(sim_server.url + "/") == 1
    assert logins.count(nox_clean.url + "/") == 1


async def test_palette_offers_the_other_servers(sim_server, tmp_path) -> None:
    from qbtui.ui.commands import ServerCommands

    servers = {
        "a": ServerConfig("a", sim_server.url, "admin", PasswordSource(plain="adminadmin")),
        "b": ServerConfig("b", "http://127.0.0.1:9", "admin", PasswordSource(env="QBTUI_TEST_UNSET_VAR")),
    }
    app = make_app(sim_server.url, state_dir=tmp_path, servers=servers, server_name="a")
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: len(app.view) > 0)
        assert [title for title, _ in ServerCommands(app.screen)._commands()] == ["server: switch to b"]
        app.switch_server("b")  # its password source is broken: say so, stay where we are
        await until(
            pilot, lambda: any(n.title == "Cannot switch" for n in app._notifications), what="refusal"
        )
        message = next(n.message for n in app._notifications if n.title == "Cannot switch")
        assert "QBTUI_TEST_UNSET_VAR is not set" in message
        assert app.pool is not None and app.pool.current == "a"
        assert len(app.store.torrents) > 0


async def test_add_a_server_from_the_overview(sim_server, tmp_path) -> None:
    from textual.widgets import Button, Checkbox, Input

    from qbtui.settings.config import load_config, save_server
    from qbtui.ui.screens.connection import ConnectionScreen

    config = tmp_path / "config.toml"
    first = ServerConfig("demo", sim_server.url, "admin", PasswordSource(plain="adminadmin"))
    save_server(config, first, make_default=True)
    app = make_app(
        sim_server.url, state_dir=tmp_path, servers={"demo": first}, server_name="demo", config_path=config
    )
    async with app.run_test(size=(140, 44)) as pilot:
        await until(pilot, lambda: len(app.view) > 0)
        await pilot.press("W")
        await until(pilot, lambda: isinstance(app.screen, ServersScreen), what="overview")
        await pilot.press("a")
        await connection_screen(pilot, what="add screen")
        add = app.screen
        assert isinstance(add, ConnectionScreen) and add.adding
        add.query_one("#connection-url", Input).value = sim_server.url
        add.query_one("#connection-password", Input).value = "wrong"
        add.query_one("#connection-test", Button).press()
        await until(pilot, lambda: "wrong username or password" in add.problem_text(), what="test refused")
        add.query_one("#connection-password", Input).value = "adminadmin"
        add.query_one("#connection-test", Button).press()
        await until(pilot, lambda: add.problem_text().startswith("Works: qBittorrent v4.0.4"), what="test ok")
        add.query_one("#connection-name", Input).value = "second"
        add.query_one("#connection-store-password", Checkbox).value = True
        add.query_one("#connection-save", Button).press()
        await until(pilot, lambda: "second" in load_config(config).servers, what="saved")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ServersScreen), what="back in the overview")
        table = app.screen.query_one(DataTable)
        # Two servers, and the fleet of both ("all").
        await until(pilot, lambda: table.row_count == 3, what="listed")
        await until(pilot, lambda: cell_text(table, "second", 3).startswith("live"), timeout=15, what="live")
