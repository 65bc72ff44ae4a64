"""The four defects issue 20 asked to fix first, each seen as a new user would meet it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from textual.widgets import DataTable

from qbtui.settings.config import ServerConfig, load_config, save_server
from qbtui.settings.passwords import PasswordSource
from qbtui.sim import DEFAULT_EPOCH, ManualClock, SimConfig, Simulator, ThreadedServer, serve_in_thread
from qbtui.ui.commands import ServerCommands
from qbtui.ui.screens.servers import FLEET_PREFIX, ServersScreen
from tests.ui.helpers import connection_screen, make_app, until


@pytest.fixture
def second_sim() -> Iterator[ThreadedServer]:
    config = SimConfig(seed=11, torrent_count=40, clock=ManualClock(DEFAULT_EPOCH))
    with serve_in_thread(Simulator(config)) as server:
        yield server


def _row_names(table: DataTable) -> list[str]:  # type: ignore[type-arg]
    """The servers listed (not the fleets: all servers, groups)."""
    keys = [table.coordinate_to_cell_key((index, 0)).row_key.value for index in range(table.row_count)]
    return [str(key) for key in keys if not str(key).startswith(FLEET_PREFIX)]


async def _open_overview(pilot, app) -> DataTable:  # type: ignore[no-untyped-def, type-arg]
    await pilot.press("W")
    await until(pilot, lambda: isinstance(app.screen, ServersScreen), what="overview")
    return app.screen.query_one(DataTable)


async def test_the_url_server_stays_in_the_overview_and_the_palette_after_a_switch(
    sim_server, second_sim, tmp_path
) -> None:
    """Started with --url (no config name) and a config naming another server: after W → Enter on
    the configured one, the --url server is still listed, and switching back works."""
    servers = {"nas": ServerConfig("nas", second_sim.url, "admin", PasswordSource(plain="adminadmin"))}
    app = make_app(sim_server.url, state_dir=tmp_path, servers=servers)  # server_name None: --url
    url_name = f"127.0.0.1:{sim_server.port}"
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.store.torrents) > 5, what="the --url server's data")
        assert len(app.store.torrents) == 25
        table = await _open_overview(pilot, app)
        assert set(_row_names(table)) == {"nas", url_name}
        table.move_cursor(row=table.get_row_index("nas"))
        await pilot.press("enter")
        await until(pilot, lambda: app.pool is not None and app.pool.current == "nas", what="switched")
        await until(pilot, lambda: len(app.store.torrents) == 40, what="nas data")
        assert [title for title, _ in ServerCommands(app.screen)._commands()] == [
            f"server: switch to {url_name}"
        ]
        table = await _open_overview(pilot, app)
        assert set(_row_names(table)) == {"nas", url_name}
        table.move_cursor(row=table.get_row_index(url_name))
        await pilot.press("enter")
        await until(pilot, lambda: app.pool is not None and app.pool.current == url_name, what="back")
        await until(pilot, lambda: len(app.store.torrents) == 25, what="its data back")


async def test_the_status_line_names_the_server(sim_server, second_sim, tmp_path) -> None:
    """Two servers of the same version (both simulators say 4.0.4) differ by name on the status line."""
    servers = {
        "alpha": ServerConfig("alpha", sim_server.url, "admin", PasswordSource(plain="adminadmin")),
        "beta": ServerConfig("beta", second_sim.url, "admin", PasswordSource(plain="adminadmin")),
    }
    app = make_app(sim_server.url, state_dir=tmp_path, servers=servers, server_name="alpha")
    async with app.run_test(size=(160, 40)) as pilot:
        status = app.main_screen.status
        await until(pilot, lambda: "alpha" in status.compose_text().plain, what="alpha named")
        assert "beta" not in status.compose_text().plain
        app.switch_server("beta")
        await until(pilot, lambda: "beta" in status.compose_text().plain, timeout=15, what="beta named")
        assert "alpha" not in status.compose_text().plain


async def test_saving_a_server_from_the_overview_leaves_default_server_alone(sim_server, tmp_path) -> None:
    """W → a → Save adds a server; it does not make it the one qbtui starts with (a regression test:
    it used to write default_server)."""
    from textual.widgets import Button, Input

    config = tmp_path / "config.toml"
    first = ServerConfig("demo", sim_server.url, "admin", PasswordSource(plain="adminadmin"))
    save_server(config, first)
    assert load_config(config).default_server is None
    app = make_app(
        sim_server.url, state_dir=tmp_path, servers={"demo": first}, server_name="demo", config_path=config
    )
    async with app.run_test(size=(140, 44)) as pilot:
        await until(pilot, lambda: len(app.view) > 0)
        await _open_overview(pilot, app)
        await pilot.press("a")
        add = await connection_screen(pilot, what="add screen")
        add.query_one("#connection-url", Input).value = sim_server.url
        add.query_one("#connection-password", Input).value = "adminadmin"
        add.query_one("#connection-name", Input).value = "second"
        add.query_one("#connection-save", Button).press()
        await until(pilot, lambda: "second" in load_config(config).servers, what="saved")
    saved = load_config(config)
    assert saved.default_server is None
    assert "default_server" not in config.read_text()


async def test_each_server_keeps_its_own_speed_history(sim_server, second_sim, tmp_path) -> None:
    """Switching keeps the other server's graph (in the app and in speed-history.json, which holds one
    ring per server); a restart on either server finds its own."""
    servers = {
        "alpha": ServerConfig("alpha", sim_server.url, "admin", PasswordSource(plain="adminadmin")),
        "beta": ServerConfig("beta", second_sim.url, "admin", PasswordSource(plain="adminadmin")),
    }
    app = make_app(sim_server.url, state_dir=tmp_path, servers=servers, server_name="alpha")
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.history) >= 4, what="alpha samples")
        alpha_samples = len(app.history)
        app.switch_server("beta")
        await until(pilot, lambda: app.pool is not None and app.pool.current == "beta", what="on beta")
        await until(pilot, lambda: len(app.history) >= 3, timeout=15, what="beta samples")
        app.switch_server("alpha")
        await until(pilot, lambda: app.pool is not None and app.pool.current == "alpha", what="on alpha")
        # alpha's own samples are back (plus a gap for the time it was not shown).
        await until(pilot, lambda: len(app.history) > alpha_samples, timeout=10, what="alpha's graph back")
    document = json.loads((tmp_path / "speed-history.json").read_text())
    assert set(document["servers"]) == {sim_server.url + "/", second_sim.url + "/"}
    for ring in document["servers"].values():
        assert sum(1 for sample in ring["samples"] if len(sample) == 3) >= 3
    for name in ("beta", "alpha"):
        again = make_app(
            servers[name].url, state_dir=tmp_path, servers=servers, server_name=name, start_sync=False
        )
        async with again.run_test(size=(100, 30)):
            assert len(again.history) >= 3, name
