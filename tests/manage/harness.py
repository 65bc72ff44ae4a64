"""A minimal app for the management screens: `.api`, `.store` (filled once), `.poke()`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from qbtui.api import ConnectionSettings, QbtApi, connect
from qbtui.model.store import Store
from qbtui.ui.themes import use_shipped_themes
from tests.support.services import HarnessServices
from tests.support.waiting import until  # noqa: F401 (re-exported for the tests here)


class Harness(HarnessServices, App[None]):
    """Connects on mount, fills the store from one full maindata, then pushes the screen."""

    def __init__(
        self,
        url: str,
        make_screen: Callable[[Harness], Screen[Any]],
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        **login: str,
    ) -> None:
        super().__init__()
        self.transport = transport
        use_shipped_themes(self)  # look like the real app
        self.settings = ConnectionSettings(
            url=url,
            username=login.get("username", "admin"),
            password=login.get("password", "adminadmin"),
            timeout=10,
        )
        self.make_screen = make_screen
        self.api: QbtApi | None = None
        self.store = Store()
        self.pokes = 0
        self.ready = False

    async def on_mount(self) -> None:
        self.api = await connect(self.settings, self.transport)
        self.store.apply(await self.api.maindata(0))
        await self.push_screen(self.make_screen(self))
        self.ready = True

    def poke(self) -> None:
        self.pokes += 1

    async def on_unmount(self) -> None:
        if self.api is not None:
            await self.api.close()


def text_of(pilot: Pilot[Any], selector: str) -> str:
    """The plain text a Static shows."""
    from textual.widgets import Static

    return str(pilot.app.screen.query_one(selector, Static).content)
