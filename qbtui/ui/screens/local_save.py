"""Saving a .torrent on this machine (an exported torrent, one the creator made): where, asked with a
path prompt that completes local paths, and never over an existing file without asking."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from qbtui.ui.screens.dialogs import ConfirmDialog, Dialog, names_list
from qbtui.ui.text import safe
from qbtui.ui.widgets.path_input import PathInput

#: Characters no file name may hold here, and what stands in for them.
_UNSAFE = {"/": "_", "\\": "_", "\x00": ""}


def torrent_file_name(name: str, fallback: str) -> str:
    """`<name>.torrent`, made a plain file name (no separators, control characters or leading dots)."""
    cleaned = "".join(_UNSAFE.get(ch, ch) if ch.isprintable() or ch in _UNSAFE else "_" for ch in name)
    cleaned = cleaned.strip().lstrip(".")[:200] or fallback
    return cleaned if cleaned.lower().endswith(".torrent") else f"{cleaned}.torrent"


def shown_path(path: Path) -> str:
    """With ~ for the home directory, as a person would type it."""
    home = str(Path.home())
    text = str(path)
    return "~" + text[len(home) :] if text == home or text.startswith(home + os.sep) else text


def local_path(text: str) -> Path:
    return Path(os.path.expanduser(text.strip())).absolute()


class LocalPathPrompt(Dialog[Path | None]):
    """A path on this machine; Tab completes it, Enter takes it."""

    def __init__(self, title: str, value: str, *, hint: str = "", folder: bool = False) -> None:
        super().__init__()
        self._title, self._value, self._hint, self._folder = title, value, hint, folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="title")
            yield PathInput(self._value, id="value", suffix=None if self._folder else ".torrent")
            yield Static(Text((self._hint + "  " if self._hint else "") + "Tab completes", style="dim"))
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="confirm", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def _submit(self) -> None:
        text = self.query_one("#value", Input).value
        problem = None
        if not text.strip():
            problem = "Give a path on this machine"
        else:
            path = local_path(text)
            if self._folder and path.exists() and not path.is_dir():
                problem = f"{shown_path(path)} is a file, not a folder"
            elif not self._folder and path.is_dir():
                problem = f"{shown_path(path)} is a folder: add a file name"
        if problem:
            self.query_one("#error", Static).update(Text(problem))
            return
        self.dismiss(local_path(text))

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()


def unless_replacing(app: App[object], paths: Sequence[Path], then: Callable[[], object]) -> None:
    """Run `then` at once when none of `paths` exists; else only once the user agrees to replace."""
    existing = [path for path in paths if path.exists()]
    if not existing:
        then()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    count = len(existing)
    body = Text("Already there:\n")
    body.append_text(names_list([shown_path(path) for path in existing]))
    title = "Replace the existing file?" if count == 1 else f"Replace {count} existing files?"
    app.push_screen(ConfirmDialog(title, body, "Replace", danger=True), answered)


def describe_path(path: Path) -> str:
    return safe(shown_path(path))
