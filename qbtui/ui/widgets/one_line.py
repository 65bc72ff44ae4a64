"""A line of styled text drawn straight to a Strip, for widgets that redraw one line per poll.

Textual turns a rich `Text` into `Content` and runs its word wrapper over it on every render; for
the status bar and the sidebar's counts, which change on every poll, that was most of a poll's
screen time at 10,000 torrents. A `OneLine` never wraps: it is cut (with an ellipsis, like
`Text(overflow="ellipsis")`) to the width it is given.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class OneLine(Visual):
    def __init__(self, text: Text, console: Console) -> None:
        self.text = text
        self._console = console
        self._cells = text.cell_len
        self._segments: list[Segment] | None = None

    @property
    def plain(self) -> str:
        return self.text.plain

    def __str__(self) -> str:
        return self.text.plain

    def _render(self, width: int) -> list[Segment]:
        if self._cells <= width:
            if self._segments is None:
                self._segments = list(self.text.render(self._console, end=""))
            return self._segments
        cut = self.text.copy()
        cut.truncate(width, overflow="ellipsis")
        return list(cut.render(self._console, end=""))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        base = style.rich_style
        segments = [
            Segment(text, base + segment_style if segment_style else base)
            for text, segment_style, _ in self._render(width)
        ]
        return [Strip(segments).extend_cell_length(width, base)]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._cells

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1
