"""Which server versions have the WebUI's later capabilities, in one table, and the plumbing their
API mixins share.

Each `Gate` is the WebAPI version of the commit that added a capability (checked against
qBittorrent's source per release tag, see the issue 19 notes). Features are gated by the version the
server reported, never by probing: 404 is also the answer for an unknown hash or task. The legacy
API (qBittorrent 3.2 - 4.0.4) has none of them. `Gate.reason()` is the plain sentence a user sees
where a server lacks something; README's table "What each server version supports" lists the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from qbtui.api import errors
from qbtui.api.models import ServerInfo
from qbtui.api.session import FormValue, HttpSession

P = "api/v2/"


@dataclass(frozen=True, slots=True)
class Gate:
    #: What the user would miss, as the subject of "… needs qBittorrent 5.0 or later".
    what: str
    #: The first WebAPI version that has it.
    version: tuple[int, ...]
    #: The first qBittorrent release with that WebAPI version.
    release: str

    def allows(self, info: ServerInfo | None) -> bool:
        return info is not None and info.v2_at_least(*self.version)

    def reason(self, info: ServerInfo | None) -> str | None:
        """None when the server has it; else why not, in words a user can act on."""
        if info is None:
            return "Not connected to qBittorrent"
        if self.allows(info):
            return None
        return needs_sentence(self.what, self.version, info, self.release)


#: The first qBittorrent release of each WebAPI v2 version a gate names (webapplication.h API_VERSION
#: of the release tags; 4.2.4 already said 2.5.0 without markAsRead, which came with 2.5.1 in 4.2.5).
V2_RELEASES: dict[tuple[int, ...], str] = {
    (2, 0): "4.1.0",
    (2, 2): "4.1.5",
    (2, 3): "4.2.0",
    (2, 4): "4.2.1",
    (2, 5, 1): "4.2.5",
    (2, 7): "4.3.2",
    (2, 8, 4): "4.4.0",
    (2, 9, 1): "4.6.0",
    (2, 11): "5.0.0",
    (2, 11, 3): "5.1.0",
    (2, 11, 5): "5.2.0",
    (2, 12, 1): "5.2.0",
    (2, 13, 1): "5.3.0",
    (2, 15, 4): "5.3.0",
    (2, 16, 1): "5.3.0",
}
#: The first qBittorrent release that spoke each legacy API version qbtui gates on.
LEGACY_RELEASES = {3: "3.2.1", 7: "3.3.1", 10: "3.3.5", 14: "3.3.13", 16: "4.0.0"}


def release_of(version: tuple[int, ...]) -> str:
    return V2_RELEASES.get(version, "a later release")


def needs_sentence(what: str, version: tuple[int, ...], info: ServerInfo, release: str | None = None) -> str:
    """ "<what> needs qBittorrent R or later (WebAPI v); this server is …": one wording everywhere."""
    text = ".".join(map(str, version))
    return (
        f"{what} needs qBittorrent {release or release_of(version)} or later (WebAPI {text}); "
        f"this server is {info.describe()}."
    )


# -- the table ------------------------------------------------------------------------------------

CREATOR = Gate("The torrent creator", (2, 10, 4), "5.0")
#: 5.0.x set the new torrent's source from the `comment` parameter (fixed in 5.1 = WebAPI 2.11.3).
CREATOR_SOURCE = Gate("A source field apart from the comment", (2, 11, 3), "5.1")
#: Creator times as Unix seconds and the ignoreDotfiles switch (older servers always skip dotfiles).
CREATOR_DOTFILES = Gate("Including dotfiles in a new torrent", (2, 16, 0), "5.3")
#: Creator tracker and web seed URLs are percent-decoded from here on (after 5.1's 2.11.4).
CREATOR_DECODES_URLS = Gate("Creator URLs with | in them", (2, 11, 5), "5.2")
EXPORT = Gate("Exporting a .torrent file", (2, 8, 11), "4.5")
DOWNLOAD_PATH = Gate("A per-torrent incomplete (download) path", (2, 8, 4), "4.4")
SHARE_LIMITS = Gate("Per-torrent share limits", (2, 0), "4.1")
INACTIVE_SEEDING = Gate("An inactive seeding time limit", (2, 9, 2), "4.6")
SHARE_ACTION = Gate("A per-torrent share limit action", (2, 12, 0), "5.2")
SHARE_MODE = Gate("Whether any or all share limits must be reached", (2, 15, 3), "5.3")
#: The WebAPI version that added the actions (2.11.2) is also 5.0.0's, which lacks them.
WEB_SEEDS_EDIT = Gate("Adding, editing and removing web seeds", (2, 11, 3), "5.1")
COMMENT = Gate("Editing a torrent's comment", (2, 12, 1), "5.2")
DIRECTORY_CONTENT = Gate("Browsing the server's folders", (2, 11, 0), "5.0")
DIRECTORY_METADATA = Gate("Folder listings with sizes and dates", (2, 11, 8), "5.2")
FREE_SPACE = Gate("Free space at any path", (2, 15, 2), "5.3")


class V2Calls:
    """Requests for the capability mixins of `QbtApi` (creator, server paths, torrent edits).

    The mixins sit on the API service itself, not beside it, so the read-only proxy
    (`qbtui.api.readonly`) governs their methods like every other one.
    """

    session: HttpSession
    info: ServerInfo

    def gate(self, gate: Gate) -> None:
        reason = gate.reason(self.info)
        if reason is not None:
            raise errors.NotSupported(reason)

    async def v2_get(self, path: str, params: dict[str, FormValue] | None = None) -> httpx.Response:
        return await self.session.get(P + path, params)

    async def v2_post(self, path: str, form: dict[str, FormValue] | None = None) -> httpx.Response:
        return await self.session.post(P + path, form or {})

    def v2_json(self, response: httpx.Response, path: str) -> Any:
        return self.session.json(response, path)
