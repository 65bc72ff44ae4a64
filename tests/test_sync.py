"""The poll loop: one poll at a time, backoff and recovery, refusals stop it, pokes wake it."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from qbtui.api import errors
from qbtui.model.store import Store
from qbtui.model.sync import MAX_BACKOFF, FirstPage, LinkState, Poller, SyncUpdate


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
    assert updates[-1].state is LinkState.REFUSED and updates[-1].message == (
        "wrong password (ctrl+r: try again)"
    )


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


async def test_a_slow_server_gets_two_and_a_half_times_its_answer_time_as_rest() -> None:
    now = [100.0]

    def clock() -> float:
        return now[0]

    poller, api, _ = make([], interval=1.0, clock=clock)
    original = api.maindata

    async def slow(rid: int = 0) -> dict[str, Any]:
        now[0] += 4.0  # the server takes 4 s to answer this delta
        return await original(rid)

    api.maindata = slow  # type: ignore[method-assign]
    assert await poller.poll_once() == 10.0
    # Waiting 4 s then resting 10 s: 2/7 of wall time on maindata, safely under a third.
    assert poller.last_request_seconds / (poller.last_request_seconds + 10.0) < 1 / 3

    async def fast(rid: int = 0) -> dict[str, Any]:
        now[0] += 0.05
        return await original(rid)

    api.maindata = fast  # type: ignore[method-assign]
    assert await poller.poll_once() == 1.0  # back to the configured interval once it recovers


class PagingApi(FakeApi):
    """A FakeApi with a first page (torrents/info?limit=) that records what it was asked."""

    def __init__(
        self, script: list[Any], page: list[Any] | Exception, count: int | Exception | None = None
    ) -> None:
        super().__init__(script)
        self.page = page
        self.count = count
        self.page_requests: list[tuple[str | None, bool, int]] = []

    async def torrent_count(self) -> int | None:
        if isinstance(self.count, Exception):
            raise self.count
        return self.count

    async def first_page(self, *, sort: str | None, reverse: bool, limit: int) -> list[Any]:
        self.page_requests.append((sort, reverse, limit))
        if isinstance(self.page, Exception):
            raise self.page
        return self.page


def make_paging(
    script: list[Any], page: list[Any] | Exception, limit: int = 3, count: int | Exception | None = None
) -> tuple[Poller, PagingApi, list[SyncUpdate]]:
    api = PagingApi(script, page, count)
    updates: list[SyncUpdate] = []

    async def connector() -> PagingApi:
        return api

    request = FirstPage(sort="size", reverse=True, limit=limit)
    return Poller(connector, Store(), updates.append, first_page=lambda: request), api, updates  # type: ignore[arg-type]


FULL = {
    "rid": 1,
    "full_update": True,
    "torrents": {"aa": {"name": "big", "size": 9}, "bb": {"name": "small", "size": 1}},
}


async def test_a_first_page_is_shown_before_the_first_full_update() -> None:
    page = [{"hash": "AA", "name": "big", "size": 9}, "garbage", {"name": "no hash"}]
    poller, api, updates = make_paging([FULL, {"rid": 2}], page)
    await poller.poll_once()
    assert api.page_requests == [("size", True, 3)]
    live = [u for u in updates if u.state is LinkState.LIVE]
    assert live[0].changes is not None and live[0].changes.preview
    assert live[0].changes.added == {"aa"}  # lower-cased, the hash field not kept as data
    assert api.calls == [0]  # the full update still follows, from rid 0
    full = live[1].changes
    assert full is not None and full.full_update and not full.preview
    assert full.added == {"bb"} and not full.removed
    assert poller.store.rid == 1 and set(poller.store.torrents) == {"aa", "bb"}
    assert "hash" not in poller.store.raw["aa"]
    await poller.poll_once()
    assert api.page_requests == [("size", True, 3)]  # once, not per poll


async def test_no_first_page_after_a_reconnect_and_a_failed_one_is_ignored() -> None:
    poller, api, updates = make_paging([FULL], errors.Rejected("no paging here"))
    await poller.poll_once()
    assert [u.state for u in updates] == [LinkState.CONNECTING, LinkState.LIVE]
    assert set(poller.store.torrents) == {"aa", "bb"}
    poller.reset()
    await poller.poll_once()
    assert len(api.page_requests) == 1  # the store has data: the last data stays until the full update


async def test_a_page_shorter_than_asked_is_not_shown_the_full_update_is_as_quick() -> None:
    poller, api, updates = make_paging([FULL], [{"hash": "aa", "name": "big"}], limit=50)
    await poller.poll_once()
    assert len(api.page_requests) == 1
    live = [u for u in updates if u.state is LinkState.LIVE]
    assert len(live) == 1 and live[0].changes is not None and live[0].changes.full_update


@pytest.mark.parametrize(
    ("count", "total"), [(10_000, 10_000), (None, None), (errors.Unreachable("gone"), None)]
)
async def test_the_first_page_carries_the_servers_torrent_count(count: Any, total: int | None) -> None:
    """What the page is a page of (torrents/count on 4.6.1+); a count that fails costs only the number."""
    page = [{"hash": "aa", "name": "big", "size": 9}, {"hash": "bb", "name": "small", "size": 1}]
    poller, _, updates = make_paging([FULL], page, limit=2, count=count)
    await poller.poll_once()
    live = [u for u in updates if u.state is LinkState.LIVE]
    assert live[0].changes is not None and live[0].changes.preview and live[0].total == total
    assert live[1].changes is not None and live[1].changes.full_update and live[1].total is None


def test_the_store_takes_a_preview_only_when_empty() -> None:
    store = Store()
    store.apply(FULL)
    changes = store.preview([{"hash": "cc", "name": "new"}])
    assert changes.preview and not changes.added and "cc" not in store.torrents


# -- the active torrents refreshed while a slow maindata rests ------------------------------------


class RefreshingApi(FakeApi):
    """maindata takes `slow` seconds; the active torrents and transfer info are quick."""

    def __init__(self, script: list[Any], slow: float, active: list[list[dict[str, Any]]]) -> None:
        super().__init__(script)
        self.slow = slow
        self.active = active
        self.maindata_at: list[float] = []
        self.asked_at: list[float] = []
        self.refreshed_at: list[float] = []
        self.refresh_seconds: list[float] = []
        self.by_hash: list[list[str]] = []

    async def maindata(self, rid: int = 0) -> dict[str, Any]:
        self.asked_at.append(asyncio.get_running_loop().time())
        await asyncio.sleep(self.slow)
        self.maindata_at.append(asyncio.get_running_loop().time())
        return await super().maindata(rid)

    async def active_rows(self) -> list[Any]:
        started = asyncio.get_running_loop().time()
        await asyncio.sleep(0.01)
        self.refreshed_at.append(asyncio.get_running_loop().time())
        self.refresh_seconds.append(asyncio.get_running_loop().time() - started)
        return self.active.pop(0) if len(self.active) > 1 else self.active[0]

    async def rows_by_hash(self, hashes: list[str]) -> list[Any]:
        self.by_hash.append(list(hashes))
        return [{"hash": h, "dlspeed": 0, "state": "stalledDL"} for h in hashes]

    async def transfer_raw(self) -> dict[str, Any]:
        return {"dl_info_speed": 500 * len(self.active[0])}


def make_refreshing(
    slow: float, active: list[list[dict[str, Any]]], **kwargs: Any
) -> tuple[Poller, RefreshingApi, list[SyncUpdate]]:
    full = {
        "rid": 1,
        "full_update": True,
        "torrents": {"a": {"name": "a", "dlspeed": 0, "state": "stalledDL"}, "b": {"name": "b"}},
        "server_state": {"dl_info_speed": 0},
    }
    api = RefreshingApi([full], slow, active)
    updates: list[SyncUpdate] = []

    async def connector() -> RefreshingApi:
        return api

    poller = Poller(connector, Store(), updates.append, interval=0.01, **kwargs)
    poller.active_interval = 0.05
    return poller, api, updates  # type: ignore[return-value]


async def run_for(poller: Poller, seconds: float) -> None:
    task = asyncio.create_task(poller.run())
    await asyncio.sleep(seconds)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_slow_maindata_rests_with_the_active_torrents_refreshed_in_between() -> None:
    active = [[{"hash": "a", "dlspeed": 500, "state": "downloading"}], [], []]
    poller, api, updates = make_refreshing(0.1, active)
    await run_for(poller, 1.2)
    refreshes = [u for u in updates if u.refresh]
    assert poller.refreshes >= 2 and len(refreshes) == poller.refreshes
    first = refreshes[0].changes
    assert first is not None and first.changed == {"a": {"dlspeed", "state"}}
    assert first.server_state_changed == {"dl_info_speed"}
    # "a" dropped out of the active list: asked for by hash, its speed is back to 0 at once.
    assert api.by_hash[0] == ["a"]
    assert poller.store.torrents["a"].dl_speed == 0
    # Fewer maindata polls than refreshes: the rest is the slow server's (2.5 x 0.1 s) and more.
    gaps = [later - earlier for earlier, later in zip(api.maindata_at, api.maindata_at[1:], strict=False)]
    assert gaps and min(gaps) >= 0.1 + 0.25 + 3.5 * min(api.refresh_seconds) - 0.02


async def test_the_refreshes_keep_every_wait_for_fresh_data_within_the_interval() -> None:
    """Timed back from the end of the rest: the last refresh just before the next maindata
    request, so no gap between two answers is much longer than the interval or a maindata."""
    poller, api, _ = make_refreshing(0.2, [[{"hash": "a", "dlspeed": 500}]])
    poller.active_interval = 0.15
    await run_for(poller, 2.5)
    answers = sorted(api.maindata_at + api.refreshed_at)
    gaps = [later - earlier for earlier, later in itertools.pairwise(answers)]
    # maindata alone: 0.5 s of rest and 0.2 s of request between two answers.
    assert len(api.maindata_at) >= 3 and max(gaps) < 0.2 + 0.15
    for asked in api.asked_at[1:]:
        before = [t for t in api.refreshed_at if t <= asked]
        # The rest's last refresh came just before (3.5 x its 0.01 s), not up to 0.19 s before.
        assert before and asked - before[-1] < 0.1


async def test_no_refreshes_for_a_quick_maindata_or_while_nobody_looks() -> None:
    quick, api, _ = make_refreshing(0.0, [[{"hash": "a", "dlspeed": 500}]])
    await run_for(quick, 0.3)
    assert quick.refreshes == 0 and len(api.maindata_at) >= 5
    unseen, _, _ = make_refreshing(0.1, [[{"hash": "a", "dlspeed": 500}]])
    unseen.unseen_interval = 0.5
    unseen.set_unseen(True)
    await run_for(unseen, 0.5)
    assert unseen.refreshes == 0


async def test_a_poke_ends_the_rest_between_refreshes() -> None:
    poller, api, _ = make_refreshing(0.1, [[]])
    poller.active_interval = 0.02
    task = asyncio.create_task(poller.run())
    await asyncio.sleep(0.2)
    polls = len(api.maindata_at)
    poller.poke()
    await asyncio.sleep(0.15)
    assert len(api.maindata_at) == polls + 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_failed_refresh_leaves_the_data_and_the_poll_loop_alone() -> None:
    poller, api, updates = make_refreshing(0.1, [[]])

    async def broken() -> list[Any]:
        raise errors.BadResponse("torrents/info: expected a JSON array")

    api.active_rows = broken  # type: ignore[method-assign]
    await run_for(poller, 0.5)
    assert len(api.maindata_at) >= 2 and not any(u.refresh for u in updates)
    assert all(u.state is LinkState.LIVE for u in updates[1:])


async def test_a_refresh_slower_than_the_interval_is_dropped_and_the_next_rests_go_without() -> None:
    """Every request slow (a slow link, not a slow server): a refresh would bring nothing fresher
    than the next poll, and must not push that poll back."""
    poller, api, _ = make_refreshing(0.1, [[{"hash": "a", "dlspeed": 500}]])
    original = api.active_rows
    attempts = [0]

    async def crawling() -> list[Any]:
        attempts[0] += 1
        await asyncio.sleep(1.0)
        return await original()

    api.active_rows = crawling  # type: ignore[method-assign]
    await run_for(poller, 1.6)
    # One attempt, then SKIP_AFTER_SLOW_REFRESH rests without: at most one more in 1.6 s.
    assert poller.refreshes == 0 and 1 <= attempts[0] <= 2
    gaps = [later - earlier for earlier, later in itertools.pairwise(api.maindata_at)]
    # Rest 0.25 s and the request 0.1 s; the dropped refresh held the rest up by at most 0.05 s.
    assert len(api.maindata_at) >= 3 and max(gaps) < 0.1 + 0.25 + 0.05 + 0.2
