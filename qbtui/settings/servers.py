"""Several configured servers in one app: which one is shown, and one logged-in API service per
server kept for the app's lifetime (every login costs the server memory that logout does not
return, so switching back and forth must not log in again). No Textual here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

from qbtui.api import ConnectionSettings, QbtApi, errors
from qbtui.api.models import ServerState
from qbtui.api.target import ServerTarget
from qbtui.settings.config import ServerConfig
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


class ServerPool:
    def __init__(
        self, servers: Mapping[str, ServerConfig], current: str | None, target: ServerTarget
    ) -> None:
        self.servers = dict(servers)
        self.current = current
        self.target = target
        self._apis: dict[str, QbtApi] = {}
        self._settings: dict[str, ConnectionSettings] = {}

    async def settings_for(self, name: str) -> ConnectionSettings:
        """The server's settings with its password read once (from a command: in a thread, kept
        off the terminal the TUI owns). Raises PasswordError."""
        if name not in self._settings:
            server = self.servers[name]
            self._settings[name] = await asyncio.to_thread(server.settings, interactive=False)
        return self._settings[name]

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
