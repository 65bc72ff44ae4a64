"""One path on the server (the move prompt `m`, the incomplete path): a `TextPrompt` whose field
completes and browses on the server and says how much room is left there."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from qbtui.ui.screens.dialogs import TextPrompt
from qbtui.ui.widgets.server_path import FreeSpace, ServerPathInput


class ServerPathPrompt(TextPrompt):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="title")
            yield ServerPathInput(self._value, placeholder=self._placeholder, id="value")
            yield FreeSpace("value", id="free")
            hint = (self._hint + "  " if self._hint else "") + "Tab completes on the server · ctrl+o browses"
            yield Static(Text(hint, style="dim"))
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("OK", id="confirm", variant="primary")
