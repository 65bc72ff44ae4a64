"""Checkboxes and switches whose state reads without colour (16-colour terminals, colour blindness,
a screen pasted as text): Textual draws a ticked and an unticked checkbox as the same `X`, and a
switch as a bar whose side only colour makes obvious."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.widgets import Checkbox, Switch


class TickBox(Checkbox):
    """`▐✓▌` ticked, `▐ ▌` not."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "✓" if self.value else " "


class OnOffSwitch(Switch):
    """A switch that says `on` or `off`: the slider's end and the word, both without colour."""

    def render(self) -> RenderResult:
        style = self.get_component_rich_style("switch--slider")
        if self.value:
            return Text.assemble(("  ", ""), ("██", style), (" on", "bold"))
        return Text.assemble(("██", style), ("  ", ""), (" off", ""))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 8
