"""The fleet's poll loops: one `Poller` per server, each with its own session, backoff and API
dialect, each in its own task. A server that is slow, down, banned or untrusted holds up only its
own loop: the others poll on, and its rows stay as last seen, marked stale (its `MemberLink`).

Every member's update goes through `FleetStore.absorb` (into the table's keys) and then, as a
`FleetUpdate`, to the listener (the UI). No Textual here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from qbtui.api import QbtApi, errors
from qbtui.model.fleet import FleetStore
from qbtui.model.store import ChangeSet
from qbtui.model.sync import Connector, FirstPage, LinkState, Poller, SyncUpdate

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FleetUpdate:
    """One member's poll: its own update (link state, its store's change set) and the same changes
    in the fleet's keys (None when it brought no data)."""

    server: str
    update: SyncUpdate
    changes: ChangeSet | None
    #: The member's link changed between live and not (its rows' staleness and the fleet's speeds).
    link_changed: bool = False
    #: The FleetSync it came from (a fleet left since may still have a message on its way).
    origin: object = None


@dataclass(slots=True)
class MemberLink:
    """What the fleet knows of one server's connection, for its indicator and its rows."""

    state: LinkState = LinkState.CONNECTING
    update: SyncUpdate | None = None
    #: When the last live poll arrived (time.monotonic()), None before the first.
    live_at: float | None = None
    polls: int = 0

    @property
    def stale(self) -> bool:
        """Its rows are the last data seen, not live (down, backing off, refused)."""
        return self.state is not LinkState.LIVE

    @property
    def word(self) -> str:
        """live, connecting, stale (down after it answered: its rows are the last seen), down (never
        answered yet) or refused: the per-server indicator."""
        if self.state is LinkState.DISCONNECTED:
            return "stale" if self.polls else "down"
        return self.state.value


FleetListener = Callable[[FleetUpdate], None]


class FleetSync:
    """Runs every member's poll loop until cancelled (`run()`, one task each)."""

    def __init__(
        self,
        store: FleetStore,
        connectors: Mapping[str, Connector],
        listener: FleetListener,
        *,
        interval: float | None = None,
        unseen_interval: float | None = None,
        active_interval: float | None = None,
        first_page: Callable[[], FirstPage | None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self._listener = listener
        self._clock = clock
        self.links: dict[str, MemberLink] = {name: MemberLink() for name in store.members}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self.pollers: dict[str, Poller] = {
            name: Poller(
                connectors[name],
                store.members[name],
                self._listener_for(name),
                interval=interval,
                first_page=first_page,
                clock=clock,
            )
            for name in store.members
        }
        for poller in self.pollers.values():
            poller.unseen_interval = unseen_interval
            poller.active_interval = active_interval

    def set_unseen(self, unseen: bool) -> None:
        """Nobody can see the app: every server rests `unseen_interval` (see `Poller.set_unseen`)."""
        for poller in self.pollers.values():
            poller.set_unseen(unseen)

    @property
    def names(self) -> list[str]:
        return list(self.pollers)

    def api(self, name: str) -> QbtApi | None:
        poller = self.pollers.get(name)
        return poller.api if poller is not None else None

    def _listener_for(self, name: str) -> Callable[[SyncUpdate], None]:
        def heard(update: SyncUpdate) -> None:
            self._heard(name, update)

        return heard

    def _heard(self, name: str, update: SyncUpdate) -> None:
        link = self.links[name]
        link.state, link.update = update.state, update
        if update.state is LinkState.LIVE and not (update.changes is not None and update.changes.preview):
            link.live_at = self._clock()
            link.polls += 1
        link_changed = self.store.set_live(name, update.state is LinkState.LIVE)
        changes = self.store.absorb(name, update.changes) if update.changes is not None else None
        self._listener(FleetUpdate(name, update, changes, link_changed, self))

    async def run(self) -> None:
        """Every member's loop in its own task, until cancelled."""
        self._tasks = {name: self._start(name) for name in self.pollers}
        try:
            await asyncio.Event().wait()  # the loops run in their tasks; this one waits to be cancelled
        finally:
            tasks, self._tasks = list(self._tasks.values()), {}
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    def _start(self, name: str) -> asyncio.Task[None]:
        return asyncio.create_task(self._run_member(name), name=f"poll {name}")

    async def _run_member(self, name: str) -> None:
        poller = self.pollers[name]
        while True:
            try:
                await poller.run()
            except asyncio.CancelledError:
                raise
            except Exception:  # the listener failed: one server's trouble never ends the others' loops
                log.exception("poll loop of %s", name)
                await asyncio.sleep(1.0)

    def poke(self, names: Iterable[str] | None = None) -> None:
        """Poll these servers now (all when None): after a command sent to them."""
        for name in self.pollers if names is None else names:
            poller = self.pollers.get(name)
            if poller is not None:
                poller.poke()

    def retry(self, names: Iterable[str] | None = None) -> list[str]:
        """Log in again where a login was refused (or the user logged out), and stop waiting out a
        backoff; returns the servers this reached (ctrl+r)."""
        reached = []
        for name in self.pollers if names is None else names:
            link, poller = self.links.get(name), self.pollers.get(name)
            if link is None or poller is None or link.state is LinkState.LIVE:
                continue
            if name not in self._tasks:
                self.restart(name)
            else:
                if link.state is LinkState.REFUSED:
                    poller.reset()
                poller.poke()
            reached.append(name)
        return reached

    def restart(self, name: str) -> None:
        """Log in to one server afresh (its settings changed) and poll it again."""
        task = self._tasks.pop(name, None)
        if task is not None:
            task.cancel()
        self.pollers[name].reset()
        self._tasks[name] = self._start(name)

    def stop(self, name: str, why: str = "logged out") -> None:
        """Stop polling one server (the user logged out of it); its rows stay, stale."""
        task = self._tasks.pop(name, None)
        if task is not None:
            task.cancel()
        self.pollers[name].reset()
        self._heard(name, SyncUpdate(LinkState.REFUSED, error=errors.QbtError(why)))

    def detach(self) -> dict[str, QbtApi]:
        """Hand over every member's logged-in API (kept for later) and forget them."""
        apis = {}
        for name, poller in self.pollers.items():
            api = poller.detach()
            if api is not None:
                apis[name] = api
        return apis

    async def close(self) -> None:
        for poller in self.pollers.values():
            await poller.close()
