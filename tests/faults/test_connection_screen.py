"""No server at the address at start, or a refused login: a screen that says why and offers retry
and edit, never a traceback or a silent empty table."""

from __future__ import annotations

from textual.widgets import Input

from qbtui.model.sync import LinkState
from qbtui.ui.screens.connection import ConnectionScreen
from tests.support.noxserver import free_port
from tests.ui.helpers import connection_screen, make_app, until


def problem_text(screen: ConnectionScreen) -> str:
    return str(screen.query_one("#connection-problem").render())


async def test_unreachable_port_at_start_offers_edit_and_retry(sim_server) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    app = make_app(dead, interval=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await connection_screen(pilot, timeout=10, what="connection screen")
        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        assert dead.removeprefix("http://") in problem_text(screen)
        assert not screen.refused
        # Edit the address to the real server and retry: data arrives, the screen closes itself.
        screen.query_one("#connection-url", Input).value = sim_server.url
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(app.view) > 0, timeout=10, what="data from the edited address")
        await until(pilot, lambda: not isinstance(app.screen, ConnectionScreen), what="screen closed")
        assert app.settings is not None and app.settings.url == sim_server.url
        assert app.main_screen.status.link is LinkState.LIVE


async def test_wrong_password_is_explained_and_only_retried_by_the_user(sim_server) -> None:
    attempts: list[str] = []
    app = make_app(sim_server.url, password="wrong-password")
    real_connector = app.connector

    async def counting_connector():  # type: ignore[no-untyped-def]
        attempts.append("login")
        return await real_connector()

    app.poller._connector = counting_connector  # type: ignore[assignment]
    async with app.run_test(size=(120, 40)) as pilot:
        await connection_screen(pilot, timeout=10, what="connection screen")
        screen = app.screen
        assert isinstance(screen, ConnectionScreen) and screen.refused
        assert "wrong username or password" in problem_text(screen)
        await pilot.pause(2.5)  # far longer than the backoff: still exactly one attempt
        assert attempts == ["login"]
        screen.query_one("#connection-password", Input).value = "adminadmin"
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(app.view) > 0, timeout=10, what="data after the corrected password")
        assert attempts == ["login", "login"]
        assert not isinstance(app.screen, ConnectionScreen)


async def test_untrusted_certificate_is_explained_and_can_be_accepted(nox_factory) -> None:
    from textual.widgets import Checkbox

    nox = nox_factory(https=True)
    app = make_app(nox.url, username=nox.username, password=nox.password, interval=0.3)
    async with app.run_test(size=(120, 40)) as pilot:
        await connection_screen(pilot, timeout=15, what="tls screen")
        screen = app.screen
        assert isinstance(screen, ConnectionScreen) and screen.tls
        assert "self-signed" in problem_text(screen)
        assert "certificate is not trusted" in str(screen.query_one("#connection-hint").render())
        failures = app.poller.failures
        await pilot.pause(2.0)
        assert app.poller.failures == failures  # not retried by itself
        screen.query_one("#connection-verify", Checkbox).value = False
        await pilot.press("ctrl+r")
        await until(pilot, lambda: app.poller.polls > 0, timeout=20, what="connected after accepting")
        assert app.settings is not None and app.settings.verify is False
