"""Which server the app talks to, and how that follows the user's own WebUI preference changes.

When the user changes the WebUI port, bind address, username or password through the preferences
form, the next login must use the new values or the app locks itself out (and, repeated, earns a
ban). `ServerTarget` is the app's connector: it owns the current `ConnectionSettings` and rewrites
them from the saved preference changes before the reconnect.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

from qbtui.api.base import QbtApi
from qbtui.api.connect import connect
from qbtui.api.readonly import ReadOnlyApi
from qbtui.api.session import ConnectionSettings

#: Bind addresses that listen everywhere: the host the user connects to keeps working.
_WILDCARDS = frozenset({"", "*", "0.0.0.0", "::", "[::]"})


@dataclass(frozen=True, slots=True)
class Retarget:
    """The connection settings after a preferences save, and what changed, in words."""

    settings: ConnectionSettings
    changes: tuple[str, ...]


def _effective_port(url: str) -> int | None:
    parts = urlsplit(url)
    try:
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None


def _replace_netloc(url: str, host: str | None = None, port: int | None = None) -> str:
    parts = urlsplit(url)
    new_host = host if host is not None else (parts.hostname or "")
    if ":" in new_host and not new_host.startswith("["):
        new_host = f"[{new_host}]"
    new_port = port if port is not None else parts.port
    netloc = new_host if new_port is None else f"{new_host}:{new_port}"
    if parts.username is not None:  # keep user-info a user put in the URL (rare, but theirs)
        netloc = f"{parts.netloc.rsplit('@', 1)[0]}@{netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def settings_after_preferences(
    settings: ConnectionSettings, before: Mapping[str, Any], changed: Mapping[str, Any]
) -> Retarget:
    """Rewrite `settings` for saved WebUI preference changes.

    The URL is only rewritten when it points straight at qBittorrent, i.e. its port is the WebUI
    port the server reported before the change. Behind a reverse proxy the URL's port is the
    proxy's and the proxy's configuration, not ours, must follow.
    """
    url = settings.base_url
    notes: list[str] = []
    direct = _effective_port(url) == before.get("web_ui_port")
    new_port = changed.get("web_ui_port")
    if isinstance(new_port, int) and direct and new_port != _effective_port(url):
        url = _replace_netloc(url, port=new_port)
        notes.append(f"port {new_port}")
    address = changed.get("web_ui_address")
    if isinstance(address, str) and direct and address.strip() not in _WILDCARDS:
        host = address.strip()
        current = urlsplit(url).hostname or ""
        # A hostname in the URL may well resolve to the new bind address; an IP literal cannot.
        if host.strip("[]") != current and _is_ip(current):
            url = _replace_netloc(url, host=host.strip("[]"))
            notes.append(f"address {host}")
    username = settings.username
    if isinstance(changed.get("web_ui_username"), str) and changed["web_ui_username"] != username:
        username = changed["web_ui_username"]
        notes.append(f"username {username}")
    password = settings.password
    if isinstance(changed.get("web_ui_password"), str) and changed["web_ui_password"]:
        password = changed["web_ui_password"]
        notes.append("the new password")
    if url != settings.base_url:
        new = replace(settings, url=url.rstrip("/"), username=username, password=password)
    else:
        new = replace(settings, username=username, password=password)
    return Retarget(new, tuple(notes))


@dataclass(slots=True)
class ServerTarget:
    """The app's connector: `await target()` logs in to the current server and returns its API."""

    settings: ConnectionSettings
    #: --read-only: every API service handed out refuses changes (see qbtui.api.readonly).
    read_only: bool = False
    history: list[Retarget] = field(default_factory=list, repr=False)

    async def __call__(self) -> QbtApi:
        return await self.connect(self.settings)

    async def connect(self, settings: ConnectionSettings) -> QbtApi:
        """Log in to `settings`' server, read-only if this target is."""
        api = await connect(settings)
        return cast(QbtApi, ReadOnlyApi(api)) if self.read_only else api

    def follow_preferences(self, before: Mapping[str, Any], changed: Mapping[str, Any]) -> Retarget:
        result = settings_after_preferences(self.settings, before, changed)
        self.settings = result.settings
        self.history.append(result)
        return result
