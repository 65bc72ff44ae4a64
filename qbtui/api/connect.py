"""Detect which API a server speaks, log in, and hand back the matching API service.

Detection (facts §0): probe `/api/v2/app/webapiVersion` — 404 means a legacy server (then
`/version/api`, public), 403 a v2 server wanting a login, 200 a v2 server with auth bypass.
A legacy `/version/api` of 18 or more is a 4.1.x compatibility shim: speak v2.
"""

from __future__ import annotations

import httpx

from qbtui.api import errors
from qbtui.api.base import QbtApi
from qbtui.api.legacy import LegacyApi
from qbtui.api.models import ApiGeneration, ServerInfo, parse_webapi_version
from qbtui.api.session import ConnectionSettings, HttpSession
from qbtui.api.v2 import V2Api

_PROBE = "api/v2/app/webapiVersion"


async def connect(
    settings: ConnectionSettings,
    transport: httpx.AsyncBaseTransport | None = None,
) -> QbtApi:
    """Return a logged-in API service for the server in `settings`."""
    session = HttpSession(settings, transport)
    try:
        api = await _detect_and_login(session)
    except BaseException:
        await session.aclose()
        raise
    return api


async def _detect_and_login(session: HttpSession) -> QbtApi:
    probe = await session.get(_PROBE, auth=False, check=False)
    if HttpSession.is_ban(probe):
        session.raise_for_status(probe, _PROBE)
    if probe.status_code == 401:
        session.raise_for_status(probe, _PROBE)
    if probe.status_code == 404:
        return await _legacy(session)
    if probe.status_code in (200, 403):
        # Only v2 servers answer this path with 200 or 403, and they keep connections alive: reuse
        # one from here on (the login included) instead of a new TCP (and TLS) handshake per request.
        session.keep_alive(True)
    if probe.status_code == 403:
        # A v2 server that wants a login before it tells its version.
        api = V2Api(session, ServerInfo(ApiGeneration.V2, (2, 0)))
        if session.settings.api_key:
            # A key the server knows opens every path: this one is wrong, deleted, or the server
            # predates API keys (5.2).
            raise errors.BadCredentials(
                f"{session.where()} did not accept the API key (HTTP 403): check it, or create a new one; "
                "API keys need qBittorrent 5.2 or later"
            )
        if session.settings.username is None:
            raise errors.BadCredentials(
                f"{session.where()} requires a login: give --username and a password "
                "(--password-env VAR, --password-cmd CMD or QBTUI_PASSWORD)"
            )
        _require_password(session)
        await api.login()
        probe = await session.get(_PROBE)
    elif probe.status_code == 200:
        api = V2Api(session, ServerInfo(ApiGeneration.V2, (2, 0)))
    else:
        session.raise_for_status(probe, _PROBE)
        raise errors.BadResponse(f"unexpected HTTP {probe.status_code} from {_PROBE}")
    version = parse_webapi_version(probe.text)
    if version is None:
        raise errors.BadResponse(
            f"{session.where()} does not look like qBittorrent: {_PROBE} answered {probe.text[:40]!r}"
        )
    api.info = ServerInfo(ApiGeneration.V2, version, app_version=await api.app_version())
    return api


async def _legacy(session: HttpSession) -> QbtApi:
    response = await session.get("version/api", auth=False)
    number = response.text.strip()
    if not number.isdigit():
        raise errors.BadResponse(
            f"{session.where()} does not look like qBittorrent: /version/api answered {number[:40]!r}"
        )
    api_number = int(number)
    if api_number >= 18:
        raise errors.NotSupported(
            f"{session.where()} reports legacy API {api_number} (qBittorrent 4.1.x) but hides /api/v2; "
            "check the reverse proxy forwards /api/v2"
        )
    if api_number < 2:
        raise errors.NotSupported(f"qBittorrent with API {api_number} (before 3.2.0) is not supported")
    api_min = (await session.get("version/api_min", auth=False)).text.strip()
    app = (await session.get("version/qbittorrent", auth=False)).text.strip()
    info = ServerInfo(
        ApiGeneration.LEGACY,
        (api_number,),
        app_version=app,
        api_min=int(api_min) if api_min.isdigit() else None,
    )
    api = LegacyApi(session, info)
    if session.settings.username is not None and session.settings.password:
        await api.login()
    elif session.settings.username is not None:
        # No password: in only if the server lets us in without a login (auth bypass).
        bypass = await session.get("query/transferInfo", auth=False, check=False)
        if bypass.status_code != 200:
            _require_password(session)
    else:
        # Find out now whether the server lets us in without a login (auth bypass).
        await session.get("query/transferInfo")
    return api


def _require_password(session: HttpSession) -> None:
    """A login with no password is never sent: it would fail, and count towards a ban."""
    if not session.settings.password:
        raise errors.PasswordMissing(
            f"{session.where()} wants a login and qbtui has no password for {session.settings.username}: "
            "type it on the connection screen (or give --password-env VAR, --password-cmd CMD or "
            "QBTUI_PASSWORD). Nothing was sent."
        )
