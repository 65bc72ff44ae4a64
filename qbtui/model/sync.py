"""The poll loop: one long-lived task that keeps a `Store` in step with the server.

Poll, apply, post, then wait. Never two polls in flight; a user command asks for an immediate
poll with `poke()`. Failures back off 1 → 2 → 4 … 30 s, keep the last data (marked stale) and
recover by themselves; a restarted server is logged into again by the API session.

A large list makes `maindata` slow (at 10,000 torrents about a second of the server's CPU per
poll, delta or not), and the rest after it grows with it (SLOW_SERVER_REST). When that rest is
longer than `active_interval`, the active torrents and the global speeds are refreshed in between
(`torrents/info?filter=active` and `transfer/info`, milliseconds of server time at 10,000), and
the rest is lengthened by 3.5 times what they took: the server spends no more of its time on qbtui
than with `maindata` alone, and what moves is at most `active_interval` old.

Only a refusal stops the retries: credentials the server refused, a ban, an untrusted certificate.
Everything else retries, a 403 right after a good login too (the session logs in again on the next
attempt); those back off further, up to five minutes, since each attempt costs the server a login.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from qbtui.api import QbtApi, errors
from qbtui.model.store import ChangeSet, Store

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 1.5
MAX_BACKOFF = 30.0
#: For a server that keeps rejecting fresh sessions: every attempt is a login, which costs it memory.
MAX_SESSION_BACKOFF = 300.0
#: The key that retries at once (the binding app.reconnect), named in the messages.
RETRY_KEY = "ctrl+r"
#: Rest after each poll, as a multiple of how long the server took to answer it.
#: 2.0 would put the wait share exactly at the budget of a third; 2.5 keeps it below (2/7).
SLOW_SERVER_REST = 2.5
#: How old the active torrents may get while a slow `maindata` rests (see the module's docstring).
ACTIVE_INTERVAL = 2.0
#: Rests without refreshes after one took longer than the interval (a slow link, not a slow server).
SKIP_AFTER_SLOW_REFRESH = 3


class LinkState(enum.Enum):
    CONNECTING = "connecting"
    LIVE = "live"
    #: The server stopped answering; the data shown is the last we had.
    DISCONNECTED = "disconnected"
    #: Credentials were refused or the IP is banned: retrying would only make it worse.
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class SyncUpdate:
    """What the poller reports after every attempt."""

    state: LinkState
    changes: ChangeSet | None = None
    error: errors.QbtError | None = None
    retry_in: float | None = None
    #: When the next attempt starts, on the poller's clock (DISCONNECTED only).
    retry_at: float | None = None
    #: With a first page (changes.preview): how many torrents the full list will have, when the
    #: server can say (torrents/count, qBittorrent 4.6.1+).
    total: int | None = None
    #: Polled after the long rest of nobody looking (qbtui.model.visibility): the sample stands
    #: for minutes, not for one interval.
    coarse: bool = False
    #: Only the active torrents and the global speeds, refreshed between two `maindata` polls: the
    #: rest of the data is as old as the last full poll.
    refresh: bool = False

    @property
    def message(self) -> str:
        return self.describe(self.retry_in)

    def describe(self, remaining: float | None, key: str = RETRY_KEY) -> str:
        """The message with `remaining` seconds to the next attempt (a status line counts down)."""
        if self.state is LinkState.DISCONNECTED and self.error is not None:
            seconds = max(remaining or 0.0, 0.0)
            return f"disconnected — retrying in {math.ceil(seconds - 0.05):.0f} s ({key}: now): {self.error}"
        if self.state is LinkState.REFUSED and self.error is not None:
            return f"{self.error} ({key}: try again)"
        return self.state.value


@dataclass(frozen=True, slots=True)
class FirstPage:
    """Which torrents to show while the first full update loads: the top `limit` by raw field
    `sort` (None: the server's own order), as the table will sort them."""

    sort: str | None
    reverse: bool
    limit: int


Connector = Callable[[], Awaitable[QbtApi]]
Listener = Callable[[SyncUpdate], None]


def _hash_of(row: object) -> str:
    return str(row.get("hash", "")).lower() if isinstance(row, dict) else ""


class Poller:
    """Runs until cancelled. `api` is created by `connector` on first use and after it is lost."""

    def __init__(
        self,
        connector: Connector,
        store: Store,
        listener: Listener,
        *,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        first_page: Callable[[], FirstPage | None] | None = None,
    ) -> None:
        self._connector = connector
        self._first_page = first_page
        self.store = store
        self._listener = listener
        self._configured_interval = interval
        self._clock = clock
        self._wake = asyncio.Event()
        self.api: QbtApi | None = None
        self.failures = 0
        self.polls = 0
        self.last_request_seconds = 0.0
        self._stale_apis: list[QbtApi] = []
        #: The rest between polls while nobody can see the app (None: never quiet).
        self.unseen_interval: float | None = None
        self._unseen = False
        #: The rest before the coming poll is (or was) the long one of nobody looking.
        self._rested_unseen = False
        #: Refresh the active torrents this often while a slow `maindata` rests (None: never).
        self.active_interval: float | None = ACTIVE_INTERVAL
        #: The torrents the last refresh found active: asked for by hash when they drop out.
        self._was_active: set[str] = set()
        self.refreshes = 0
        #: Rests to go without refreshes, after one that took longer than the interval.
        self._skip_refreshes = 0

    @property
    def interval(self) -> float:
        if self._configured_interval is not None:
            return self._configured_interval
        refresh = self.store.server_state.refresh_interval
        return max(refresh / 1000.0, 0.5) if refresh else DEFAULT_INTERVAL

    def poke(self) -> None:
        """Poll now (after a user command) instead of waiting for the next tick."""
        self._wake.set()

    @property
    def unseen(self) -> bool:
        return self._unseen

    def set_unseen(self, unseen: bool) -> None:
        """Nobody can see the app (poll every `unseen_interval`), or someone can again: poll at
        once, the data on screen may be minutes old."""
        if unseen == self._unseen:
            return
        self._unseen = unseen
        if not unseen and self._rested_unseen:
            self.poke()

    async def run(self) -> None:
        while True:
            # Cleared before the poll, so a poke that arrives during it triggers the next one.
            self._wake.clear()
            delay = await self.poll_once()
            await self._rest(delay)

    async def poll_once(self) -> float | None:
        """One attempt; returns how long to wait before the next, or None to wait for a poke."""
        coarse, self._rested_unseen = self._rested_unseen, False
        try:
            if self.api is None:
                self._listener(SyncUpdate(LinkState.CONNECTING))
                self.api = await self._connector()
            if not self.store.raw and not self.store.rid:
                await self._show_first_page(self.api)
            started = self._clock()
            payload = await self.api.maindata(self.store.rid)
            self.last_request_seconds = self._clock() - started
            changes = self.store.apply(payload)
        except (errors.BadCredentials, errors.Banned, errors.TLSFailure) as exc:
            # None of these mends itself: retrying a refused login earns a ban, and a certificate
            # stays untrusted until the user says otherwise.
            self._listener(SyncUpdate(LinkState.REFUSED, error=exc))
            return None
        except errors.QbtError as exc:
            return self._failed(exc)
        except Exception as exc:  # a bug or a pathological answer must not end the poll loop silently
            log.exception("unexpected error while polling")
            return self._failed(errors.BadResponse(f"unexpected {type(exc).__name__} while syncing: {exc}"))
        self.failures = 0
        self.polls += 1
        self._listener(SyncUpdate(LinkState.LIVE, changes=changes, coarse=coarse))
        delay = self.next_delay()
        self._rested_unseen = delay > self.next_delay(seen=True)
        return delay

    async def _show_first_page(self, api: QbtApi) -> None:
        """At 10,000 torrents the first full update takes a second or more to make, send and decode
        (50,000: several); a page of the torrents the table will show first takes milliseconds.
        Only when the store is empty: after a reconnect the old data stays until the full update."""
        request = self._first_page() if self._first_page is not None else None
        if request is None:
            return
        # The count rides along (one cheap request): the status bar says what the page is a page of.
        page, count = await asyncio.gather(
            api.first_page(sort=request.sort, reverse=request.reverse, limit=request.limit),
            api.torrent_count(),
            return_exceptions=True,
        )
        if isinstance(page, BaseException):
            if not isinstance(page, errors.QbtError):
                raise page
            log.info("no first page: %s", page)  # only a preview: the full update decides about the link
            return
        if len(page) < request.limit:
            return  # the whole list is smaller than a page: its full update is as quick
        if isinstance(count, BaseException):
            if not isinstance(count, errors.QbtError):
                raise count
            log.info("no torrent count: %s", count)
            count = None
        changes = self.store.preview(page)
        if changes.added:
            self._listener(SyncUpdate(LinkState.LIVE, changes=changes, total=count))

    def _failed(self, error: errors.QbtError) -> float:
        self.failures += 1
        cap = MAX_SESSION_BACKOFF if isinstance(error, errors.SessionRejected) else MAX_BACKOFF
        retry_in = min(2.0 ** min(self.failures - 1, 16), cap)
        self._listener(
            SyncUpdate(
                LinkState.DISCONNECTED, error=error, retry_in=retry_in, retry_at=self._clock() + retry_in
            )
        )
        return retry_in

    def next_delay(self, *, seen: bool = False) -> float:
        """The configured interval, stretched when the server is slow to answer, and to
        `unseen_interval` while nobody can see the app (unless `seen`: the rest if someone did).

        A `maindata` delta costs qBittorrent about as much CPU as a full dump, so a server that
        takes d seconds to answer is given 2.5·d of rest: under a third of wall time (2/7) is spent
        waiting on it, and a struggling seedbox is not kept busy by its own monitor.
        """
        rest = max(self.interval, SLOW_SERVER_REST * self.last_request_seconds)
        if self._unseen and not seen and self.unseen_interval:
            return max(rest, self.unseen_interval)
        return rest

    async def _rest(self, delay: float | None) -> None:
        """Wait `delay` (a poke ends it); refresh the active torrents meanwhile if it is long.

        The refreshes are timed back from the end of the rest (`every` apart, the last one just
        before the next `maindata` request), so the longest wait for fresh data is `every` or what
        that request takes, whichever is longer."""
        every = self.active_interval
        quick = delay is None or delay + self.last_request_seconds <= (every or 0) * 1.5
        skipping = self._skip_refreshes > 0
        if delay is not None and not quick and skipping:
            self._skip_refreshes -= 1
        if (
            delay is None
            or every is None
            or quick
            or skipping
            or self.failures
            or self._unseen
            or not self.store.rid
        ):
            await self._sleep(delay)
            return
        deadline = self._clock() + delay
        fresh_at = self._clock()
        while (remaining := deadline - self._clock()) > 0:
            wait = remaining % every
            if self._clock() + wait - fresh_at < every / 2:
                wait += every  # too soon after the last fresh data
            if wait > remaining:
                break
            if await self._sleep(wait):
                return
            if self._unseen or self.api is None:
                break
            spent = await self.refresh_once(timeout=every)
            if spent is None:
                break
            fresh_at = self._clock()
            # The server's share stays that of maindata alone: 2.5x each request's time as rest.
            deadline += (1 + SLOW_SERVER_REST) * spent
        await self._sleep(max(deadline - self._clock(), 0.0))

    async def refresh_once(self, timeout: float | None = None) -> float | None:
        """One refresh of the active torrents and the global speeds; returns how long the requests
        took, or None when they failed or took longer than `timeout` (the next `maindata` poll
        deals with the link). Slower than that, the link and not the server is what is slow: a
        refresh would bring nothing fresher than the next poll, so a few rests go without them."""
        api = self.api
        if api is None:
            return None
        started = self._clock()
        try:
            async with asyncio.timeout(timeout):
                rows, transfer = await self._refresh_requests(api)
        except TimeoutError:
            log.info("refreshing the active torrents took over %s s: none for the next rests", timeout)
            self._skip_refreshes = SKIP_AFTER_SLOW_REFRESH
            return None
        except errors.QbtError as exc:
            log.info("no refresh of the active torrents: %s", exc)
            return None
        spent = self._clock() - started
        try:
            changes = self.store.refresh(rows, transfer)
        except Exception:  # a pathological answer: the next maindata poll has the last word
            log.exception("unexpected error while refreshing the active torrents")
            return None
        self.refreshes += 1
        self._listener(SyncUpdate(LinkState.LIVE, changes=changes, refresh=True))
        return spent

    async def _refresh_requests(self, api: QbtApi) -> tuple[list[Any], dict[str, Any]]:
        rows, transfer = await asyncio.gather(api.active_rows(), api.transfer_raw())
        active = {_hash_of(row) for row in rows}
        # Those that stopped being active since the last refresh: their speeds went to zero,
        # which `maindata` will not say if that is what it last sent.
        dropped = self._was_active - active
        if dropped:
            rows = [*rows, *await api.rows_by_hash(sorted(dropped))]
        self._was_active = active
        return rows, transfer

    async def _sleep(self, delay: float | None) -> bool:
        """Wait `delay` seconds (None: until poked); True when a poke ended the wait."""
        if delay is None:
            await self._wake.wait()
            return True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=delay)
        return self._wake.is_set()

    def detach(self) -> QbtApi | None:
        """Hand over the logged-in API (to keep its session for a later switch back) and forget it."""
        api, self.api = self.api, None
        self.failures = 0
        return api

    def attach(self, api: QbtApi) -> None:
        """Poll through an API that is already logged in (a server switched back to)."""
        self.api = api
        self.failures = 0

    def reset(self) -> None:
        """Forget the connection: the next poll connects and logs in again."""
        if self.api is not None:
            self._stale_apis.append(self.api)
        self.api = None
        self.failures = 0

    async def close(self) -> None:
        for api in self._stale_apis:
            await api.close()
        self._stale_apis.clear()
        if self.api is not None:
            await self.api.close()
            self.api = None
