"""The details panel of the highlighted torrent and its tabs."""

from __future__ import annotations

from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.content import ContentTab, ContentView
from qbtui.ui.widgets.details.general import GeneralTab
from qbtui.ui.widgets.details.panel import DetailsPanel
from qbtui.ui.widgets.details.peers import PeersTab
from qbtui.ui.widgets.details.pieces_tab import PiecesTab
from qbtui.ui.widgets.details.speed_tab import SpeedTab
from qbtui.ui.widgets.details.trackers import TrackersTab
from qbtui.ui.widgets.details.webseeds import HttpSourcesTab

__all__ = [
    "ContentTab",
    "ContentView",
    "DetailTab",
    "DetailsPanel",
    "GeneralTab",
    "HttpSourcesTab",
    "PeersTab",
    "PiecesTab",
    "SpeedTab",
    "TrackersTab",
]

