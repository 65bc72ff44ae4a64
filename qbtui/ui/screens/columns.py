"""`O`: the column chooser. Tick the columns to show, order them, pin the ones that must stay."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from qbtui.ui.screens.dialogs import Dialog

#: What the keys do, in lines short enough for the dialog's narrowest width (an 80-column terminal).
HINT = (
    "space show/hide   p pin/unpin   K/J or ctrl+↑/↓ move\n"
    "enter save   esc cancel\n"
    "Pinned columns stay when the terminal is too narrow for all."
)


@dataclass(frozen=True, slots=True)
class ColumnsChoice:
    columns: list[str]
    pinned: list[str]


class ColumnsDialog(Dialog[ColumnsChoice | None]):
    """Tick the columns to show; K/J (ctrl+up/ctrl+down) move the highlighted one; p pins it."""

    DEFAULT_CSS = """
    ColumnsDialog #columns-hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("ctrl+up,K", "move(-1)", "Move up", id="columns.move-up"),
        Binding("ctrl+down,J", "move(1)", "Move down", id="columns.move-down"),
        Binding("p", "pin", "Pin/unpin", id="columns.pin"),
        # Enter would toggle the highlighted column inside the list; here it saves, as in every dialog.
        Binding("enter", "save", "Save", id="columns.save", priority=True),
    ]

    def __init__(
        self, all_columns: Sequence[tuple[str, str]], shown: Sequence[str], pinned: Collection[str] = ()
    ) -> None:
        super().__init__()
        titles = dict(all_columns)
        self._order = [key for key in shown if key in titles] + [
            key for key, _ in all_columns if key not in shown
        ]
        self._titles = titles
        self._shown = set(shown)
        self.pinned = {key for key in pinned if key in titles}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Columns", classes="title")
            yield SelectionList[str](*self._selections(), id="columns")
            yield Static(Text(HINT), id="columns-hint")

    def on_resize(self) -> None:
        # The list scrolls; the hint below it must stay whole on a 24-line terminal: the list gets
        # what the dialog's 90 % leaves after its border, padding, title and hint.
        around = 2 + 2 + 2 + 1 + HINT.count("\n") + 1 + 1  # border, padding, title, hint; the key footer
        self.query_one("#columns", SelectionList).styles.max_height = max(
            3, int(self.size.height * 0.9) - around
        )

    def _prompt(self, key: str) -> Text:
        text = Text(self._titles[key])
        if key in self.pinned:
            text.append("  (pinned)", style="bold")
        return text

    def _selections(self) -> list[Selection[str]]:
        return [Selection(self._prompt(key), key, key in self._shown) for key in self._order]

    def _rebuild(self, highlighted: int) -> None:
        columns = self.query_one("#columns", SelectionList)
        self._shown = set(columns.selected)
        columns.clear_options()
        columns.add_options(self._selections())
        columns.highlighted = highlighted

    def action_move(self, step: int) -> None:
        index = self.query_one("#columns", SelectionList).highlighted
        if index is None or not 0 <= index + step < len(self._order):
            return
        self._order[index], self._order[index + step] = self._order[index + step], self._order[index]
        self._rebuild(index + step)

    def action_pin(self) -> None:
        columns = self.query_one("#columns", SelectionList)
        index = columns.highlighted
        if index is None:
            return
        key = self._order[index]
        self.pinned ^= {key}
        if key in self.pinned:
            columns.select(key)  # a pinned column is a shown one
        self._rebuild(index)

    def action_save(self) -> None:
        selected = set(self.query_one("#columns", SelectionList).selected)
        shown = [key for key in self._order if key in selected] or ["name"]
        self.dismiss(ColumnsChoice(shown, [key for key in shown if key in self.pinned]))
