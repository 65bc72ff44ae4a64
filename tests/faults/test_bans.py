"""A real qbittorrent-nox that bans after two failed logins: each user attempt sends exactly one
login, the ban is recognised and explained, and nothing retries behind the user's back."""

from __future__ import annotations

from textual.widgets import Input

from qbtui.api.v2 import V2Api
from qbtui.model.sync import LinkState, SyncUpdate
from qbtui.ui.screens.connection import ConnectionScreen
from tests.ui.helpers import connection_screen, make_app, until


async def test_wrong_passwords_then_a_ban_one_login_per_attempt(nox_factory, monkeypatch) -> None:
    logins: list[str] = []
    real_login = V2Api.login

    async def counted_login(self: V2Api) -> None:
        logins.append(self.session.settings.password or "")
        await real_login(self)

    monkeypatch.setattr(V2Api, "login", counted_login)
    nox = nox_factory(max_auth_fail_count=2, ban_duration=3600)
    app = make_app(nox.url, username=nox.username, password="wrong-1", interval=0.2)
    # Refusals as the poller reports them: the link on the status bar still says REFUSED from the
    # previous attempt until the screen has handled the new attempt's updates.
    refusals: list[SyncUpdate] = []
    forward = app.poller._listener

    def spy(update: SyncUpdate) -> None:
        if update.state is LinkState.REFUSED:
            refusals.append(update)
        forward(update)

    app.poller._listener = spy
    async with app.run_test(size=(120, 40)) as pilot:
        await connection_screen(pilot, timeout=15, what="refused")
        screen = app.screen
        assert isinstance(screen, ConnectionScreen) and screen.refused
        assert "wrong username or password" in str(screen.query_one("#connection-problem").render())
        await pilot.pause(2.0)
        assert logins == ["wrong-1"]  # no automatic retry of a refused login

        async def attempt(password: str) -> None:
            count, refused = len(logins), len(refusals)
            screen.query_one("#connection-password", Input).value = password
            await pilot.press("ctrl+r")
            await until(pilot, lambda: len(logins) > count, timeout=15, what="the attempt")
            await until(pilot, lambda: len(refusals) > refused, timeout=15, what="the attempt refused")
            await until(pilot, lambda: app.main_screen.status.link is LinkState.REFUSED, what="refusal")
            await pilot.pause(1.0)

        def problem() -> str:
            return str(screen.query_one("#connection-problem").render())

        await attempt("wrong-2")  # the second failure: the server bans this IP now
        await attempt(nox.password)  # right password, but banned
        await until(pilot, lambda: "banned" in problem(), what="the ban on the connection screen")
        assert "banned" in problem() and "1 hour" in problem() and "Banned since" in problem()
        await pilot.pause(2.0)
        assert logins == ["wrong-1", "wrong-2", nox.password]
        assert len(app.view) == 0
