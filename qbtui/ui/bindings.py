"""Every key binding of the interface, grouped by where it applies: for the help screen (`?`), the
command palette and checking the ids of a `[keymap]`. The app's own bindings are passed in (its
module imports this one)."""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode

from qbtui.ui.screens.main import MainScreen
from qbtui.ui.screens.rss import RssScreen
from qbtui.ui.screens.rss_rule_editor import RuleEditor
from qbtui.ui.screens.rss_rules import RulesScreen
from qbtui.ui.screens.saved_views import ViewsScreen
from qbtui.ui.screens.search import SearchScreen
from qbtui.ui.screens.search_plugins import JobsDialog, PluginsDialog
from qbtui.ui.widgets.details import (
    DetailsPanel,
    GeneralTab,
    HttpSourcesTab,
    PeersTab,
    PiecesTab,
    TrackersTab,
)
from qbtui.ui.widgets.details.content import ContentTab, ContentView
from qbtui.ui.widgets.details.tables import KeyedTable
from qbtui.ui.widgets.log_pane import LogPane
from qbtui.ui.widgets.torrent_table import TorrentTable

BindingGroups = list[tuple[str, list[Binding]]]


def bindings_of(owner: type[DOMNode], *, skip: str = "") -> list[Binding]:
    """The class's own bindings (as declared; a keymap changes only their keys); `skip`: actions
    that start with it (the details' `explain` bindings only catch a key this server lacks)."""
    return [b for b in owner.BINDINGS if isinstance(b, Binding) and not (skip and b.action.startswith(skip))]


def details_groups() -> BindingGroups:
    content = bindings_of(ContentTab, skip="explain") + bindings_of(ContentView, skip="explain")
    return [
        ("Details panel", bindings_of(DetailsPanel, skip="explain")),
        ("Details: general", bindings_of(GeneralTab, skip="explain")),
        ("Details: trackers, peers, HTTP sources", bindings_of(KeyedTable, skip="explain")),
        ("Details: trackers", bindings_of(TrackersTab, skip="explain")),
        ("Details: peers", bindings_of(PeersTab, skip="explain")),
        ("Details: HTTP sources", bindings_of(HttpSourcesTab, skip="explain")),
        ("Details: content", content),
        ("Details: pieces", bindings_of(PiecesTab, skip="explain")),
    ]


def binding_groups(app: type[DOMNode]) -> BindingGroups:
    return [
        ("Torrent list", bindings_of(TorrentTable)),
        ("Torrents and view", bindings_of(MainScreen)),
        *details_groups(),
        ("Log pane", bindings_of(LogPane)),
        ("Saved views list (v)", bindings_of(ViewsScreen)),
        ("RSS (N)", bindings_of(RssScreen)),
        ("Auto-download rules (w in RSS)", bindings_of(RulesScreen) + bindings_of(RuleEditor)),
        ("Search (E)", bindings_of(SearchScreen)),
        ("Search plugins (p) and searches (j)", bindings_of(PluginsDialog) + bindings_of(JobsDialog)),
        ("Application", bindings_of(app)),
    ]
