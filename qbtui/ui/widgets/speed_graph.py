"""Speed graphs: a one-line strip of sparklines for the status area, and a braille plot.

Both draw with theme variables only ($graph-download, $graph-upload, $graph-gap) through component
classes. A gap (no data: disconnected) is drawn as a shaded column, never as zero speed; a coarse
sample (taken a minute apart while nobody could see the app) is drawn dim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from qbtui.model.history import Point, SpeedHistory, Stats, bucket
from qbtui.ui.widgets.one_line import OneLine
from qbtui.util import format as fmt

Direction = Literal["download", "upload"]
#: Reads the last `count` samples of something (the global history, or one torrent's).
Source = Callable[[int], list[Point]]

SPARKS = " ▁▂▃▄▅▆▇█"
GAP_CELL = "░"
#: Braille dots by row from the top, for the left and the right sample of a cell.
_LEFT_DOTS = (0x01, 0x02, 0x04, 0x40)
_RIGHT_DOTS = (0x08, 0x10, 0x20, 0x80)
_ARROWS = {"download": "↓", "upload": "↑"}

GRAPH_CSS_CLASSES = {
    "speed-graph--download",
    "speed-graph--upload",
    "speed-graph--gap",
    "speed-graph--label",
    "speed-graph--coarse",
}
GRAPH_CSS = """
    & > .speed-graph--download { color: $graph-download; }
    & > .speed-graph--upload { color: $graph-upload; }
    & > .speed-graph--gap { color: $graph-gap; }
    & > .speed-graph--label { color: $text-muted; }
    & > .speed-graph--coarse { text-style: dim; }
"""


def coarse_cells(flags: Sequence[bool], width: int) -> list[bool]:
    """Which of `width` cells (bucketed like `sparkline`) hold a coarse sample."""
    if width <= 0:
        return []
    if len(flags) <= width:
        return list(flags)
    size = len(flags) / width
    return [any(flags[int(c * size) : int((c + 1) * size)]) for c in range(width)]


def pick(points: Sequence[Point], direction: Direction) -> list[int | None]:
    index = 0 if direction == "download" else 1
    return [None if p is None else p[index] for p in points]


def sparkline(values: Sequence[int | None], width: int) -> list[str | None]:
    """One character per cell (None: a gap), scaled to the peak; the newest value rightmost."""
    cells = bucket(values, width)
    peak = max((v for v in cells if v is not None), default=0)
    out: list[str | None] = []
    for value in cells:
        if value is None:
            out.append(None)
        elif value <= 0 or peak <= 0:
            out.append(SPARKS[0] if peak else SPARKS[1])
        else:
            out.append(SPARKS[max(1, round(value / peak * (len(SPARKS) - 1)))])
    return out


def braille(values: Sequence[int | None], columns: int, rows: int, peak: int) -> list[list[str | None]]:
    """A filled area plot, two samples per cell and four dot rows per text row; rows top first.
    A cell both of whose samples are gaps is None. The newest samples sit at the right edge."""
    values = list(values[-2 * columns :]) if columns > 0 else []
    padding = 2 * columns - len(values)
    levels = 4 * rows
    heights: list[int | None] = [0] * padding  # before the first sample: empty, not a gap
    for value in values:
        if value is None:
            heights.append(None)
        elif value <= 0 or peak <= 0:
            heights.append(0)
        else:
            heights.append(max(1, min(levels, round(value / peak * levels))))
    grid: list[list[str | None]] = []
    for row in range(rows):
        base = 4 * (rows - 1 - row)  # dots below this text row
        line: list[str | None] = []
        for column in range(columns):
            left, right = heights[2 * column], heights[2 * column + 1]
            if left is None and right is None:
                line.append(None)
                continue
            bits = 0
            for height, dots in ((left, _LEFT_DOTS), (right, _RIGHT_DOTS)):
                filled = max(0, min(4, (height or 0) - base))
                for dot in range(filled):
                    bits |= dots[3 - dot]
            line.append(chr(0x2800 + bits))
        grid.append(line)
    return grid


def nice_peak(value: int) -> int:
    """The axis top: the peak rounded up to 1, 2 or 5 times a power of ten *in the unit it is shown
    in* (KiB/s, MiB/s, …), so the label reads e.g. `5 MiB/s`; at least 1 KiB/s."""
    unit = 1024
    while value > 500 * unit:
        unit *= 1024
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if step * unit >= value:
            return step * unit
    return 500 * unit


def short_speed(value: int) -> str:
    """`390.6K`, `1.6M`: a speed in few cells, for the strip (binary units, per second)."""
    amount, unit = float(value), 0
    while amount >= 1000 and unit < 4:
        amount, unit = amount / 1024, unit + 1
    return f"{amount:.0f}B" if unit == 0 else f"{amount:.1f}{'BKMGT'[unit]}"


def stats_text(
    stats: Stats | None, label_style: Style, value_style: Style, speed: Callable[[int], str] = fmt.speed
) -> Text:
    text = Text(no_wrap=True)
    if stats is None:
        text.append("no data yet", style=label_style)
        return text
    for name, value in (("min", stats.minimum), ("avg", round(stats.average)), ("peak", stats.peak)):
        text.append(f"{name} ", style=label_style)
        text.append(speed(value), style=value_style)
        text.append("  ")
    text.rstrip()
    return text


class SpeedStrip(Widget):
    """One line under the table: download and upload sparklines of the global speed history,
    each with min/avg/peak (left out when the terminal is narrow).

    The owner calls `sample_added()` after each poll; the strip repaints only when its line
    differs from the one on screen (issue 18: an idle poll redraws nothing). While every sample
    in the window is the same, the line cannot have changed and is not even recomposed.
    """

    DEFAULT_CSS = (
        """
    SpeedStrip {
        height: 1; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    """
        + GRAPH_CSS
        + "}"
    )
    COMPONENT_CLASSES = GRAPH_CSS_CLASSES

    def __init__(self, history: SpeedHistory, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history = history
        #: The line last drawn and the width it was made for.
        self._drawn: tuple[int, Text] | None = None
        #: While the history is steady: what the drawn line depends on (else None).
        self._steady_key: tuple[object, ...] | None = None
        #: The most sparkline cells the last line had room for.
        self._cells = 0

    def _width(self) -> int:
        return self.content_region.width or self.size.width

    def _key(self, width: int) -> tuple[object, ...] | None:
        history = self.history
        if not history.steady or not len(history):
            return None
        # Equal samples squeezed into cells give the same cells; only how many cells are drawn
        # (one per sample until there are more samples than cells) and their value matter.
        drawn = min(len(history), self._cells + 1)
        return (width, drawn, history.series(1)[0], history.coarse(1)[0])

    def sample_added(self) -> None:
        width = self._width()
        key = self._key(width)
        if key is not None and key == self._steady_key and self._drawn is not None:
            return
        line = self._line_for(width)
        self._steady_key = key
        if self._drawn is not None and self._drawn == (width, line):
            return
        self._drawn = (width, line)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = None  # colours come from the theme: compose again at the next render
        self._steady_key = None

    def render(self) -> OneLine:
        width = self._width()
        if self._drawn is None or self._drawn[0] != width:
            self._drawn = (width, self._line_for(width))
            self._steady_key = self._key(width)
        # Straight to a strip: Textual's Content path (a span per cell, its wrapper) cost more
        # than the rest of an idle poll together.
        return OneLine(self._drawn[1], self.app.console)

    def _line_for(self, width: int) -> Text:
        points = self.history.series()
        flags = self.history.coarse()
        label = self.get_component_rich_style("speed-graph--label")
        gap_style = self.get_component_rich_style("speed-graph--gap")
        coarse_style = self.get_component_rich_style("speed-graph--coarse")
        parts: list[tuple[Direction, Text, Text]] = []
        for direction in ("download", "upload"):
            values = pick(points, direction)
            style = self.get_component_rich_style(f"speed-graph--{direction}")
            stats = Stats.of(values)
            head = Text(f"{_ARROWS[direction]} ", style=style)
            tail = stats_text(stats, label, style, short_speed)
            parts.append((direction, head, tail))
        half = max(0, (width - 3) // 2)
        line = Text(no_wrap=True, overflow="ellipsis")
        self._cells = 0
        for number, (direction, head, tail) in enumerate(parts):
            if number:
                line.append(" │ ", style=label)
            spark_width = half - head.cell_len - tail.cell_len - 1
            if spark_width < 8:  # narrow: the sparkline, without the numbers
                tail = Text()
                spark_width = half - head.cell_len
            line.append_text(head)
            self._cells = max(self._cells, spark_width)
            style = self.get_component_rich_style(f"speed-graph--{direction}")
            cells = sparkline(pick(points, direction), max(0, spark_width))
            coarse = coarse_cells(flags, max(0, spark_width)) if any(flags) else [False] * len(cells)
            line.append(" " * (max(0, spark_width) - len(cells)))
            # One span per run of cells in one style, not one per cell.
            run: list[str] = []
            run_style: Style | None = None
            for cell, rough in zip(cells, coarse, strict=True):
                if cell is None:
                    text, cell_style = GAP_CELL, gap_style
                else:
                    text, cell_style = cell, (style + coarse_style if rough else style)
                if cell_style != run_style and run:
                    line.append("".join(run), style=run_style)
                    run = []
                run.append(text)
                run_style = cell_style
            if run:
                line.append("".join(run), style=run_style)
            if tail.cell_len:
                line.append(" ")
                line.append_text(tail)
        return line


class SpeedPlot(Widget):
    """A braille plot of one direction: a title line with the current speed and min/avg/peak, the
    plot with its axis on the left, gaps shaded. `source(count)` gives the samples to draw."""

    DEFAULT_CSS = (
        """
    SpeedPlot { height: 1fr; min-height: 3; text-wrap: nowrap; text-overflow: clip; """
        + GRAPH_CSS
        + "}"
    )
    COMPONENT_CLASSES = GRAPH_CSS_CLASSES
    #: The widest speed (`1023.9 KiB/s`), a space and the axis line.
    AXIS_WIDTH = 14

    #: Bumped by the owner to redraw (new samples).
    version: reactive[int] = reactive(0, layout=False)

    def __init__(self, source: Source, direction: Direction, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source
        self.direction: Direction = direction

    def samples_shown(self) -> int:
        return 2 * max(0, self.size.width - self.AXIS_WIDTH)

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        columns, rows = max(0, width - self.AXIS_WIDTH), max(1, height - 1)
        values = pick(self.source(2 * columns), self.direction)
        style = self.get_component_rich_style(f"speed-graph--{self.direction}")
        label = self.get_component_rich_style("speed-graph--label")
        gap_style = self.get_component_rich_style("speed-graph--gap")
        stats = Stats.of(values)
        title = Text(no_wrap=True, overflow="ellipsis")
        heading = f"{_ARROWS[self.direction]} {self.direction.capitalize()}"
        title.append(heading, style=style + Style(bold=True))
        current = next((v for v in reversed(values) if v is not None), None)
        if current is not None:
            title.append("  now ", style=label)
            title.append(fmt.speed(current), style=style)
        title.append("   ")
        title.append_text(stats_text(stats, label, style))
        top = nice_peak(stats.peak if stats else 0)
        grid = braille(values, columns, rows, top)
        lines = [title]
        for row, cells in enumerate(grid):
            line = Text(no_wrap=True)
            if row == 0:
                axis = fmt.speed(top)
            elif row == rows - 1:
                axis = "0"
            else:
                axis = ""
            tick = "┤" if axis else "│"
            line.append(f"{axis:>{self.AXIS_WIDTH - 2}} {tick}", label)
            for cell in cells:
                line.append(GAP_CELL if cell is None else cell, style=gap_style if cell is None else style)
            lines.append(line)
        return Text("\n", no_wrap=True).join(lines)
