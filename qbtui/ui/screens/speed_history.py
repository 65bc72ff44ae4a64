"""`h`: the global speed history, large: braille plots of download and upload with min/avg/peak,
the time they span, and the gaps where qbtui had no connection."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from qbtui.model.history import Point, SpeedHistory
from qbtui.ui.widgets.key_footer import KeyFooter
from qbtui.ui.widgets.speed_graph import GAP_CELL, GRAPH_CSS, GRAPH_CSS_CLASSES, SpeedPlot
from qbtui.util import format as fmt

#: How often the open view redraws (new samples arrive once per poll).
REDRAW_SECONDS = 1.0


class TimeAxis(Static):
    DEFAULT_CSS = "TimeAxis { height: 1; padding: 0 1 0 13; " + GRAPH_CSS + "}"
    COMPONENT_CLASSES = GRAPH_CSS_CLASSES

    def __init__(self, history: SpeedHistory, plot: SpeedPlot) -> None:
        super().__init__()
        self.history = history
        self.plot = plot

    def render(self) -> Text:
        label = self.get_component_rich_style("speed-graph--label")
        gap = self.get_component_rich_style("speed-graph--gap")
        times = self.history.times(self.plot.samples_shown())
        left = f"└ {fmt.duration(times[-1] - times[0])} ago" if len(times) > 1 else "└"
        legend = Text.assemble((GAP_CELL, gap), (" no connection   ", label), ("now ┘", label))
        width = self.content_region.width
        text = Text(left, style=label, no_wrap=True)
        text.append(" " * max(1, width - text.cell_len - legend.cell_len))
        text.append_text(legend)
        return text


class SpeedHistoryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h,q", "dismiss", "Close", id="speed-history.close"),
    ]
    DEFAULT_CSS = """
    SpeedHistoryScreen { layout: vertical; background: $surface; }
    SpeedHistoryScreen #heading { height: 1; padding: 0 1; text-style: bold; background: $panel; }
    SpeedHistoryScreen SpeedPlot { margin: 1 1 0 0; }
    """

    def __init__(self, history: SpeedHistory) -> None:
        super().__init__()
        self.history = history

    def _series(self, count: int) -> list[Point]:
        return self.history.series(count)

    def compose(self) -> ComposeResult:
        yield Static(self._heading(), id="heading")
        download = SpeedPlot(self._series, "download", id="download")
        yield download
        yield SpeedPlot(self._series, "upload", id="upload")
        yield TimeAxis(self.history, download)
        yield KeyFooter()

    def _heading(self) -> Text:
        samples = len(self.history)
        return Text(
            f"Speed history — all torrents, one sample per poll, {samples} of the last "
            f"{self.history.capacity} kept",
            no_wrap=True,
            overflow="ellipsis",
        )

    def on_mount(self) -> None:
        self.set_interval(REDRAW_SECONDS, self.redraw)

    def redraw(self) -> None:
        self.query_one("#heading", Static).update(self._heading())
        for widget in self.query(SpeedPlot):
            widget.refresh()
        self.query_one(TimeAxis).refresh()
