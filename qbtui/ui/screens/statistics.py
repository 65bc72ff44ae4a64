"""`I`: the server's statistics (all-time totals, ratio, waste, peers, cache and disk queue), redrawn
from the store each second: every poll brings them, so this screen asks the server for nothing."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from qbtui.model.statistics import statistics
from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.services import services
from qbtui.ui.text import safe

REDRAW_SECONDS = 1.0


def render_statistics(raw: dict[str, Any]) -> RenderableType:
    parts: list[RenderableType] = []
    for title, rows in statistics(raw):
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim", min_width=30, no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        for label, value in rows:
            table.add_row(Text(label), Text(safe(value)))
        if parts:
            parts.append(Text(""))
        parts += [Text(title, style="bold"), table]
    return Group(*parts)


class StatisticsScreen(Dialog[None]):
    DEFAULT_CSS = """
    StatisticsScreen .dialog { width: 60; }
    """
    BINDINGS = [Binding("escape,I,q", "dismiss", "Close", id="statistics.close")]

    def compose(self) -> ComposeResult:
        # The dialog itself scrolls: at 80x24 the figures are taller than the screen.
        with VerticalScroll(classes="dialog"):
            yield Static(Text("Statistics"), classes="title")
            yield Static(id="figures")
            yield Static(Text("From the server's own counters; Esc closes.", style="dim"))

    def on_mount(self) -> None:
        self.redraw()
        self.set_interval(REDRAW_SECONDS, self.redraw)

    def redraw(self) -> None:
        raw = dict(services(self).store.server_state_raw)
        self.query_one("#figures", Static).update(render_statistics(raw))
