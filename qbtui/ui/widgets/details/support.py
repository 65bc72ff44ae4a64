"""Which server versions have which detail endpoints, said in words a user can act on.

The API service raises `NotSupported` when asked for something the server lacks; the tabs ask
these first so they can explain the gap before sending anything.
"""

from __future__ import annotations

from qbtui.api.gates import LEGACY_RELEASES, V2_RELEASES
from qbtui.api.models import ServerInfo


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
