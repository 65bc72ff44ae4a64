"""The name-filter box: an `Input` whose keystroke and filtered table reach the screen in one frame."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.geometry import Size
from textual.reactive import Reactive

from qbtui.ui.widgets.text_field import TextField


class FilterInput(TextField):
    """Two costs of a stock `Input` on a list of 10,000 torrents, each a frame of its own before
    the one that shows the filtered table:

    - it stores the text's width in `virtual_size`, a reactive that re-lays out the whole screen on
      every keystroke (~12 ms). The box has a fixed size (its CSS gives both), so a keystroke only
      moves its own scroll extent, which a repaint shows; a layout computes the same value
      (`Input.get_content_width`);
    - `Input.Changed` bubbles to the screen through several message queues, and the screen may
      paint the new text before the filter has run. `on_edit` is called as the value changes,
      so the text and the table it filters are painted together.
    """

    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(self, on_edit: Callable[[str], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_edit = on_edit
        self._quiet = False

    def set_quietly(self, value: str) -> None:
        """Show `value` without calling `on_edit` (the caller applies it itself)."""
        self._quiet = True
        try:
            self.value = value
        finally:
            self._quiet = False

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        if not self._quiet:
            self._on_edit(value)
