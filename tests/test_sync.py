"""The poll loop: one poll at a time, backoff and recovery, refusals stop it, pokes wake it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from qbtui.api import errors
from qbtui.store import Store
from qbtui.sync import MAX_BACKOFF, LinkState, Poller, SyncUpdate


class FakeApi:
    def __init__(self, script: list[Any]) -> None:
        self.script = script
        self.in_flight = 0
        self.max_in_flight = 0
        self.calls: list[int] = []
        self.closed = False

    async def maindata(self, rid: int = 0) -> dict[str, Any]:
        self.calls.append(rid)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.01)
            step = self.script.pop(0) if self.script else {"rid": rid + 1}
            if isinstance(step, Exception):
                raise step
            return step
        finally:
            self.in_flight -= 1

    async def close(self) -> None:
        self.closed = True


def make(script: list[Any], **kwargs: Any) -> tuple[Poller, FakeApi, list[SyncUpdate]]:
    api = FakeApi(script)
    updates: list[SyncUpdate] = []

    async def connector() -> FakeApi:
        return api

    return Poller(connector, Store(), updates.append, **kwargs), api, updates  # type: ignore[arg-type]


async def test_first_poll_connects_then_sends_the_last_rid() -> None:
    poller, api, updates = make(
        [{"rid": 5, "full_update": True, "torrents": {"a": {"name": "x"}}}, {"rid": 6}]
    )
    assert await poller.poll_once() == 1.5
    await poller.poll_once()
    assert api.calls == [0, 5]
    assert [u.state for u in updates] == [LinkState.CONNECTING, LinkState.LIVE, LinkState.LIVE]
    assert updates[1].changes is not None and updates[1].changes.added == {"a"}


async def test_interval_follows_the_servers_refresh_interval_unless_configured() -> None:
    poller, _, _ = make([{"rid": 1, "full_update": True, "server_state": {"refresh_interval": 3000}}])
    assert await poller.poll_once() == 3.0
    configured, _, _ = make(
        [{"rid": 1, "full_update": True, "server_state": {"refresh_interval": 3000}}], interval=0.7
    )
    assert await configured.poll_once() == 0.7


async def test_failures_back_off_and_keep_the_data() -> None:
    down = errors.Unreachable("cannot connect")
    poller, _, updates = make(
        [{"rid": 1, "full_update": True, "torrents": {"a": {}}}] + [down] * 7 + [{"rid": 2}]
    )
    await poller.poll_once()
    delays = [await poller.poll_once() for _ in range(7)]
    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0, MAX_BACKOFF, MAX_BACKOFF]
    assert "a" in poller.store.torrents  # the last data stays
    assert updates[-1].state is LinkState.DISCONNECTED
    assert "retrying in 30 s" in updates[-1].message
    assert await poller.poll_once() == 1.5
    assert updates[-1].state is LinkState.LIVE and poller.failures == 0


async def test_refusals_stop_polling_until_poked() -> None:
    poller, _, updates = make([errors.BadCredentials("wrong password")])
    assert await poller.poll_once() is None
    assert updates[-1].state is LinkState.REFUSED and updates[-1].message == "wrong password"


async def test_run_never_overlaps_polls_and_a_poke_polls_at_once() -> None:
    poller, api, _ = make([], interval=10.0)
    task = asyncio.create_task(poller.run())
    await asyncio.sleep(0.05)
    assert len(api.calls) == 1
    for _ in range(5):
        poller.poke()
        await asyncio.sleep(0.03)
    assert 2 <= len(api.calls) <= 6
    assert api.max_in_flight == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_reset_reconnects_and_closes_the_old_api() -> None:
    poller, api, _ = make([])
    await poller.poll_once()
    poller.reset()
    assert poller.api is None
    await poller.poll_once()
    await poller.close()
    assert api.closed


async def test_a_slow_server_gets_twice_its_answer_time_as_rest() -> None:
    now = [100.0]

    def clock() -> float:
        return now[0]

    poller, api, _ = make([], interval=1.0, clock=clock)
    original = api.maindata

    async def slow(rid: int = 0) -> dict[str, Any]:
        now[0] += 4.0  # the server takes 4 s to answer this delta
        return await original(rid)

    api.maindata = slow  # type: ignore[method-assign]
    assert await poller.poll_once() == 8.0
    # Waiting 4 s then resting 8 s: a third of wall time on maindata, not more.
    assert poller.last_request_seconds / (poller.last_request_seconds + 8.0) <= 1 / 3

    async def fast(rid: int = 0) -> dict[str, Any]:
        now[0] += 0.05
        return await original(rid)

    api.maindata = fast  # type: ignore[method-assign]
    assert await poller.poll_once() == 1.0  # back to the configured interval once it recovers
