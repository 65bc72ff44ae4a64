"""Progress bars that fill by eighths of a cell, so 4.6 % of a six-cell bar is not an empty bar."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

from qbtui.util import format as fmt

#: A cell filled from the left by 0/8 .. 7/8 (the full cell is "█").
_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"
LABEL_WIDTH = 5


def bar_segments(fraction: float, width: int, done: Style, todo: Style) -> list[Segment]:
    """`width` cells: the done part in `done`'s colour, the rest in `todo`'s.

    Rounded down, so only a finished torrent shows a full bar. The partial cell is drawn in `done`'s
    colour on `todo`'s, so it reads as one bar with a sharp edge."""
    if width <= 0:
        return []
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = int(fraction * width * 8)
    full, part = divmod(eighths, 8)
    segments = [Segment(_FULL * full, done)] if full else []
    rest = width - full
    if part:
        segments.append(Segment(_EIGHTHS[part], Style(color=done.color, bgcolor=todo.color)))
        rest -= 1
    if rest:
        segments.append(Segment(_FULL * rest, todo))
    return segments


def percent_label(fraction: float) -> str:
    """The percentage right-aligned in LABEL_WIDTH cells ("46.0%", " 100%"), never rounded up to 100 %."""
    return fmt.percent(fraction).rjust(LABEL_WIDTH)


def progress_segments(
    fraction: float, width: int, base: Style, done: Style, todo: Style, *, min_bar: int = 3
) -> list[Segment]:
    """A bar and its percentage in `width` cells; the percentage alone when no useful bar fits."""
    label = percent_label(fraction)
    bar_width = width - LABEL_WIDTH - 1
    if bar_width < min_bar:
        return [Segment(label.rjust(width) if width >= LABEL_WIDTH else label[-width:], base)]
    return [
        *bar_segments(fraction, bar_width, base + done, base + todo),
        Segment(" " + label, base),
    ]
