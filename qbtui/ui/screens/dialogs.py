"""Small modal dialogs: confirm, text prompt, delete, pick one, speed limits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message_pump import MessagePump
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qbtui.ui.screens.guarded import GuardedScreen
from qbtui.ui.text import safe
from qbtui.ui.widgets.key_footer import KeyFooter
from qbtui.ui.widgets.text_field import TextField
from qbtui.ui.widgets.toggles import TickBox
from qbtui.util import format as fmt

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


class Dialog(ModalScreen[ResultType], GuardedScreen[ResultType]):
    """Every qbtui dialog and form: the shared look, its own keys in a footer (the screen beneath
    keeps its own), Esc cancels, asking first when the form holds unsaved edits (GuardedScreen)."""

    DEFAULT_CSS = DIALOG_CSS
    # The rules style the screen itself (align), which scoped CSS would only apply to descendants.
    SCOPED_CSS = False
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def _on_mount(self, event: events.Mount) -> None:
        # Textual calls each class's own _on_mount (Screen's too): no super() call here.
        if not self.query(KeyFooter):
            self.mount(KeyFooter())

    def action_cancel(self) -> None:
        self.close_asking(None)


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


class ChoiceDialog(Dialog[str | None]):
    """A question with several answers, each a button; Esc (and Cancel) answers None.
    `focus` names the answer that starts focused (Enter picks it): the safe one."""

    def __init__(
        self,
        title: str,
        body: Text | str,
        answers: Sequence[tuple[str, str]],
        *,
        focus: str | None = None,
        danger: bool = False,
    ) -> None:
        super().__init__()
        self._title, self._body, self._answers = title, body, answers
        self._focus, self._danger = focus, danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -danger" if self._danger else "dialog"):
            yield Static(Text(self._title), classes="title")
            yield Static(self._body if isinstance(self._body, Text) else Text(self._body), classes="body")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="answer-cancel")
                for answer, label in self._answers:
                    yield Button(label, id=f"answer-{answer}", variant="error" if self._danger else "primary")

    def on_mount(self) -> None:
        self.query_one(f"#answer-{self._focus or 'cancel'}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        answer = (event.button.id or "").removeprefix("answer-")
        self.dismiss(None if answer == "cancel" else answer)


def confirm_then(node: MessagePump, dialog: ConfirmDialog, then: Callable[[], object]) -> None:
    """Ask with `dialog`; `then()` once the user confirms (Esc and Cancel do nothing)."""

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    node.app.push_screen(dialog, answered)


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
            yield TickBox("Also delete the downloaded files from disk", self._with_data, id="with-data")
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
            yield TextField(self._value, placeholder=self._placeholder, id="value")
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
    """Choose one entry: typing narrows the list (the letters go to the box at the top, so keys
    typed ahead with the dialog's own key land there), ↑/↓ move, Enter picks the highlighted
    entry. With `allow_new`, a name no entry has exactly is offered last as a new one."""

    NEW = "\x00new"  # the id of the "new: …" entry; no choice value can be it
    BINDINGS = [
        Binding("down", "move(1)", "Next", show=False, id="pick.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="pick.previous"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="pick.page-down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="pick.page-up"),
    ]

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
            hint = (
                f"type to narrow the list, or {self._allow_new}"
                if self._allow_new
                else "type to narrow the list"
            )
            yield TextField(placeholder=hint, id="typed", compact=True)
            yield OptionList(id="choices")
            yield Static(Text("↑/↓ choose · Enter picks · Esc cancels", style="dim"))

    def on_mount(self) -> None:
        self._fill("")
        ids = [value for value, _ in self._choices]
        if self._current in ids:
            self.query_one("#choices", OptionList).highlighted = ids.index(self._current)
        self.query_one("#typed", Input).focus()

    @on(Input.Changed, "#typed")
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, typed: str) -> None:
        needle = typed.strip().casefold()
        options = self.query_one("#choices", OptionList)
        matching = [(value, label) for value, label in self._choices if needle in label.casefold()]
        entries = [Option(Text(safe(label)), id=value) for value, label in matching]
        exact = any(needle == label.casefold() or needle == value.casefold() for value, label in matching)
        if self._allow_new and needle and not exact:
            entries.append(Option(Text(f"+ new: “{safe(typed.strip())}”"), id=self.NEW))
        options.clear_options()
        options.add_options(entries)
        if entries:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#choices", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#typed")
    def _submitted(self) -> None:
        options = self.query_one("#choices", OptionList)
        if options.highlighted is not None and options.option_count:
            self._pick(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, value: str | None) -> None:
        if value == self.NEW:
            value = self.query_one("#typed", Input).value.strip()
        self.dismiss(value)


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
            yield TextField(self._download, id="download")
            yield Label("Upload limit (bytes/s)")
            yield TextField(self._upload, id="upload")
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
