"""A minimal app for the preferences screen: `.api` from `connect`, and `reconnect()` (counted)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from qbtui.api import ConnectionSettings, QbtApi, connect
from qbtui.ui.screens.preferences import PreferencesScreen, control_id
from qbtui.ui.themes import use_shipped_themes
from tests.support.services import HarnessServices
from tests.support.waiting import until


class PrefsHarness(HarnessServices, App[None]):
    def __init__(self, url: str, username: str = "admin", password: str = "adminadmin") -> None:
        super().__init__()
        use_shipped_themes(self)  # look like the real app
        self.settings = ConnectionSettings(url=url, username=username, password=password, timeout=10)
        self.api: QbtApi | None = None
        self.reconnects = 0
        self.reconnected_with: tuple[dict | None, dict | None] = (None, None)
        self.ready = False

    async def on_mount(self) -> None:
        self.api = await connect(self.settings)
        await self.push_screen(PreferencesScreen())
        self.ready = True

    def reconnect(self, *, before: dict | None = None, changed: dict | None = None) -> None:
        self.reconnects += 1
        self.reconnected_with = (before, changed)

    async def on_unmount(self) -> None:
        if self.api is not None:
            await self.api.close()


async def loaded(pilot: Pilot[Any]) -> PreferencesScreen:
    app = pilot.app
    assert isinstance(app, PrefsHarness)
    await until(pilot, lambda: app.ready and isinstance(app.screen, PreferencesScreen), what="screen")
    screen = app.screen
    assert isinstance(screen, PreferencesScreen)
    await until(pilot, lambda: screen._loaded, what="preferences loaded")
    await pilot.pause()
    return screen


async def show_tab(pilot: Pilot[Any], screen: PreferencesScreen, key: str) -> None:
    from textual.widgets import TabbedContent

    from qbtui.model.preferences import pref_for

    assert screen.form is not None
    group = pref_for(key, screen.form.original.get(key)).group
    screen.query_one(TabbedContent).active = "tab-" + group.lower().replace(" ", "_")
    await pilot.pause()


async def type_into(pilot: Pilot[Any], screen: PreferencesScreen, key: str, text: str) -> Input:
    await show_tab(pilot, screen, key)
    box = screen.query_one(f"#{control_id(key)}", Input)
    box.focus()
    box.value = ""
    await pilot.pause()
    if text:
        await pilot.press(*text)
    await pilot.pause()
    return box
