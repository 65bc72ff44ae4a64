"""Reusing one login across short-lived processes (`qbtui status`, run every few seconds by tmux).

Every login costs qBittorrent memory that a logout does not give back, so a status line that logged
in on each run would slowly bloat the server. Instead the session cookie and what detection learned
are kept in a private (0600) file; the next run sends one request with that cookie, and logs in
again only when the server answers 403. The file holds a session cookie, never the password.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from qbtui.api.base import QbtApi
from qbtui.api.connect import connect
from qbtui.api.legacy import LegacyApi
from qbtui.api.models import ApiGeneration, ServerInfo
from qbtui.api.session import ConnectionSettings, HttpSession
from qbtui.api.v2 import V2Api
from qbtui.util.atomicfile import write_atomic


def _key(settings: ConnectionSettings) -> str:
    """Which server and account a saved session belongs to (a hash: the file names neither)."""
    return hashlib.sha256(f"{settings.base_url}\n{settings.username or ''}".encode()).hexdigest()


def _load(path: Path, settings: ConnectionSettings) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != _key(settings):
        return None
    return data


async def connect_saved(settings: ConnectionSettings, path: Path) -> QbtApi:
    """A logged-in API, from the saved session when there is one for these settings."""
    data = _load(path, settings)
    if data is None:
        return await connect(settings)
    try:
        generation = ApiGeneration(data["generation"])
        info = ServerInfo(
            generation,
            tuple(int(part) for part in data["api_version"]),
            app_version=str(data.get("app_version", "")),
            api_min=data.get("api_min"),
        )
        cookies = {str(k): str(v) for k, v in dict(data["cookies"]).items()}
    except (KeyError, TypeError, ValueError):
        return await connect(settings)
    session = HttpSession(settings)
    session.keep_alive(generation is ApiGeneration.V2)
    for name, value in cookies.items():
        session.cookies.set(name, value)
    api: QbtApi = V2Api(session, info) if generation is ApiGeneration.V2 else LegacyApi(session, info)
    # A 403 means the saved session expired (or the server restarted): log in once and retry.
    session.relogin = api.login
    return api


def save(api: QbtApi, path: Path) -> None:
    """Remember the session for the next run (0600, atomically)."""
    info = api.info
    cookies = {cookie.name: cookie.value or "" for cookie in api.session.cookies.jar}
    if not cookies:
        return  # an auth-bypass server: nothing worth keeping
    data = {
        "key": _key(api.session.settings),
        "generation": info.generation.value,
        "api_version": list(info.api_version),
        "app_version": info.app_version,
        "api_min": info.api_min,
        "cookies": cookies,
    }
    write_atomic(path, json.dumps(data))
