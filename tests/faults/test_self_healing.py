"""The monitor heals itself (issue 14): faults injected by an HTTP proxy in front of a real
qbittorrent-nox (4.5.2 and 5.3.0) never stop the polling for good. Only a login the server refused
would; a 502 on the re-login and a 403 right after a good login are retried with the usual backoff,
logging in again, and the status line says what happened in a short line."""

from __future__ import annotations

import pytest

from qbtui.model.sync import LinkState, SyncUpdate
from tests.support.httpfaults import HttpFaultProxy
from tests.support.noxfix import NoxPool
from tests.support.noxserver import NoxInstance
from tests.ui.helpers import make_app, until

MAINDATA = "/api/v2/sync/maindata"
LOGIN = "/api/v2/auth/login"


@pytest.fixture(params=[pytest.param(server, marks=pytest.mark.nox) for server in ("4.5.2", "5.3.0")])
def real(request: pytest.FixtureRequest, nox_pool: NoxPool) -> NoxInstance:
    return nox_pool.clean(request.param)


def ok_logins(proxy: HttpFaultProxy) -> int:
    return proxy.count(LOGIN, 200) + proxy.count(LOGIN, 204)


async def test_a_502_on_the_relogin_is_retried(real: NoxInstance) -> None:
    async with HttpFaultProxy(real.webui_port) as proxy:
        app = make_app(proxy.url, username=real.username, password=real.password, interval=0.3)
        updates: list[SyncUpdate] = []
        async with app.run_test(size=(160, 30)) as pilot:
            original = app.poller._listener

            def record(update: SyncUpdate) -> None:
                updates.append(update)
                original(update)

            app.poller._listener = record
            await until(pilot, lambda: app.poller.polls >= 2, timeout=20, what="live")
            # The session is gone (403 until the next login), and the proxy answers the re-login with
            # its error page.
            proxy.fail(MAINDATA, 403, times=2)
            proxy.fail(LOGIN, 502, times=1)
            await until(pilot, lambda: proxy.count(LOGIN, 502) == 1, timeout=10, what="the 502 login")
            status = app.main_screen.status
            await until(pilot, lambda: status.link is LinkState.DISCONNECTED, timeout=10, what="disconnected")
            problem = status.problem
            assert "logging in again failed" in problem and "502" in problem and "Bad Gateway" in problem
            assert "<html" not in problem and "did not help" not in problem
            assert "retrying in" in problem and "ctrl+r" in problem
            polls = app.poller.polls
            # No key pressed: the next attempt logs in again and the polling carries on.
            await until(pilot, lambda: app.poller.polls >= polls + 3, timeout=20, what="polls again")
            assert status.link is LinkState.LIVE
            assert ok_logins(proxy) >= 2
        assert all(u.state is not LinkState.REFUSED for u in updates), [u.message for u in updates]


async def test_a_403_after_a_good_login_is_retried(real: NoxInstance) -> None:
    async with HttpFaultProxy(real.webui_port) as proxy:
        app = make_app(proxy.url, username=real.username, password=real.password, interval=0.3)
        updates: list[SyncUpdate] = []
        async with app.run_test(size=(160, 30)) as pilot:
            original = app.poller._listener

            def record(update: SyncUpdate) -> None:
                updates.append(update)
                original(update)

            app.poller._listener = record
            await until(pilot, lambda: app.poller.polls >= 2, timeout=20, what="live")
            logins = ok_logins(proxy)
            # 403 to the poll, again to the poll right after a successful re-login, and once more.
            proxy.fail(MAINDATA, 403, times=3)
            failed = lambda: any(u.state is LinkState.DISCONNECTED for u in updates)  # noqa: E731
            await until(pilot, failed, timeout=10, what="failure")
            failure = next(u for u in updates if u.state is LinkState.DISCONNECTED)
            assert "right after a successful login" in str(failure.error)
            polls = app.poller.polls
            await until(pilot, lambda: app.poller.polls >= polls + 3, timeout=25, what="polls again")
            assert app.main_screen.status.link is LinkState.LIVE
            # Each retry logged in again (the last login had worked).
            assert ok_logins(proxy) >= logins + 2
            assert proxy.count(MAINDATA, 403) == 3
        assert all(u.state is not LinkState.REFUSED for u in updates), [u.message for u in updates]
