"""What the main screen looks like, on a deterministic simulator (seeded, clock frozen).

snap_compare only works in plain `def` tests: the simulator runs in a thread, and `run_before`
waits for the single poll the app makes (its interval is an hour) before the shot is taken.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from qbtui.model.sync import LinkState
from qbtui.ui.app import QbtuiApp
from tests.ui.helpers import make_app, until


@pytest.fixture
def sim_url() -> Iterator[str]:
    from qbtui.sim import ManualClock, SimConfig, Simulator, run_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0)))
    with run_in_thread(sim) as url:
        yield url


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates render relative to "today": pin today."""
    import qbtui.util.format

    monkeypatch.setattr(qbtui.util.format.time, "time", lambda: 1795926600.0)


def snapshot_app(url: str, tmp_path) -> QbtuiApp:  # type: ignore[no-untyped-def]
    app = make_app(url, interval=3600, state_dir=tmp_path)
    app.theme = "qbtui-dark"
    return app


async def loaded(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, QbtuiApp)
    await until(
        pilot, lambda: len(app.view) > 0 and app.main_screen.table.cursor_hash is not None, what="data"
    )
    await pilot.pause()


def test_main_screen_120x36(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(snapshot_app(sim_url, tmp_path), run_before=loaded, terminal_size=(120, 36))


def test_main_screen_80x24(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(snapshot_app(sim_url, tmp_path), run_before=loaded, terminal_size=(80, 24))


def test_without_sidebar_with_name_filter(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        await pilot.press("b", "slash", "d", "e", "b")

    assert snap_compare(snapshot_app(sim_url, tmp_path), run_before=run_before, terminal_size=(120, 36))


def test_multi_selection(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        await pilot.press("space", "j", "space", "space")

    assert snap_compare(snapshot_app(sim_url, tmp_path), run_before=run_before, terminal_size=(120, 36))


def test_delete_confirmation(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        await pilot.press("space", "space", "D")

    assert snap_compare(snapshot_app(sim_url, tmp_path), run_before=run_before, terminal_size=(120, 36))


def test_disconnected_state(snap_compare, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    from qbtui.sim import ManualClock, SimConfig, Simulator, run_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0)))
    holder: dict[str, object] = {}

    with run_in_thread(sim) as url:
        app = snapshot_app(url, tmp_path)
        holder["app"] = app

        async def run_before(pilot: Pilot[None]) -> None:
            await loaded(pilot)
            # The server goes away; the poller reports it and the table goes stale.
            app.poller._connector = _unreachable
            app.poller.api = None
            app.poke()
            await until(
                pilot, lambda: app.main_screen.status.link is LinkState.DISCONNECTED, what="disconnect"
            )
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=(120, 36))


async def _unreachable():  # type: ignore[no-untyped-def]
    from qbtui.api import errors

    raise errors.Unreachable("cannot connect to qBittorrent at http://127.0.0.1:9: connection refused")


def test_details_panel_open(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        from qbtui.ui.widgets.details import DetailsPanel

        await loaded(pilot)
        await pilot.press("j", "enter")
        panel = pilot.app.main_screen.query_one(DetailsPanel)  # type: ignore[attr-defined]
        # The tab's data arrives from its own request: on a loaded machine a fixed pause can end
        # before it has (the shot would show "Loading…").
        await until(
            pilot,
            lambda: panel.active_tab is not None and panel.active_tab.loaded,
            timeout=20,
            what="the details tab loaded",
        )
        await pilot.pause(1.0)

    assert snap_compare(snapshot_app(sim_url, tmp_path), run_before=run_before, terminal_size=(120, 40))


def test_log_pane_open(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        from qbtui.ui.widgets.log_pane import LogPane

        await loaded(pilot)
        await pilot.press("L")
        pane = pilot.app.main_screen.query_one(LogPane)  # type: ignore[attr-defined]
        await until(pilot, lambda: bool(pane.entries), timeout=20, what="the log loaded")
        await pilot.pause(1.0)

    assert snap_compare(snapshot_app(sim_url, tmp_path), run_before=run_before, terminal_size=(120, 40))


def test_main_screen_60x20(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    """The smallest supported terminal: no sidebar, columns collapsed by priority."""
    assert snap_compare(snapshot_app(sim_url, tmp_path), run_before=loaded, terminal_size=(60, 20))


def test_main_screen_200x60(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(snapshot_app(sim_url, tmp_path), run_before=loaded, terminal_size=(200, 60))


@pytest.mark.parametrize("theme", ["qbtui-light", "qbtui-high-contrast", "qbtui-16"])
def test_main_screen_per_theme(snap_compare, sim_url, tmp_path, frozen_now, theme) -> None:  # type: ignore[no-untyped-def]
    app = snapshot_app(sim_url, tmp_path)
    app.theme = theme
    assert snap_compare(app, run_before=loaded, terminal_size=(120, 36))


#: The overview shows URLs, ports included: a fixed port keeps the picture stable.
FIXED_PORT = 47123


@pytest.fixture
def fixed_port_sim_url() -> Iterator[str]:
    from qbtui.sim import ManualClock, SimConfig, Simulator, run_in_thread

    sim = Simulator(SimConfig(seed=7, clock=ManualClock(1795926600.0)))
    with run_in_thread(sim, port=FIXED_PORT) as url:
        yield url


def test_servers_overview(snap_compare, fixed_port_sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    from qbtui.settings.config import ServerConfig
    from qbtui.settings.passwords import PasswordSource

    sim_url = fixed_port_sim_url
    servers = {
        "demo": ServerConfig("demo", sim_url, "admin", PasswordSource(plain="adminadmin")),
        "offline": ServerConfig("offline", "http://127.0.0.1:9", "admin", PasswordSource(plain="x")),
    }
    app = make_app(sim_url, interval=3600, state_dir=tmp_path, servers=servers, server_name="demo")
    app.theme = "qbtui-dark"

    async def run_before(pilot: Pilot[None]) -> None:
        from qbtui.ui.screens.servers import ServersScreen

        await loaded(pilot)
        await pilot.press("W")
        await until(pilot, lambda: isinstance(app.screen, ServersScreen) and "offline" in app.screen.statuses)
        await pilot.press("down")  # the offline one: its reason shows below the table
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(120, 30))


def test_problems_view(snap_compare, sim_url, tmp_path, frozen_now) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        from qbtui.ui.screens.problems import ProblemsScreen

        await loaded(pilot)
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: isinstance(pilot.app.screen, ProblemsScreen))
        await pilot.pause(0.5)

    assert snap_compare(snapshot_app(sim_url, tmp_path), run_before=run_before, terminal_size=(140, 36))
