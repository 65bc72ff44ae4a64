"""Several configured servers in one app: which one is shown, and one logged-in API service per
server kept for the app's lifetime (every login costs the server memory that logout does not
return, so switching back and forth must not log in again). No Textual here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from qbtui.api import ConnectionSettings, QbtApi, errors
from qbtui.api.models import ServerState
from qbtui.api.target import ServerTarget
from qbtui.settings.config import ALL_SERVERS, ServerConfig
from qbtui.settings.passwords import PasswordError


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """One line of the servers overview."""

    name: str
    url: str
    current: bool
    state: str  # "live", "connecting", "unreachable", "refused", "not checked"
    detail: str = ""
    dl_speed: int | None = None
    up_speed: int | None = None
    version: str = ""


def adhoc_name(url: str, taken: Collection[str] = ()) -> str:
    """A name for the server given with --url: its host and port, as the user typed them (a config
    name cannot hold a colon, so it never clashes with one), made unique among `taken`."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname or url
    name = f"{host}:{port}" if port else host
    if parts.path.strip("/"):
        name += "/" + parts.path.strip("/")
    unique, number = name, 2
    while unique in taken:
        unique, number = f"{name} ({number})", number + 1
    return unique


class ServerPool:
    def __init__(
        self,
        servers: Mapping[str, ServerConfig],
        current: str | None,
        target: ServerTarget,
        groups: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.servers = dict(servers)
        #: [groups.NAME]: servers shown together in one table.
        self.groups = {name: tuple(members) for name, members in (groups or {}).items()}
        self.target = target
        self._apis: dict[str, QbtApi] = {}
        self._settings: dict[str, ConnectionSettings] = {}
        #: Servers that are not in the config: the one given with --url (never saved, listed anyway).
        self.adhoc: set[str] = set()
        if current is None or current not in self.servers:
            current = self._adopt(target.settings, current)
        self.current: str = current

    def _adopt(self, settings: ConnectionSettings, name: str | None) -> str:
        """The server the app was started on without a config name (--url, or a config server given
        by its URL): listed with the others so that the overview and the palette can switch back."""
        for known, server in self.servers.items():
            if server.url.rstrip("/") == settings.base_url.rstrip("/") and (server.username or None) == (
                settings.username or None
            ):
                self._settings[known] = settings
                return known
        name = name or adhoc_name(settings.url, self.servers)
        self.servers[name] = ServerConfig(name, settings.url, settings.username)
        self._settings[name] = settings
        self.adhoc.add(name)
        return name

    def named(self) -> bool:
        """Whether servers are told apart by name here (several, or one the user named)."""
        return len(self.servers) > 1 or not self.adhoc

    async def settings_for(self, name: str) -> ConnectionSettings:
        """The server's settings with its password read once (from a command: in a thread, kept
        off the terminal the TUI owns). Raises PasswordError."""
        if name not in self._settings:
            server = self.servers[name]
            self._settings[name] = await asyncio.to_thread(server.settings, interactive=False)
        return self._settings[name]

    def remember(self, name: str, settings: ConnectionSettings) -> None:
        """The settings a server is reached with now (after the user edited them or a preferences
        change moved its WebUI): a later switch back uses these."""
        self._settings[name] = settings

    def known_settings(self, name: str) -> ConnectionSettings | None:
        """The settings a server was last reached with (None before its password was read)."""
        return self._settings.get(name)

    def fleet(self, name: str) -> tuple[str, ...] | None:
        """The servers a fleet name means: "all" (unless a server has that name) or a group."""
        if name in self.servers:
            return None
        if name == ALL_SERVERS:
            return tuple(self.servers)
        return self.groups.get(name)

    def fleets(self) -> list[tuple[str, tuple[str, ...]]]:
        """Every fleet the user can open: all servers (when there are several), then the groups."""
        found = (
            [(ALL_SERVERS, tuple(self.servers))]
            if len(self.servers) > 1 and ALL_SERVERS not in self.servers
            else []
        )
        return found + list(self.groups.items())

    def park(self, name: str | None, api: QbtApi | None) -> None:
        """Keep a server's logged-in API for later (the one the poller used until a switch)."""
        if name is not None and api is not None:
            self._apis.setdefault(name, api)

    def take(self, name: str) -> QbtApi | None:
        """A parked API for `name`, handed over to the poller."""
        return self._apis.pop(name, None)

    async def api_for(self, name: str) -> QbtApi:
        """A logged-in API for a server that is not the current one (for the overview)."""
        api = self._apis.get(name)
        if api is None:
            api = await self.target.connect(await self.settings_for(name))
            self._apis[name] = api
        return api

    async def status_of(self, name: str) -> ServerStatus:
        server = self.servers[name]
        try:
            api = await self.api_for(name)
            state: ServerState = await api.transfer_info()
        except PasswordError as exc:
            return ServerStatus(name, server.url, False, "refused", f"password: {exc}")
        except errors.AuthProblem as exc:
            self._apis.pop(name, None)
            return ServerStatus(name, server.url, False, "refused", str(exc))
        except errors.QbtError as exc:
            return ServerStatus(name, server.url, False, "unreachable", str(exc))
        return ServerStatus(
            name, server.url, False, "live", "", state.dl_info_speed, state.up_info_speed, api.info.describe()
        )

    async def close(self) -> None:
        apis, self._apis = list(self._apis.values()), {}
        for api in apis:
            await api.close()
