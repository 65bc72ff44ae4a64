"""The app while several servers are shown as one table (`--server all`, `--server GROUP`, or the
overview's fleet rows): the joined store, the members' poll loops, and what each member keeps of its
own (session, settings, speed graph, expectations of undo, completion events).

Which server the app's services mean (details, log, preferences, the dialogs) is `focus`: the
server of the highlighted row, followed only while the main screen is on top, so a dialog opened
for one server never ends up sending to another. No Textual here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from qbtui.api import ConnectionSettings, QbtApi, errors
from qbtui.model.events import TorrentEvents
from qbtui.model.expectations import Expectations
from qbtui.model.fleet import FleetStore, split_key
from qbtui.model.fleet_sync import FleetListener, FleetSync
from qbtui.model.history import SpeedHistory
from qbtui.model.paths import PathMap
from qbtui.model.store import Store
from qbtui.model.sync import Connector, FirstPage, LinkState
from qbtui.settings.passwords import PasswordError
from qbtui.settings.servers import ServerPool


@dataclass(slots=True)
class Member:
    """What the fleet keeps per server besides its store and poll loop."""

    name: str
    history: SpeedHistory = field(default_factory=SpeedHistory)
    events: TorrentEvents = field(default_factory=TorrentEvents)
    #: Whether its first live data arrived (completion toasts start after it).
    seen_live: bool = False
    #: Its refusal, or its going down, was announced (a toast once, not at every poll).
    refusal_told: bool = False
    drop_told: bool = False


class FleetMode:
    def __init__(
        self,
        name: str,
        members: Sequence[str],
        pool: ServerPool,
        listener: FleetListener,
        *,
        interval: float | None = None,
        unseen_interval: float | None = None,
        active_interval: float | None = None,
        first_page: Callable[[], FirstPage | None] | None = None,
    ) -> None:
        #: "all" or the group's name.
        self.name = name
        self.pool = pool
        self.store = FleetStore(members)
        self.members = {member: Member(member) for member in members}
        self.sync = FleetSync(
            self.store,
            {member: self._connector(member) for member in members},
            listener,
            interval=interval,
            unseen_interval=unseen_interval,
            active_interval=active_interval,
            first_page=first_page,
        )
        self.focus: str = members[0]
        #: The fleet's own speed graph: the live servers' speeds summed, one sample per interval.
        self.history = SpeedHistory()
        self.started = time.monotonic()

    @property
    def names(self) -> list[str]:
        return list(self.members)

    def _connector(self, name: str) -> Connector:
        async def connect() -> QbtApi:
            parked = self.pool.take(name)
            if parked is not None:
                return parked
            try:
                settings = await self.pool.settings_for(name)
            except PasswordError as exc:
                # A password source that fails is a refusal: retrying on a timer would not mend it.
                raise errors.BadCredentials(f"{name}: password: {exc}") from None
            return await self.pool.target.connect(settings)

        return connect

    # -- the services of one member --------------------------------------------------------------

    def api(self, name: str | None = None) -> QbtApi | None:
        return self.sync.api(name or self.focus)

    def member_store(self, name: str | None = None) -> Store:
        return self.store.members[name or self.focus]

    def settings(self, name: str | None = None) -> ConnectionSettings | None:
        return self.pool.known_settings(name or self.focus)

    def path_map(self, name: str) -> PathMap:
        server = self.pool.servers.get(name)
        return PathMap.of(server.path_map if server is not None else ())

    def expectations(self, name: str) -> Expectations:
        store = self.store.members[name]
        return Expectations(generation=lambda: store.rid)

    def server_of(self, key: str | None) -> str | None:
        if key is None:
            return None
        server, _ = split_key(key)
        return server if server in self.members else None

    # -- what the status line and the sidebar show -----------------------------------------------

    def indicator(self) -> list[tuple[str, str]]:
        """(server, live | connecting | stale | refused) in the fleet's order."""
        return [(name, self.sync.links[name].word) for name in self.members]

    def link(self) -> LinkState:
        """The fleet's link as one: live while any server is, connecting until one is."""
        states = {link.state for link in self.sync.links.values()}
        if LinkState.LIVE in states:
            return LinkState.LIVE
        if states <= {LinkState.CONNECTING}:
            return LinkState.CONNECTING
        return LinkState.DISCONNECTED

    def stale(self) -> frozenset[str]:
        return frozenset(name for name, link in self.sync.links.items() if link.stale)

    def record_speeds(self) -> None:
        """One sample of the fleet's graph: a gap while no server is live."""
        if self.store.live:
            state = self.store.server_state
            # While nobody looks the servers are polled rarely: these samples repeat stale speeds.
            unseen = any(poller.unseen for poller in self.sync.pollers.values())
            self.history.record(state.dl_info_speed, state.up_info_speed, coarse=unseen)
        else:
            self.history.record_gap()
