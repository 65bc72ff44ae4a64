"""Progress bars: one width for every row, filled by eighths of a cell."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

from qbtui.ui.widgets.bar import bar_segments, percent_label, progress_segments

DONE, TODO, BASE = Style(color="green"), Style(color="grey23"), Style()


def cells(segments: list[Segment]) -> str:
    return "".join(segment.text for segment in segments)


def test_a_small_share_is_not_an_empty_bar() -> None:
    bar = cells(bar_segments(0.046, 6, DONE, TODO))
    assert bar[0] == "▎" and bar[1:] == "█████"  # 4.6 % of 6 cells is 2.2 eighths: two eighths shown
    assert cells(bar_segments(0.0, 6, DONE, TODO)) == "██████"  # all of it the unfinished colour
    partial = bar_segments(0.5 + 1.5 / 48, 6, DONE, TODO)  # three cells and one eighth
    assert cells(partial) == "███▏██" and partial[1].style == Style(color="green", bgcolor="grey23")


def test_only_a_finished_torrent_has_a_full_bar_and_100_percent() -> None:
    assert [s.style for s in bar_segments(0.9999, 6, DONE, TODO)][-1] != DONE
    assert bar_segments(1.0, 6, DONE, TODO) == [Segment("██████", DONE)]
    assert percent_label(0.9999) == "99.9%" and percent_label(1.0) == " 100%"


def test_every_progress_cell_is_one_width() -> None:
    for fraction in (0.0, 0.046, 0.5, 0.999, 1.0):
        assert sum(s.cell_length for s in progress_segments(fraction, 12, BASE, DONE, TODO)) == 12
        # Too narrow for a useful bar: the percentage alone, right-aligned.
        assert cells(progress_segments(fraction, 7, BASE, DONE, TODO)) == percent_label(fraction).rjust(7)
