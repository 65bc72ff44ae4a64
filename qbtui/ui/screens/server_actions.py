"""Server actions: what the server is, its default save path, shutting it down and logging out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from qbtui.api import errors
from qbtui.ui.screens.dialogs import ConfirmDialog, Dialog
from qbtui.ui.text import safe

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
    ]

    def __init__(self) -> None:
        super().__init__()
        self.default_save_path: str | None = None

    @property
    def api(self) -> QbtApi | None:
        return getattr(self.app, "api", None)

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
            yield Static(Text("S shut down · L log out · esc close", style="dim"))
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")
                yield Button("Log out", id="logout")
                yield Button("Shut down…", id="shutdown", variant="error")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()
        self.load()

    @work(exclusive=True, group="server-load")
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
        self.query_one("#facts", Static).update(facts)

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

        def second(yes: bool | None) -> None:
            if yes:
                self.shutdown()

        def first(yes: bool | None) -> None:
            if yes:
                self.app.push_screen(
                    ConfirmDialog(
                        "Really shut it down?",
                        f"This stops {name}. Nothing will restart it from here.",
                        f"Shut down {name}",
                        danger=True,
                    ),
                    second,
                )

        self.app.push_screen(
            ConfirmDialog(
                "Shut down qBittorrent?",
                "The server quits: every transfer stops until someone starts it again.",
                "Shut down",
                danger=True,
            ),
            first,
        )

    @work(exclusive=True, group="server-action")
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
    @work(exclusive=True, group="server-action")
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
        workers = getattr(self.app, "workers", None)
        poller = getattr(self.app, "poller", None)
        if poller is not None and hasattr(poller, "reset"):
            if workers is not None:
                workers.cancel_group(self.app, "sync")
            poller.reset()
            message += ": polling stopped; reconnect to log in again"
        self._status(message)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
