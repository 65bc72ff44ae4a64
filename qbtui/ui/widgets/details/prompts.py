"""A multi-line prompt (tracker URLs, peer addresses): one entry per line."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from qbtui.ui.screens.dialogs import Dialog


def split_entries(text: str) -> list[str]:
    """Lines (or whitespace-separated words) with blanks dropped and duplicates removed, in order."""
    seen: dict[str, None] = {}
    for entry in text.split():
        seen.setdefault(entry.strip(), None)
    return [entry for entry in seen if entry]


class LinesPrompt(Dialog[list[str] | None]):
    """Several entries, one per line; ctrl+s or the button submits, Esc cancels.

    `validate` gets the parsed entries and returns an error message or None.
    """

    DEFAULT_CSS = """
    LinesPrompt TextArea { height: 8; margin-bottom: 1; }
    """
    BINDINGS = [Binding("ctrl+s", "submit", "Submit", id="dialog.submit", priority=True)]

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        hint: str = "",
        confirm: str = "Add",
        validate: Callable[[list[str]], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._title, self._value, self._hint, self._confirm = title, value, hint, confirm
        self._validate = validate

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="title")
            yield TextArea(self._value, soft_wrap=False, id="value")
            yield Static(Text((self._hint + "  " if self._hint else "") + "ctrl+s: submit", style="dim"))
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self._confirm, id="confirm", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#value", TextArea).focus()

    @on(Button.Pressed, "#confirm")
    def action_submit(self) -> None:
        entries = split_entries(self.query_one("#value", TextArea).text)
        problem = "Nothing entered" if not entries else (self._validate(entries) if self._validate else None)
        if problem:
            self.query_one("#error", Static).update(Text(problem))
            return
        self.dismiss(entries)

    def unsaved_edits(self) -> str | None:
        typed = self.query_one("#value", TextArea).text
        return "The entries typed here are not added yet." if typed.strip() != self._value.strip() else None

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class TextBlockPrompt(Dialog[str | None]):
    """Free text over several lines (a torrent's comment); ctrl+s or the button submits it as typed."""

    DEFAULT_CSS = """
    TextBlockPrompt TextArea { height: 6; margin-bottom: 1; }
    """
    BINDINGS = [Binding("ctrl+s", "submit", "Submit", id="dialog.submit-text", priority=True)]

    def __init__(self, title: str, value: str = "", *, hint: str = "", confirm: str = "Set") -> None:
        super().__init__()
        self._title, self._value, self._hint, self._confirm = title, value, hint, confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="title")
            yield TextArea(self._value, id="value")
            yield Static(Text((self._hint + "  " if self._hint else "") + "ctrl+s: submit", style="dim"))
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self._confirm, id="confirm", variant="primary")

    def on_mount(self) -> None:
        area = self.query_one("#value", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed, "#confirm")
    def action_submit(self) -> None:
        self.dismiss(self.query_one("#value", TextArea).text)

    def unsaved_edits(self) -> str | None:
        return (
            "The text typed here is not set yet."
            if self.query_one("#value", TextArea).text != self._value
            else None
        )

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
