"""The one-line text field of every qbtui form."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import Input


class TextField(Input):
    """An `Input` that keeps what it holds when focused: the cursor goes to the end and nothing is
    selected, so typing adds to a prefilled path, name or limit instead of replacing it (a key
    typed ahead with the dialog's own key would otherwise wipe the value). `ctrl+u` empties it."""

    BINDINGS = [Binding("ctrl+u", "clear", "Clear field", id="field.clear")]

    def __init__(self, value: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, **kwargs)

    def action_clear(self) -> None:
        self.clear()
