"""The shared footing of the WebAPI v2 capabilities that live in modules of their own (RSS, search):
one session, the server's version, the gates, and `--read-only`.

A capability service is built from the app's API service (`RssApi(api)`); it refuses what the
server's version lacks with a sentence naming the first qBittorrent release that has it, and
refuses every change when the API service is read-only, whatever the UI forgets to hide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qbtui.api import errors
from qbtui.api.base import QbtApi
from qbtui.api.gates import needs_sentence
from qbtui.api.models import ServerInfo
from qbtui.api.readonly import ReadOnlyApi, ReadOnlyRefused
from qbtui.api.session import FormValue, HttpSession

P = "api/v2/"


class Capability:
    """A group of v2 endpoints over the session of an API service (V2Api or a read-only wrapper)."""

    #: What the capability is called in messages ("RSS", "Search").
    NAME = ""
    #: The WebAPI version that brought it.
    SINCE: tuple[int, ...] = (2, 0)

    def __init__(self, api: QbtApi | ReadOnlyApi) -> None:
        # A read-only service passes its session and server info through; the changes this
        # capability makes are refused here instead (`changing`).
        self.read_only = isinstance(api, ReadOnlyApi)
        self.session: HttpSession = api.session
        self.info: ServerInfo = api.info

    # -- gates ----------------------------------------------------------------------------------

    def has(self, *version: int) -> bool:
        return self.info.v2_at_least(*version)

    def missing(self) -> str | None:
        """Why this server has none of the capability, in a sentence; None when it has it."""
        if self.info.is_legacy:
            return (
                f"{self.NAME} needs qBittorrent 4.1 or later (WebAPI v2): {self.info.describe()} speaks the "
                f"legacy WebUI API, which has no {self.NAME}"
            )
        if not self.has(*self.SINCE):
            return self.lacks(self.NAME, *self.SINCE)
        return None

    def lacks(self, what: str, *version: int) -> str:
        return needs_sentence(what, version, self.info)

    def need(self, what: str, *version: int) -> None:
        if reason := self.missing():
            raise errors.NotSupported(reason)
        if version and not self.has(*version):
            raise errors.NotSupported(self.lacks(what, *version))

    def changing(self, what: str) -> None:
        if self.read_only:
            raise ReadOnlyRefused(f"qbtui runs read-only (--read-only): {what} is disabled")

    # -- requests -------------------------------------------------------------------------------

    async def get_json(self, path: str, params: Mapping[str, FormValue] | None = None) -> Any:
        return self.session.json(await self.session.get(P + path, params), path)

    async def get_text(self, path: str, params: dict[str, FormValue] | None = None) -> str:
        return (await self.session.get(P + path, params)).text

    async def post(self, path: str, form: Mapping[str, FormValue] | None = None) -> str:
        """An action that changes something: POST (some are POST-only), 200 or 204 both mean done."""
        return (await self.session.post(P + path, form or {})).text

    async def post_json(self, path: str, form: dict[str, FormValue] | None = None) -> Any:
        return self.session.json(await self.session.post(P + path, form or {}), path)
