"""Server actions: what the server is, its default save path, its API key (5.2+: create, rotate,
delete), shutting it down and logging out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from qbtui.api import errors
from qbtui.settings.config import config_path
from qbtui.ui.screens.dialogs import ConfirmDialog, Dialog, confirm_then
from qbtui.ui.services import services
from qbtui.ui.text import safe
from qbtui.ui.workers import background

if TYPE_CHECKING:
    from qbtui.api import QbtApi


class ServerActionsScreen(Dialog[None]):
    DEFAULT_CSS = """
    ServerActionsScreen #facts { height: auto; margin-bottom: 1; }
    ServerActionsScreen #status { height: auto; color: $text-success; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="server.close"),
        Binding("S", "shutdown", "Shut down qBittorrent", id="server.shutdown"),
        Binding("L", "logout", "Log out", id="server.logout"),
        Binding("A", "rotate_key", "Create or rotate the API key", id="server.api-key"),
        Binding("D", "delete_key", "Delete the API key", id="server.delete-api-key"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.default_save_path: str | None = None
        #: Whether the server has an API key (None: unknown, or a server without API keys).
        self.has_api_key: bool | None = None

    @property
    def api(self) -> QbtApi | None:
        return services(self).api

    def server_name(self) -> str:
        api = self.api
        if api is None:
            return "qBittorrent"
        return f"{api.info.describe()} at {api.session.settings.base_url.rstrip('/')}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Server", classes="title")
            yield Static(Text("loading…"), id="facts")
            yield Static("", classes="error", id="error")
            yield Static("", id="status")
            yield Static(Text("S shut down · L log out · esc close", style="dim"), id="keys")
            # Shown once the server turns out to have API keys (5.2+).
            with Horizontal(classes="buttons", id="key-buttons"):
                yield Button("New API key…", id="rotate-key")
                yield Button("Delete API key", id="delete-key")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")
                yield Button("Log out", id="logout")
                yield Button("Shut down…", id="shutdown", variant="error")

    def on_mount(self) -> None:
        self.query_one("#key-buttons").display = False
        self.query_one("#close", Button).focus()
        self.load()

    @background(exclusive=True, group="server-load")
    async def load(self) -> None:
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return
        try:
            self.default_save_path = await api.default_save_path()
        except errors.QbtError as exc:
            self._error(f"Could not read the default save path: {exc}")
        facts = Text()
        facts.append("Server             ", style="dim")
        facts.append(safe(api.info.describe()) + "\n")
        facts.append("Address            ", style="dim")
        facts.append(safe(api.session.settings.base_url.rstrip("/")) + "\n")
        facts.append("Default save path  ", style="dim")
        facts.append(safe(self.default_save_path) if self.default_save_path is not None else "?")
        facts.append("\nAPI key            ", style="dim")
        facts.append(await self._api_key_state(api))
        self.query_one("#facts", Static).update(facts)

    async def _api_key_state(self, api: QbtApi) -> str:
        """Whether a key is set, never the key: 5.2+ lists it among the preferences."""
        if not api.info.v2_at_least(2, 14, 1):
            self.has_api_key = None
            return "needs qBittorrent 5.2 or later"
        self.query_one("#key-buttons").display = True
        self.query_one("#keys", Static).update(
            Text("A new API key · D delete it · S shut down · L log out · esc close", style="dim")
        )
        try:
            value = (await api.preferences()).get("web_ui_api_key")
        except errors.QbtError:
            return "?"
        self.has_api_key = bool(value)
        in_use = " (qbtui uses it)" if api.session.settings.api_key else ""
        return f"set{in_use}" if value else "none"

    def _error(self, text: str) -> None:
        self.query_one("#error", Static).update(Text(text))

    def _status(self, text: str) -> None:
        self._error("")
        self.query_one("#status", Static).update(Text(text))
        self.notify(text, markup=False, timeout=6)

    @on(Button.Pressed, "#shutdown")
    def action_shutdown(self) -> None:
        if self.api is None:
            self._error("Not connected to qBittorrent")
            return
        name = self.server_name()

        really = ConfirmDialog(
            "Really shut it down?",
            f"This stops {name}. Nothing will restart it from here.",
            f"Shut down {name}",
            danger=True,
        )
        first = ConfirmDialog(
            "Shut down qBittorrent?",
            "The server quits: every transfer stops until someone starts it again.",
            "Shut down",
            danger=True,
        )
        confirm_then(self, first, lambda: confirm_then(self, really, self.shutdown))

    @background(exclusive=True, group="server-action")
    async def shutdown(self) -> None:
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return
        name = self.server_name()
        try:
            await api.shutdown()
        except errors.QbtError as exc:
            self._error(f"Refused: {exc}")
            return
        self._status(f"Asked {name} to shut down")

    @on(Button.Pressed, "#logout")
    @background(exclusive=True, group="server-action")
    async def action_logout(self) -> None:
        api = self.api
        if api is None:
            self._error("Not connected to qBittorrent")
            return
        try:
            await api.logout()
        except errors.QbtError as exc:
            self._error(f"Refused: {exc}")
            return
        message = "Logged out"
        # Stop the poll loop (it would log straight back in) and forget the session.
        if services(self).stop_polling():
            message += ": polling stopped; reconnect to log in again"
        self._status(message)

    # -- API key ----------------------------------------------------------------------------------

    @on(Button.Pressed, "#rotate-key")
    def action_rotate_key(self) -> None:
        api = self.api
        if api is None or not api.info.v2_at_least(2, 14, 1):
            self._error("API keys need qBittorrent 5.2 or later")
            return
        if not self.has_api_key:
            self.rotate_key()
            return
        confirm_then(
            self,
            ConfirmDialog(
                "Replace the API key?",
                "A new key is made and the current one stops working at once, for every script and "
                "client that uses it.",
                "Replace the key",
                danger=True,
            ),
            self.rotate_key,
        )

    @background(exclusive=True, group="server-action")
    async def rotate_key(self) -> None:
        from qbtui.ui.screens.api_key import NewApiKeyScreen

        api = self.api
        if api is None:
            return
        try:
            key = await api.rotate_api_key()
        except errors.QbtError as exc:
            self._error(f"Refused: {exc}")
            return
        self.has_api_key = True
        self._follow_key(api, key)
        self._status("A new API key was made")
        self.app.push_screen(NewApiKeyScreen(key, self.server_name(), _key_file(api)))
        self.load()

    @on(Button.Pressed, "#delete-key")
    def action_delete_key(self) -> None:
        api = self.api
        if api is None or not self.has_api_key:
            self._error("The server has no API key to delete")
            return
        ours = ""
        if api.session.settings.api_key:
            ours = " qbtui itself connects with it: it will need a password instead."
        confirm_then(
            self,
            ConfirmDialog(
                "Delete the API key?",
                "Every script and client that uses the key is refused from now on." + ours,
                "Delete the key",
                danger=True,
            ),
            self.delete_key,
        )

    @background(exclusive=True, group="server-action")
    async def delete_key(self) -> None:
        api = self.api
        if api is None:
            return
        try:
            await api.delete_api_key()
        except errors.QbtError as exc:
            self._error(f"Refused: {exc}")
            return
        self.has_api_key = False
        self._status("The API key was deleted")
        self.load()

    def _follow_key(self, api: QbtApi, key: str) -> None:
        """When qbtui connects with the key it just replaced, the next requests use the new one."""
        if api.session.settings.api_key:
            api.session.use_api_key(key)
            # The app's connector too, so a reconnect (ctrl+r) uses the new key.
            settings = services(self).settings
            if settings is not None and settings is not api.session.settings:
                settings.api_key = api.session.settings.api_key
            # A poll that left with the old key was refused, which stops the polling: go on now.
            services(self).poke()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


def _key_file(api: QbtApi) -> Path:
    """Where the key is offered to be saved: beside qbtui's config, named after the server."""
    url = httpx.URL(api.session.settings.base_url)
    name = f"{url.host}-{url.port or ('443' if url.scheme == 'https' else '80')}".replace(":", "_")
    return config_path().parent / f"api-key-{name}"
