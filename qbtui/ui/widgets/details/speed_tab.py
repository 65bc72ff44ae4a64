"""Speed: this torrent's download and upload over the last minutes, from the app's speed history
(recorded from the sync updates; no request of its own)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from qbtui.api import QbtApi
from qbtui.model.history import Point, SpeedHistory
from qbtui.ui.services import services
from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.speed_graph import SpeedPlot


class SpeedTab(DetailTab):
    TITLE = "Speed"
    PANE_ID = "speed"

    DEFAULT_CSS = """
    SpeedTab .body { height: 1fr; }
    SpeedTab SpeedPlot { height: 1fr; }
    """

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="body"):
            yield SpeedPlot(self._series, "download")
            yield SpeedPlot(self._series, "upload")

    @property
    def history(self) -> SpeedHistory | None:
        return services(self).history

    def _series(self, count: int) -> list[Point]:
        history = self.history
        if history is None or self.hash is None:
            return []
        return history.torrent_series(self.hash, count)

    async def fetch(self, api: QbtApi, hash: str) -> None:
        return None  # the history is already here: the panel's poll only paces the redraws

    def show_data(self, data: None) -> None:
        for plot in self.query(SpeedPlot):
            plot.refresh()
        self.data_shown()
        history = self.history
        if history is None or not len(history):
            self.note.say("No samples yet: the history fills while qbtui runs", "info")
