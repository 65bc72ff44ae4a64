"""The server forgets our session (WebUI session timeout): the next request gets a 403, the app
logs in again once and carries on, without the user seeing an error."""

from __future__ import annotations

from qbtui.api.v2 import V2Api
from qbtui.model.sync import LinkState
from tests.ui.helpers import make_app, until


async def test_expired_sessions_are_renewed_quietly(nox_factory, monkeypatch) -> None:
    logins: list[float] = []
    real_login = V2Api.login

    async def counted_login(self: V2Api) -> None:
        logins.append(1)
        await real_login(self)

    monkeypatch.setattr(V2Api, "login", counted_login)
    nox = nox_factory(session_timeout=2)
    states: list[LinkState] = []
    app = make_app(nox.url, username=nox.username, password=nox.password, interval=3.5)
    async with app.run_test(size=(120, 30)) as pilot:
        original = app._on_sync

        def record(update):  # type: ignore[no-untyped-def]
            states.append(update.state)
            original(update)

        app.poller._listener = record
        await until(pilot, lambda: app.poller.polls >= 4, timeout=30, what="four polls, each after expiry")
    assert len(logins) >= 3  # the session expired between polls and was renewed each time
    assert all(state is LinkState.LIVE for state in states), states
