"""Small modal dialogs: confirm, text prompt, delete, pick one, speed limits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qbtui import format as fmt
from qbtui.ui.text import safe

DIALOG_CSS = """
ModalScreen { align: center middle; background: $background 60%; }
.dialog {
    width: 72; max-width: 95%; height: auto; max-height: 90%;
    border: thick $primary 80%; background: $surface; padding: 1 2;
}
.dialog.-danger { border: thick $error; }
.dialog .title { text-style: bold; margin-bottom: 1; }
.dialog .body { margin-bottom: 1; max-height: 14; overflow-y: auto; }
.dialog .error { color: $error; height: auto; }
.dialog .buttons { height: auto; align-horizontal: right; margin-top: 1; }
.dialog .buttons Button { margin-left: 2; }
.dialog Input { margin-bottom: 1; }
.dialog OptionList, .dialog SelectionList { max-height: 16; }
"""


ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """The shared look and the Esc key of qbtui's dialogs; Esc dismisses with None."""

    DEFAULT_CSS = DIALOG_CSS
    # The rules style the screen itself (align), which scoped CSS would only apply to descendants.
    SCOPED_CSS = False
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


def names_list(names: Sequence[str], limit: int = 8) -> Text:
    text = Text()
    for name in names[:limit]:
        text.append(f"  • {safe(name)}\n")
    if len(names) > limit:
        text.append(f"  … and {len(names) - limit} more\n", style="dim")
    return text


class ConfirmDialog(Dialog[bool]):
    """Yes/no with the consequences spelled out; Esc is always "no"."""

    def __init__(self, title: str, body: Text | str, confirm: str = "OK", *, danger: bool = False) -> None:
        super().__init__()
        self._title, self._body, self._confirm, self._danger = title, body, confirm, danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -danger" if self._danger else "dialog"):
            yield Static(Text(self._title), classes="title")
            yield Static(self._body if isinstance(self._body, Text) else Text(self._body), classes="body")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self._confirm, id="confirm", variant="error" if self._danger else "primary")

    def on_mount(self) -> None:
        self.query_one("#cancel" if self._danger else "#confirm", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)


@dataclass(frozen=True, slots=True)
class DeleteChoice:
    delete_files: bool


class DeleteDialog(Dialog[DeleteChoice | None]):
    """Names what will be removed; deleting data is a checkbox that starts unticked unless asked."""

    def __init__(self, names: Sequence[str], *, total_size: int, with_data: bool = False) -> None:
        super().__init__()
        self._names, self._total_size, self._with_data = names, total_size, with_data

    def compose(self) -> ComposeResult:
        count = len(self._names)
        body = names_list(self._names)
        body.append(f"{fmt.size(self._total_size)} in total", style="bold")
        with Vertical(classes="dialog -danger"):
            yield Static(
                Text(f"Remove {count} torrent{'s' if count != 1 else ''} from qBittorrent?"), classes="title"
            )
            yield Static(body, classes="body")
            yield Checkbox("Also delete the downloaded files from disk", self._with_data, id="with-data")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Remove", id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "confirm":
            self.dismiss(None)
            return
        self.dismiss(DeleteChoice(self.query_one("#with-data", Checkbox).value))


class TextPrompt(Dialog[str | None]):
    """One line of input, checked by `validate` (which returns an error message or None)."""

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        hint: str = "",
        validate: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._title, self._value, self._placeholder, self._hint = title, value, placeholder, hint
        self._validate = validate

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="title")
            yield Input(self._value, placeholder=self._placeholder, id="value")
            if self._hint:
                yield Static(Text(self._hint, style="dim"))
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("OK", id="confirm", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def _submit(self) -> None:
        value = self.query_one("#value", Input).value
        problem = self._validate(value) if self._validate else None
        if problem:
            self.query_one("#error", Static).update(Text(problem))
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()


class PickOne(Dialog[str | None]):
    """Choose one entry; with `allow_new`, typing a new value and Enter returns it."""

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[str, str]],
        *,
        current: str | None = None,
        allow_new: str | None = None,
    ) -> None:
        super().__init__()
        self._title, self._choices, self._current, self._allow_new = title, choices, current, allow_new

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="title")
            yield OptionList(
                *[Option(Text(safe(label)), id=value) for value, label in self._choices], id="choices"
            )
            if self._allow_new:
                yield Input(placeholder=self._allow_new, id="new")

    def on_mount(self) -> None:
        options = self.query_one("#choices", OptionList)
        ids = [value for value, _ in self._choices]
        if self._current in ids:
            options.highlighted = ids.index(self._current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Input.Submitted, "#new")
    def _typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


@dataclass(frozen=True, slots=True)
class Limits:
    download: int | None  # bytes/s, None = unlimited
    upload: int | None


class LimitsDialog(Dialog[Limits | None]):
    """Download and upload limits in human units (2.5M, 800K, 0 or ∞ for none)."""

    def __init__(
        self,
        title: str,
        download: str,
        upload: str,
        parse: Callable[[str], int | None],
    ) -> None:
        super().__init__()
        self._title, self._download, self._upload, self._parse = title, download, upload, parse

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="title")
            yield Label("Download limit (bytes/s)")
            yield Input(self._download, id="download")
            yield Label("Upload limit (bytes/s)")
            yield Input(self._upload, id="upload")
            yield Static(Text("e.g. 2.5M, 800K, 1.5MiB; 0 or ∞ for no limit", style="dim"))
            yield Static("", classes="error", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Set", id="confirm", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def _submit(self) -> None:
        values: list[int | None] = []
        for field in ("download", "upload"):
            text = self.query_one(f"#{field}", Input).value
            try:
                values.append(self._parse(text))
            except ValueError as exc:
                self.query_one("#error", Static).update(Text(f"{field} limit: {exc}"))
                self.query_one(f"#{field}", Input).focus()
                return
        self.dismiss(Limits(values[0], values[1]))

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.action_cancel()
