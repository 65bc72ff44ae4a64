"""The details panel of the highlighted torrent and its tabs."""

from __future__ import annotations

from textual.binding import Binding

from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.content import ContentTab, ContentView
from qbtui.ui.widgets.details.general import GeneralTab
from qbtui.ui.widgets.details.panel import DetailsPanel
from qbtui.ui.widgets.details.peers import PeersTab
from qbtui.ui.widgets.details.pieces_tab import PiecesTab
from qbtui.ui.widgets.details.speed_tab import SpeedTab
from qbtui.ui.widgets.details.tables import KeyedTable
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
    "binding_groups",
]


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """The panel's keys by where they apply, for the help screen."""

    def bindings(owner: type) -> list[Binding]:
        # The `explain` bindings only catch a key whose action this server lacks.
        return [b for b in owner.BINDINGS if isinstance(b, Binding) and not b.action.startswith("explain")]

    return [
        ("Details panel", bindings(DetailsPanel)),
        ("Details: general", bindings(GeneralTab)),
        ("Details: trackers, peers, HTTP sources", bindings(KeyedTable)),
        ("Details: trackers", bindings(TrackersTab)),
        ("Details: peers", bindings(PeersTab)),
        ("Details: HTTP sources", bindings(HttpSourcesTab)),
        ("Details: content", bindings(ContentTab) + bindings(ContentView)),
        ("Details: pieces", bindings(PiecesTab)),
    ]
