"""Shown when the app cannot reach or log in to its server before any data arrived: says why, and
offers to retry or to edit the address and credentials, instead of an empty table or a traceback.

The poll loop keeps retrying unreachable servers by itself while this is open; the screen closes
itself the moment data arrives. Refused logins are never retried automatically (a ban waits for
that): only the user's Retry sends one more attempt.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Static

from qbtui.api import ConnectionSettings, connect
from qbtui.api.errors import QbtError
from qbtui.settings.config import ConfigError, ServerConfig, load_config, save_server
from qbtui.settings.passwords import PasswordSource
from qbtui.ui.screens.dialogs import ConfirmDialog, Dialog
from qbtui.ui.services import services
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.widgets.toggles import TickBox
from qbtui.ui.workers import background


class ConnectionScreen(Dialog[None]):
    """`settings` None hides the edit form (an app wired to a custom connector)."""

    # The form scrolls between the title and the buttons, so both stay on screen down to 60x20.
    DEFAULT_CSS = """
    ConnectionScreen .dialog { width: 84; max-height: 100%; padding: 0 1; }
    ConnectionScreen #connection-form { height: auto; max-height: 55vh; }
    ConnectionScreen TextField { margin-bottom: 1; }
    ConnectionScreen .hint { color: $text-muted; margin-bottom: 1; }
    ConnectionScreen Label { margin-top: 0; }
    ConnectionScreen .body { max-height: 6; }
    ConnectionScreen .buttons { margin-top: 0; }
    ConnectionScreen .buttons Button { min-width: 8; width: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="connection.close"),
        Binding("ctrl+r", "retry", "Connect", id="connection.retry"),
    ]

    def __init__(
        self,
        problem: str,
        settings: ConnectionSettings | None,
        *,
        refused: bool,
        banned: bool = False,
        tls: bool = False,
        config_path: Path | None = None,
        first_run: bool = False,
        adding: bool = False,
    ) -> None:
        super().__init__()
        self.tls = tls
        #: Where "Save" writes the server (None: no Save button).
        self.config_path = config_path
        #: No config yet: stay open even once connected, so the user can save what works.
        self.first_run = first_run
        #: From the servers overview: a server to test and save, not the one the app shows.
        self.adding = adding
        self.settings = settings
        self.refused = refused
        self.banned_since: float | None = None
        self.problem = self._explain(problem, banned)
        #: What the problem line says and whether as an error (kept for compose(): a poll can
        #: report before the screen has composed its children).
        self._shown = (self.problem, True)
        self._saved = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -danger"):
            title = "Connect to qBittorrent" if self.first_run else "Not connected to qBittorrent"
            if self.adding:
                title = "Add a server"
            yield Static(Text(title), classes="title")
            with VerticalScroll(id="connection-form"):
                text, error = self._shown
                yield Static(Text(text), id="connection-problem", classes="body error" if error else "body")
                yield Static(Text(self._hint()), id="connection-hint", classes="hint")
                if self.settings is not None:
                    yield Label("Server URL")
                    yield TextField(self.settings.url, id="connection-url", compact=True)
                    yield Label("Username")
                    yield TextField(self.settings.username or "", id="connection-username", compact=True)
                    yield Label(self._password_label())
                    yield TextField("", password=True, id="connection-password", compact=True)
                    if self.config_path is not None:
                        yield Label(f"Save as server (in {self.config_path})")
                        yield TextField("" if self.adding else "default", id="connection-name", compact=True)
                        yield TickBox(
                            "Store the password in the config file (private, 0600; better: set "
                            "password_command or password_env there)",
                            value=False,
                            id="connection-store-password",
                        )
                    yield TickBox(
                        "Verify the TLS certificate",
                        value=self.settings.verify is not False,
                        id="connection-verify",
                    )
            with Horizontal(classes="buttons"):
                if not self.adding:
                    # Without a connection the app has nothing to show: leaving is one choice here.
                    yield Button("Quit qbtui", id="connection-quit")
                yield Button("Close", id="connection-close")
                if self.config_path is not None:
                    yield Button("Save", id="connection-save")
                if self.adding:
                    yield Button("Test", id="connection-test", variant="primary")
                else:
                    label = "Connect" if self.first_run else "Retry"
                    yield Button(label, id="connection-retry", variant="primary")

    def _password_label(self) -> str:
        if self.settings is not None and self.settings.password and not self.adding:
            return "Password (empty keeps the one qbtui has)"
        return "Password"

    def on_mount(self) -> None:
        self.focus_start()

    def focus_start(self) -> None:
        """Where the fix most likely is: the password after a refused login (or when qbtui has
        none), the address when the server cannot be reached, else the first field still empty;
        with nothing to fill in, the main button. `query`, not `query_one`: a screen dismissed
        while it mounts has no widgets left to focus."""
        fields = {field.id: field for field in self.query(TextField).results(TextField)}
        if not fields:
            for button in self.query("#connection-test, #connection-retry").results(Button):
                button.focus()
            return
        has_password = self.settings is not None and bool(self.settings.password)

        def empty(field: TextField) -> bool:
            if field.id == "connection-password":
                return not has_password  # qbtui's own is never shown in the field
            return field.value.strip() in ("", "http://")

        if self.refused and "connection-password" in fields:
            start = fields["connection-password"]
        elif not (self.adding or self.first_run):
            start = fields["connection-url"]  # unreachable, or a certificate problem: the address
        else:
            start = next((field for field in fields.values() if empty(field)), fields["connection-url"])
        start.focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        """Enter in any field does what the main button does: test a new server, else connect."""
        if self.adding:
            self.test_connection()
        else:
            self.action_retry()

    @on(Button.Pressed, "#connection-test")
    def _test_pressed(self) -> None:
        self.test_connection()

    @background(exclusive=True, group="connection-test")
    async def test_connection(self) -> None:
        """Log in to the edited server with a throwaway session and say what happened."""
        settings = self.edited_settings() or self.settings
        if settings is None:
            return
        problem = self.query_one("#connection-problem", Static)
        problem.update(Text("Testing…"))
        try:
            api = await connect(settings)
        except QbtError as exc:
            problem.add_class("error")
            problem.update(Text(str(exc)))
            return
        info = api.info.describe()
        await api.close()
        problem.remove_class("error")
        problem.update(Text(f"Works: {info}. Save it to add it to the servers."))

    def _hint(self) -> str:
        if self.adding:
            return "Enter (or Test) logs in once with these values; Save writes them to the config (0600)."
        if self.first_run:
            return "Enter connects; once connected, Save keeps the server for the next start."
        if self.tls:
            return (
                "The server's certificate is not trusted. Untick the check below to accept it for "
                "this session (or start qbtui with --ca-file CERT), then Retry."
            )
        if self.refused:
            return (
                "The login was refused: qbtui will not try again by itself (repeated failures get this "
                "address banned). Fix the credentials, then Retry."
            )
        return (
            "qbtui keeps retrying in the background; this closes by itself once the server answers. "
            "Enter retries now with what is in the fields."
        )

    def _explain(self, problem: str, banned: bool) -> str:
        """Add when the ban was first seen and when qBittorrent's default 1-hour ban would end:
        the server never says how long is left."""
        if not banned:
            return problem
        if self.banned_since is None:
            self.banned_since = time.time()
        since = time.strftime("%H:%M", time.localtime(self.banned_since))
        until = time.strftime("%H:%M", time.localtime(self.banned_since + 3600))
        return f"{problem}\nBanned since {since} at the latest; a default ban ends by about {until}."

    def problem_text(self) -> str:
        """What the problem line says now."""
        return str(self.query_one("#connection-problem", Static).render())

    def show_problem(self, problem: str, *, refused: bool, banned: bool = False, tls: bool = False) -> None:
        """A later attempt failed too: say the newest reason."""
        self.refused, self.tls = refused, tls
        for hint in self.query("#connection-hint").results(Static):
            hint.update(Text(self._hint()))
        self.problem = self._explain(problem, banned)
        self._say(self.problem, error=True)

    def edited_settings(self) -> ConnectionSettings | None:
        """The settings as edited, or None where nothing changed (or there is no form)."""
        if self.settings is None:
            return None
        url = self.query_one("#connection-url", Input).value.strip()
        username = self.query_one("#connection-username", Input).value.strip() or None
        password = self.query_one("#connection-password", Input).value or self.settings.password
        verify: bool | str = False
        if self.query_one("#connection-verify", Checkbox).value:
            verify = self.settings.verify or True  # keep a CA file the user gave
        edited = replace(
            self.settings, url=url or self.settings.url, username=username, password=password, verify=verify
        )
        return None if edited == self.settings else edited

    @on(Button.Pressed, "#connection-retry")
    def action_retry(self) -> None:
        self.app.call_later(self._retry)

    def _retry(self) -> None:
        edited = self.edited_settings()
        services(self).reconnect(settings=edited)
        self.query_one("#connection-problem", Static).update(Text("Connecting…"))
        if self.settings is not None and edited is not None:
            self.settings = edited
            self.query_one("#connection-password", Input).value = ""

    def connected(self, where: str) -> None:
        """First run: the connection works; offer to save it instead of vanishing."""
        self.problem = f"Connected to {where}. Save it to start here next time, or close."
        self._say(self.problem, error=False)

    @on(Button.Pressed, "#connection-save")
    def _save(self) -> None:
        if self.config_path is None or self.settings is None:
            return
        name = self.query_one("#connection-name", Input).value.strip()
        if not name and self.adding:
            self._say("Give the server a name to save it under.", error=True)
            self.query_one("#connection-name", Input).focus()
            return
        name = name or "default"
        try:
            existing = load_config(self.config_path).servers if self.config_path.exists() else {}
        except ConfigError as exc:
            self.app.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        if name not in existing:
            self._write_server(name)
            return

        def replace_it(yes: bool | None) -> None:
            if yes:
                self._write_server(name)

        self.app.push_screen(
            ConfirmDialog(
                f"Replace the server “{name}”?",
                f"{self.config_path} already has a server “{name}” ({existing[name].url}).",
                "Replace",
                danger=True,
            ),
            replace_it,
        )

    def _write_server(self, name: str) -> None:
        assert self.config_path is not None and self.settings is not None
        settings = self.edited_settings() or self.settings
        keep_password = self.query_one("#connection-store-password", Checkbox).value
        server = ServerConfig(
            name=name,
            url=settings.url,
            username=settings.username,
            password=PasswordSource(plain=settings.password if keep_password else None),
            verify=settings.verify,
            referer=settings.referer,
            timeout=settings.timeout,
        )
        try:
            # A server added from the overview is one more server, not the one qbtui starts with.
            save_server(self.config_path, server, make_default=not self.adding)
        except (ConfigError, OSError) as exc:
            self.app.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self._saved = True
        note = "" if keep_password else " (without the password: add password_command or password_env there)"
        self.app.notify(f"Saved server {name!r} to {self.config_path}{note}", title="Saved", markup=False)

    def _say(self, text: str, *, error: bool) -> None:
        self._shown = (text, error)
        for problem in self.query("#connection-problem").results(Static):
            problem.set_class(error, "error")
            problem.update(Text(text))

    def unsaved_edits(self) -> str | None:
        """Adding a server: what was typed and not saved. (The problem screen of a server that
        will not answer closes without asking: its fields are the current settings.)"""
        if not self.adding or self._saved or self.settings is None:
            return None
        url = self.query_one("#connection-url", Input).value.strip()
        return f"The server at {url} is not saved." if url not in ("", "http://") else None

    @on(Button.Pressed, "#connection-close")
    def _close(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#connection-quit")
    def _quit(self) -> None:
        self.app.exit()
