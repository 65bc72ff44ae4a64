"""The monitor: the torrent table with its sidebar, filter, details panel, log pane, speed strip and
status line. Its parts live beside it: what the keys do to torrents (torrent_actions.py), the filter
(filter_bar.py), saved views (saved_views_host.py) and the watch on the connection
(connection_watcher.py); main_parts.py is what they share."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from qbtui.api.models import Torrent
from qbtui.model.columns import COLUMNS, SERVER_COLUMN
from qbtui.model.events import EventKind, TorrentEvent, TorrentEvents
from qbtui.model.sync import LinkState
from qbtui.model.wording import Wording, reword
from qbtui.ui.messages import SyncApplied
from qbtui.ui.readonly import changes_the_server
from qbtui.ui.screens.columns import ColumnsChoice, ColumnsDialog
from qbtui.ui.screens.connection_watcher import ConnectionWatcher
from qbtui.ui.screens.dialogs import (
    PickOne,
)
from qbtui.ui.screens.filter_bar import FilterBar
from qbtui.ui.screens.fleet_host import FleetHost
from qbtui.ui.screens.saved_views import SavedViewCommands
from qbtui.ui.screens.saved_views_host import SavedViewsHost
from qbtui.ui.screens.torrent_actions import by_server, plural
from qbtui.ui.screens.torrent_transfer import TransferActions
from qbtui.ui.sort_preparation import SortPreparation
from qbtui.ui.widgets.details import DetailsPanel
from qbtui.ui.widgets.filter_input import FilterInput
from qbtui.ui.widgets.key_footer import KeyFooter
from qbtui.ui.widgets.log_pane import LogPane
from qbtui.ui.widgets.sidebar import Sidebar
from qbtui.ui.widgets.speed_graph import SpeedStrip
from qbtui.ui.widgets.status_bar import StatusBar
from qbtui.ui.widgets.torrent_table import TorrentTable

if TYPE_CHECKING:
    pass

#: The descriptions of the keys whose words depend on the server (qbtui.model.wording).
_DESCRIPTIONS = {
    "torrent.toggle-pause": "Pause/Resume",
    "torrent.pause-all": "Pause all",
    "torrent.resume-all": "Resume all",
}

#: Actions that only look or move around: offered even while not connected.
_ALWAYS_AVAILABLE = (
    "filter", "clear", "toggle_sidebar", "sort", "reverse", "columns", "reconnect", "servers", "problems",
    "views", "saved_view", "default_view", "save_view",
)  # fmt: skip
#: Terminals narrower than this give the table the whole width (the sidebar needs 30 columns).
NARROW_WIDTH = 100


class MainScreen(ConnectionWatcher, SavedViewsHost, FilterBar, FleetHost, TransferActions):
    """Every binding here has an id (for keymaps) and is also offered in the command palette."""

    COMMANDS = {SavedViewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "toggle_pause", "Pause/Resume", id="torrent.toggle-pause"),
        Binding("P", "pause_all", "Pause all", show=False, id="torrent.pause-all"),
        Binding("R", "resume_all", "Resume all", show=False, id="torrent.resume-all"),
        Binding("d,delete", "delete", "Delete", id="torrent.delete"),
        Binding("D", "delete(True)", "Delete+data", show=False, id="torrent.delete-with-data"),
        Binding("c", "recheck", "Recheck", show=False, id="torrent.recheck"),
        Binding("e", "reannounce", "Reannounce", show=False, id="torrent.reannounce"),
        Binding("f", "force_start", "Force start", show=False, id="torrent.force-start"),
        Binding("plus", "queue('increase')", "Queue up", show=False, id="torrent.queue-up"),
        Binding("minus", "queue('decrease')", "Queue down", show=False, id="torrent.queue-down"),
        Binding("T", "queue('top')", "Queue top", show=False, id="torrent.queue-top"),
        Binding("B", "queue('bottom')", "Queue bottom", show=False, id="torrent.queue-bottom"),
        Binding("o", "sequential", "Sequential", show=False, id="torrent.sequential"),
        Binding("F", "first_last", "First/last piece", show=False, id="torrent.first-last"),
        Binding("Z", "super_seeding", "Super seeding", show=False, id="torrent.super-seeding"),
        Binding("M", "auto_tmm", "Auto management", show=False, id="torrent.auto-tmm"),
        Binding("C", "category", "Category", id="torrent.category"),
        Binding("m", "location", "Move", show=False, id="torrent.location"),
        Binding("ctrl+t", "transfer", "To another server", show=False, id="torrent.transfer"),
        Binding("n", "rename", "Rename", show=False, id="torrent.rename"),
        Binding("l", "limits", "Limits", show=False, id="torrent.limits"),
        Binding("t", "share_limits", "Share limits", show=False, id="torrent.share-limits"),
        Binding("x", "export", "Export .torrent", show=False, id="share.export"),
        Binding("y", "copy_magnet", "Copy magnet", show=False, id="share.copy-magnet"),
        Binding("Y", "copy_hash", "Copy hash", show=False, id="share.copy-hash"),
        Binding("N", "creator", "New torrent", show=False, id="app.creator"),
        Binding("I", "statistics", "Statistics", show=False, id="view.statistics"),
        Binding("A", "toggle_alt_speed", "Alt speed", id="app.alt-speed"),
        Binding("ctrl+r", "reconnect", "Reconnect", show=False, id="app.reconnect"),
        Binding("slash", "filter", "Filter", id="view.filter"),
        Binding("escape", "clear", "Back: close details, clear filter, unmark", show=False, id="view.clear"),
        Binding("b", "toggle_sidebar", "Sidebar", id="view.sidebar"),
        Binding("s", "sort", "Sort", id="view.sort"),
        Binding("r", "reverse", "Reverse", show=False, id="view.reverse"),
        Binding(
            "less_than_sign", "sort_step(-1)", "Sort by previous column", show=False, id="view.sort-prev"
        ),
        Binding("greater_than_sign", "sort_step(1)", "Sort by next column", show=False, id="view.sort-next"),
        Binding("O", "columns", "Columns", show=False, id="view.columns"),
        Binding("enter", "toggle_details", "Details", id="view.details"),
        Binding("ctrl+up", "details_size(5)", "Taller details", show=False, id="view.details-taller"),
        Binding("ctrl+down", "details_size(-5)", "Shorter details", show=False, id="view.details-shorter"),
        Binding("L", "toggle_log", "Log", id="view.log"),
        Binding("h", "speed_history", "Speed history", show=False, id="view.speed-history"),
        Binding("a", "add", "Add", id="torrent.add"),
        Binding("S", "speed_limits", "Speed limits", show=False, id="app.speed-limits"),
        Binding("K", "categories", "Categories and tags", show=False, id="app.categories"),
        Binding("X", "server_actions", "Server", show=False, id="app.server"),
        Binding("w", "rss", "RSS", show=False, id="app.rss"),
        Binding("E", "search", "Search", show=False, id="app.search"),
        Binding("comma", "preferences", "Preferences", show=False, id="app.preferences"),
        Binding("W", "servers", "Servers", show=False, id="app.servers"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="view.problems"),
        Binding("u", "undo", "Undo", show=False, id="torrent.undo"),
        Binding("H", "undo_history", "Undo history", show=False, id="view.undo-history"),
        Binding(
            "right_square_bracket", "details_tab(1)", "Next details tab", show=False, id="view.details-next"
        ),
        Binding(
            "left_square_bracket",
            "details_tab(-1)",
            "Previous details tab",
            show=False,
            id="view.details-prev",
        ),
        Binding("v", "views", "Saved views", show=False, id="view.views"),
        Binding("ctrl+s", "save_view", "Save view", show=False, id="view.save"),
        # Number keys reach the screen only from the table or the sidebar: the filter box types
        # them, and the log pane and the details' Content tab bind their own while focused.
        Binding("0", "default_view", "Default view", show=False, id="view.default"),
        *(
            Binding(str(key), f"saved_view({key})", f"Saved view {key}", show=False, id=f"view.saved-{key}")
            for key in range(1, 10)
        ),
    ]

    DEFAULT_CSS = """
    MainScreen { layout: vertical; }
    MainScreen #body { height: 1fr; }
    MainScreen #list { width: 1fr; }
    MainScreen #name-filter { display: none; height: 3; border: tall $accent; }
    MainScreen #name-filter.-visible { display: block; }
    MainScreen #filter-error { display: none; height: 1; padding: 0 1; }
    MainScreen #filter-error.-visible { display: block; }
    MainScreen #details { display: none; height: 45%; border-top: hkey $foreground 25%; }
    MainScreen #details.-full { height: 1fr; }
    MainScreen #log { display: none; height: 35%; border-top: hkey $foreground 25%; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._first_data = True
        #: Where the first data put the cursor (None once the user has had it).
        self._placed_cursor: str | None = None
        self._highlight_after_poll: list[str] = []
        self._events = TorrentEvents()
        #: Below NARROW_WIDTH columns the sidebar hides itself unless toggled on for the moment.
        self._narrow = False
        self._sidebar_on_narrow = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield Sidebar(id="sidebar")
            with Vertical(id="list"):
                yield TorrentTable(self.qbt.view, id="torrents")
                yield FilterInput(
                    self._name_filter_edited,
                    placeholder="a name, or e.g. state:downloading ratio<1 size>2G !tag:keep (Esc clears)",
                    id="name-filter",
                )
                yield Static("", id="filter-error")
                yield DetailsPanel(lambda: self.qbt.api, id="details")
        yield LogPane(lambda: self.qbt.api, id="log")
        yield SpeedStrip(self.qbt.history, id="speed")
        yield StatusBar(id="status")
        yield KeyFooter()

    @property
    def table(self) -> TorrentTable:
        return self.query_one(TorrentTable)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    _NEEDS_V2 = frozenset({"reannounce"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what this server cannot do; grey out commands while not connected."""
        api = self.qbt.api
        fleet = self.qbt.fleet
        if action in self._NEEDS_V2 and api is not None and api.info.is_legacy and fleet is None:
            return False  # (in a fleet each server's part says for itself what it cannot do)
        if self.qbt.read_only and changes_the_server(self, action):
            return False
        if action.startswith(_ALWAYS_AVAILABLE) or action in ("speed_history", "transfer"):
            return True
        if fleet is not None:
            return True if any(fleet.api(name) is not None for name in fleet.members) else None
        return True if api is not None else None

    def saw_input(self) -> None:
        """Someone is at the keys: the sorts the polls moved meanwhile are caught up while they read."""
        if self.is_mounted:
            self.sort_preparation.wake()

    def on_mount(self) -> None:
        self.sort_preparation = SortPreparation(self, lambda: self.qbt.view, lambda: self.table.columns)
        state = self.qbt.ui_state
        self.table.set_columns(state.columns, state.pinned)
        self._narrow = self.app.size.width < NARROW_WIDTH
        self._apply_sidebar()
        self.table.focus()
        self._refresh_sidebar()
        self.status.server_name = self.qbt.server_name
        self.qbt.main_ready.set()

    # -- sync -----------------------------------------------------------------------------------

    @on(SyncApplied)
    def _sync_applied(self, message: SyncApplied) -> None:
        if self.qbt.fleet is not None:
            return  # several servers: their polls arrive as FleetSynced (fleet_host.py)
        update = message.update
        self.qbt.history.feed(update, self.qbt.store, coarse=update.coarse)
        self.query_one(SpeedStrip).sample_added()
        status = self.status
        self.table.set_class(update.state is not LinkState.LIVE and bool(self.qbt.store.torrents), "-stale")
        if update.state is not LinkState.LIVE:
            if not self.qbt.store.torrents:
                self.table.empty_message = (
                    "Connecting…" if update.state is LinkState.CONNECTING else update.message
                )
                self.table.refresh()
            status.show_sync(update)
        if self._watch_link(update):
            return
        self.table.empty_message = "No torrents match" if self.qbt.store.torrents else "No torrents"
        api = self.qbt.api
        if api is not None and status.info is not api.info:
            self._use_wording()
            status.info = api.info
            self.table.show_v2_columns = not api.info.is_legacy
            self.sidebar.show_v2_sections = not api.info.is_legacy
            self.sidebar.server_info = api.info
            self.table.set_columns(self.table.columns)
        status.show_sync(update, self.qbt.poller.interval)
        changes = update.changes
        if changes is not None:
            view = self.qbt.view
            reordered = view.apply(changes) or changes.full_update
            self.table.rows_changed(changes.changed.keys(), reordered=reordered)
            if self._first_data and view.order:
                # The cursor starts on the top row. After a first page, the full list may put other
                # torrents above it (the server's sort is not exactly ours): back to the top, unless
                # the user has moved the cursor meanwhile.
                cursor = self.table.cursor_hash
                if self._placed_cursor in (None, cursor) or cursor not in self.qbt.store.torrents:
                    self.table.move_to_row(0)
                    self._placed_cursor = self.table.cursor_hash
                # The first full update leaves tens of thousands of long-lived objects; moving them
                # out of the collector's reach ends the 150-200 ms full collections that otherwise
                # stall keys every few dozen polls (bench: page-down p95 at 10k 111 -> 33 ms).
                # A first page (changes.preview) comes before it: the cursor goes there already.
                if not changes.preview:
                    self._first_data = False
                    self.call_after_refresh(gc.freeze)
            if changes.full_update and not changes.preview:
                self.sort_preparation.restart()
            if (
                changes.torrents_changed
                or changes.categories_changed
                or changes.tags_changed
                or changes.trackers_changed
            ):
                self._refresh_sidebar()
            if self._highlight_after_poll:
                # Not only on `changes.added`: a poll may bring the torrent before the add returns.
                self._highlight_new()
            self._announce(self._events.update(self.qbt.store, changes))
        status.state = self.qbt.store.server_state
        self._refresh_counts()

    #: The wording the footer's bindings were last given.
    _words_shown: Wording | None = None

    def _use_wording(self) -> None:
        """The footer (and help) say Stop/Start on qBittorrent 5, Pause/Resume before it. Only when
        that changes: refreshing the bindings rebuilds the footer (~50 ms), and in a fleet this runs
        whenever the cursor reaches another server's row."""
        words = self.qbt.words
        if words == self._words_shown:
            return
        self._words_shown = words
        bindings = self._bindings.key_to_bindings
        for key, found in bindings.items():
            bindings[key] = [
                replace(b, description=reword(_DESCRIPTIONS.get(b.id or "", b.description), words))
                if b.id in _DESCRIPTIONS
                else b
                for b in found
            ]
        self.refresh_bindings()

    def _announce(self, events: list[TorrentEvent]) -> None:
        """A toast per finished or failed torrent (a summary when many arrive at once)."""
        if not events:
            return
        if len(events) > 5:
            done = sum(e.kind is EventKind.COMPLETED for e in events)
            self.toast(f"{done} completed, {len(events) - done} failed", title="Torrents", timeout=8)
        for event in events[:5]:
            if event.kind is EventKind.COMPLETED:
                self.toast(event.name, title="Download complete", timeout=6)
            else:
                self.toast(
                    f"{event.name}: {event.detail}", title="Torrent error", severity="error", timeout=10
                )
        self._ring()

    def _ring(self) -> None:
        if self.qbt.ring_bell:
            self.app.bell()

    def _refresh_counts(self) -> None:
        status = self.status
        status.torrent_count = len(self.qbt.view.store.torrents)
        status.visible_count = len(self.qbt.view)
        status.marked_count = len(self.table.marked)
        status.redraw()

    def _refresh_sidebar(self) -> None:
        view = self.qbt.view
        store = view.store
        self.sidebar.update_counts(view.counts, list(store.categories), store.tags, list(store.trackers))

    @on(TorrentTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._refresh_counts()

    # -- adding, limits, categories, server --------------------------------------------------------

    def action_add(self) -> None:
        from qbtui.ui.screens.add_torrents import AddResult, AddTorrentsScreen

        def added(result: AddResult | None) -> None:
            if result is None:
                return
            self.toast(result.summary())
            if result.refused:
                self.toast("Not added: " + ", ".join(result.refused), title="Refused", severity="warning")
            self._highlight_after_poll = list(result.info_hashes)
            self._highlight_new()
            self.qbt.poke()

        self.app.push_screen(AddTorrentsScreen(), added)

    def _with_targets_or_none(self, act: Callable[[list[str]], object], verb: str) -> None:
        """A dialog that also works on no torrent (global limits, managing categories): it gets the
        targets as every action does, or none when nothing is selected. Such a dialog is one
        server's: in a fleet, the targets' server (asked for when they are on several)."""
        shown, hidden = self.chosen()
        if not shown and not hidden:
            act([])
            return

        def on_one_server(targets: list[Torrent]) -> None:
            groups = by_server(targets)
            if len(groups) == 1:
                server, group = next(iter(groups.items()))
                self._pin_server(server)
                act([t.hash for t in group])
                return

            def picked(server: str | None) -> None:
                if server is not None and server in groups:
                    self._pin_server(server)
                    act([t.hash for t in groups[server]])

            choices = [
                (server, f"{server}: {plural(len(group), 'torrent')}") for server, group in groups.items()
            ]
            title = f"{verb}: the torrents are on {len(groups)} servers; this works on one at a time"
            self.app.push_screen(PickOne(title, choices), picked)

        self.with_targets(on_one_server, verb=verb)

    def _pin_server(self, server: str) -> None:
        """The server a dialog about to open is for (in a fleet); it stays so while it is open."""
        fleet = self.qbt.fleet
        if fleet is not None and server in fleet.members and server != fleet.focus:
            fleet.focus = server
            self._focus_changed()

    def action_speed_limits(self) -> None:
        from qbtui.ui.screens.speed_limits import SpeedLimitsScreen

        self._with_targets_or_none(lambda hashes: self.app.push_screen(SpeedLimitsScreen(hashes)), "Limits")

    def action_categories(self) -> None:
        from qbtui.ui.screens.categories import CategoriesScreen

        self._with_targets_or_none(
            lambda hashes: self.app.push_screen(CategoriesScreen(hashes)), "Categories and tags"
        )

    def action_preferences(self) -> None:
        from qbtui.ui.screens.preferences import PreferencesScreen

        self.app.push_screen(PreferencesScreen())

    def action_problems(self) -> None:
        from qbtui.ui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen())

    def action_servers(self) -> None:
        from qbtui.ui.screens.servers import ServersScreen

        self.app.push_screen(ServersScreen())

    def relist(self) -> None:
        """The table's data was replaced (another server, or several): filter, sort, draw anew."""
        if self.is_mounted:
            self._relist()

    def server_switched(self, name: str) -> None:
        """Another server is shown now: nothing of the old one's may linger or be acted on."""
        self._events = TorrentEvents()
        self._first_data = True
        self._placed_cursor = None
        self._link_lost = False
        self._connection_screen_closed = False
        self.table.marked.clear()
        self.status.info = None
        self.status.problem = ""
        self.status.server_name = self.qbt.server_name
        self.app.sub_title = name
        self.toast(f"Switched to {name}", title="Servers", timeout=3)

    def action_creator(self) -> None:
        from qbtui.ui.screens.creator import open_creator

        open_creator(self.app)

    def action_statistics(self) -> None:
        from qbtui.ui.screens.statistics import StatisticsScreen

        self.app.push_screen(StatisticsScreen())

    def action_server_actions(self) -> None:
        from qbtui.ui.screens.server_actions import ServerActionsScreen

        self.app.push_screen(ServerActionsScreen())

    def action_rss(self) -> None:
        from qbtui.ui.screens.rss import RssScreen

        self.app.push_screen(RssScreen())

    def action_search(self) -> None:
        from qbtui.ui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen())

    def _highlight_new(self) -> None:
        """After an add: put the cursor on the first new torrent once a poll has brought it."""
        for hash in self._highlight_after_poll:
            if self.table.move_to_hash(hash):
                self._highlight_after_poll = []
                return

    # -- details panel and log pane --------------------------------------------------------------

    #: Below this height the details panel takes the whole list area instead of a split.
    SPLIT_MIN_HEIGHT = 30

    # Panels are shown and hidden through `display`, not a class on the screen: a screen class
    # restyles every widget on it, which cost 40-60 ms per toggle at 10,000 torrents.

    @property
    def details_open(self) -> bool:
        return self.query_one(DetailsPanel).display

    @property
    def log_open(self) -> bool:
        return self.query_one(LogPane).display

    @property
    def sidebar_shown(self) -> bool:
        return self.sidebar.display

    def action_toggle_details(self) -> None:
        panel = self.query_one(DetailsPanel)
        opening = not panel.display
        full = opening and self.size.height < self.SPLIT_MIN_HEIGHT
        panel.set_class(full, "-full")
        panel.display = opening
        self.table.display = not full
        if opening:
            panel.show(self._follow_focus(self.table.cursor_hash))
        else:
            self.table.focus()

    def action_details_tab(self, step: int) -> None:
        """Switch details tabs without leaving the list (inside the panel, its own keys do it)."""
        if not self.details_open:
            self.action_toggle_details()
        self.query_one(DetailsPanel).action_next_tab(step)

    def action_details_size(self, step: int) -> None:
        panel = self.query_one(DetailsPanel)
        current = panel.styles.height.value if panel.styles.height is not None else 45
        panel.styles.height = f"{max(15, min(85, int(current) + step))}%"

    def action_toggle_log(self) -> None:
        log = self.query_one(LogPane)
        log.display = not log.display
        if log.display:
            log.poll_loop.poke()  # it looks rarely while hidden (details/polling.py)

    def action_speed_history(self) -> None:
        from qbtui.ui.screens.speed_history import SpeedHistoryScreen

        self.app.push_screen(SpeedHistoryScreen(self.qbt.history))

    @on(TorrentTable.CursorMoved)
    def _cursor_moved(self, message: TorrentTable.CursorMoved) -> None:
        hash = self._follow_focus(message.hash)
        if self.details_open:
            self.query_one(DetailsPanel).show(hash)

    def _focus_changed(self) -> None:
        """In a fleet the highlighted row is on another server now: the details start afresh for
        it (the same hash on two servers is two torrents), and the footer takes its words."""
        if self.details_open:
            self.query_one(DetailsPanel).show(None)
        self._use_wording()

    @on(DetailsPanel.TorrentEdited)
    def _torrent_edited(self) -> None:
        self.qbt.poke()

    # -- sidebar, sorting and columns ---------------------------------------------------------------

    def action_toggle_sidebar(self) -> None:
        if self._narrow:
            # On a small terminal the toggle is for now only: the saved choice is for wide ones.
            self._sidebar_on_narrow = not self._sidebar_on_narrow
        else:
            self.qbt.ui_state.sidebar = not self.qbt.ui_state.sidebar
            self.qbt.ui_state.save()
        self._apply_sidebar()

    def _apply_sidebar(self) -> None:
        shown = self._sidebar_on_narrow if self._narrow else self.qbt.ui_state.sidebar
        self.sidebar.display = shown

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW_WIDTH
        if narrow != self._narrow:
            self._narrow = narrow
            self._sidebar_on_narrow = False
            self._apply_sidebar()

    def _set_sort(self, column: str, reverse: bool | None = None) -> None:
        view = self.qbt.view
        if reverse is None:
            reverse = not view.reverse if column == view.sort_column else False
        view.sort_column, view.reverse = column, reverse
        if self._active_view is None:
            self.qbt.ui_state.sort_column, self.qbt.ui_state.sort_reverse = column, reverse
            self.qbt.ui_state.save()
        self._relist()
        self.sort_preparation.restart()

    @on(TorrentTable.HeaderClicked)
    def _header_clicked(self, message: TorrentTable.HeaderClicked) -> None:
        self._set_sort(message.column)

    def action_sort(self) -> None:
        view = self.qbt.view
        choices = [(key, COLUMNS[key].title) for key in self.table.columns]

        def chosen(column: str | None) -> None:
            if column:
                self._set_sort(column, reverse=view.reverse if column == view.sort_column else False)

        self.app.push_screen(PickOne("Sort by", choices, current=view.sort_column), chosen)

    def action_reverse(self) -> None:
        self._set_sort(self.qbt.view.sort_column, reverse=not self.qbt.view.reverse)

    def action_sort_step(self, step: int) -> None:
        columns = self.table.columns
        current = self.qbt.view.sort_column
        index = columns.index(current) if current in columns else 0
        self._set_sort(columns[(index + step) % len(columns)], reverse=self.qbt.view.reverse)

    def action_columns(self) -> None:
        def chosen(choice: ColumnsChoice | None) -> None:
            if choice:
                self.table.set_columns(choice.columns, choice.pinned)
                self.sort_preparation.restart()  # the columns `>` steps through
                self.qbt.ui_state.pinned = choice.pinned
                if self._active_view is None:
                    self.qbt.ui_state.columns = choice.columns
                self.qbt.ui_state.save()
                self._label_view()
                self.status.redraw()

        everything = [
            (key, column.title)
            for key, column in COLUMNS.items()
            if key != SERVER_COLUMN or self.table.show_server_column
        ]
        self.app.push_screen(ColumnsDialog(everything, self.table.columns, self.table.pinned), chosen)

    @on(TorrentTable.CutNameChanged)
    def _cut_name_changed(self, message: TorrentTable.CutNameChanged) -> None:
        """The highlighted torrent's full name in the status line while its cell cuts it."""
        self.status.cursor_name = message.name
        self.status.redraw()
