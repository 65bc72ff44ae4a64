"""Which server versions have which detail endpoints, said in words a user can act on.

The API service raises `NotSupported` when asked for something the server lacks; the tabs ask
these first so they can explain the gap before sending anything.
"""

from __future__ import annotations

from qbtui.api.models import ServerInfo

#: The first qBittorrent release that spoke each legacy API version we gate on.
LEGACY_RELEASES = {3: "3.2.1", 7: "3.3.1", 10: "3.3.5", 14: "3.3.13", 16: "4.0.0"}
#: The first qBittorrent release of each WebAPI v2 version we gate on.
V2_RELEASES = {
    (2, 2): "4.1.5",
    (2, 3): "4.2.0",
    (2, 4): "4.2.1",
    (2, 7): "4.3.2",
    (2, 8, 4): "4.4.0",
    (2, 11, 3): "5.1.0",
    (2, 12, 1): "5.2.0",
}


def needs_legacy(info: ServerInfo, version: int, what: str) -> str | None:
    """None when the server has it (every v2 server does), else "<what> qBittorrent X (API n) or later"."""
    if not info.is_legacy or info.api_version[0] >= version:
        return None
    release = LEGACY_RELEASES.get(version, f"with API {version}")
    return f"{what} qBittorrent {release} (API {version}) or later; this server is {info.describe()}."


def needs_v2(info: ServerInfo, version: tuple[int, ...], what: str) -> str | None:
    """None when the server speaks WebAPI `version` or later; legacy servers never do."""
    if info.v2_at_least(*version):
        return None
    release = V2_RELEASES.get(version, "4.1")
    text = ".".join(map(str, version))
    return f"{what} qBittorrent {release} (WebAPI {text}) or later; this server is {info.describe()}."
