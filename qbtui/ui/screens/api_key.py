"""The new API key, shown once (qBittorrent 5.2+): hidden until the user asks to see it, and saved to a
private file or copied to the clipboard from here. Once closed, qbtui never shows it again (the
preferences read it back as `web_ui_api_key`, which is masked everywhere)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.services import server_title
from qbtui.util.atomicfile import write_atomic


def masked(key: str) -> str:
    return key[:4] + "•" * max(len(key) - 4, 0)


class NewApiKeyScreen(Dialog[None]):
    DEFAULT_CSS = """
    NewApiKeyScreen #key { height: auto; margin-bottom: 1; text-style: bold; }
    NewApiKeyScreen #saved { height: auto; color: $text-success; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="apikey.close"),
        Binding("ctrl+s", "save", "Save to file", id="apikey.save"),
    ]

    def __init__(self, key: str, server: str, default_path: Path) -> None:
        super().__init__()
        self._key = key
        self._server = server
        self._default_path = default_path
        self.revealed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(server_title(self, "New API key"), classes="title")
            yield Static(
                Text(
                    f"{self._server} accepts this key instead of a password from now on. It is shown only "
                    "here: save it, then configure it (api_key_command, api_key_env or "
                    "api_key_keyring; --api-key-env/--api-key-cmd on the command line).",
                ),
                classes="body",
            )
            yield Static(Text(masked(self._key)), id="key")
            yield Input(str(self._default_path), id="path")
            yield Static("", classes="error", id="error")
            yield Static("", id="saved")
            with Horizontal(classes="buttons"):
                yield Button("Show", id="show")
                yield Button("Copy", id="copy")
                yield Button("Save to file", id="save", variant="primary")
                yield Button("Done", id="done")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    @on(Button.Pressed, "#show")
    def _show(self) -> None:
        self.revealed = not self.revealed
        self.query_one("#key", Static).update(Text(self._key if self.revealed else masked(self._key)))
        self.query_one("#show", Button).label = "Hide" if self.revealed else "Show"

    @on(Button.Pressed, "#copy")
    def _copy(self) -> None:
        # OSC 52: the terminal (or tmux with set-clipboard on) puts it on the clipboard.
        self.app.copy_to_clipboard(self._key)
        self.query_one("#saved", Static).update(Text("Copied to the clipboard (if the terminal allows it)"))

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#path")
    def action_save(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.query_one("#error", Static).update(Text("Give a file to save the key in"))
            return
        path = Path(text).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(path, self._key + "\n")  # 0600
        except OSError as exc:
            self.query_one("#error", Static).update(Text(f"Cannot save to {path}: {exc.strerror or exc}"))
            return
        self.query_one("#error", Static).update("")
        self.query_one("#saved", Static).update(
            Text(f"Saved to {path} (mode 600). In the config: api_key_command = \"cat {path}\"")
        )

    @on(Button.Pressed, "#done")
    def _done(self) -> None:
        self.dismiss(None)
