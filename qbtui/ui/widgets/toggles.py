"""Checkboxes and switches whose state reads without colour (16-colour terminals, colour blindness,
a screen pasted as text): Textual draws a ticked and an unticked checkbox as the same `X`, and a
switch as a bar whose side only colour makes obvious."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.widgets import Checkbox, Switch


class TickBox(Checkbox):
    """`▐✓▌` ticked, `▐ ▌` not."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._show_state()

    def watch_value(self) -> None:
        super().watch_value()
        self._show_state()

    def _show_state(self) -> None:
        # Textual draws BUTTON_INNER whatever the value: an instance attribute follows it.
        self.BUTTON_INNER = "✓" if self.value else " "


class OnOffSwitch(Switch):
    """A switch that says `on` or `off`: the slider's end and the word, both without colour."""

    def render(self) -> RenderResult:
        style = self.get_component_rich_style("switch--slider")
        if self.value:
            return Text.assemble(("  ", ""), ("██", style), (" on", "bold"))
        return Text.assemble(("██", style), ("  ", ""), (" off", ""))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 8
