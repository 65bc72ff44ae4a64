"""The main screen with several servers in one table: each server's polls arrive on their own
(`FleetSynced`), its rows dim while it is not live, the status line sums the fleet and shows each
server's state, the sidebar lists the servers; the highlighted row's server is the one the details,
the log and the server dialogs are for."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual import on

from qbtui.model.columns import SERVER_COLUMN
from qbtui.model.events import EventKind, TorrentEvent
from qbtui.model.fleet import split_key
from qbtui.model.sync import LinkState
from qbtui.ui.messages import FleetSynced
from qbtui.ui.screens.main_parts import MainParts

if TYPE_CHECKING:
    from textual.timer import Timer

    from qbtui.ui.fleet_mode import FleetMode


def with_server_column(columns: list[str]) -> list[str]:
    """The table's columns with Server after Name (where the user has not placed it)."""
    if SERVER_COLUMN in columns:
        return list(columns)
    at = columns.index("name") + 1 if "name" in columns else 0
    return [*columns[:at], SERVER_COLUMN, *columns[at:]]


class FleetHost(MainParts):
    _fleet_timer: Timer | None = None
    _fleet_first_data = True

    # -- entering and leaving ---------------------------------------------------------------------

    def fleet_started(self, fleet: FleetMode) -> None:
        table, status = self.table, self.status
        self._fleet_first_data = True
        table.marked.clear()
        table.show_server_column = True
        table.set_columns(with_server_column(table.columns))
        table.set_stale_servers(frozenset())
        table.empty_message = "Connecting…"
        self.qbt.view.server = None
        self.sidebar.selected["server"] = None
        status.info = None
        status.problem = ""
        status.server_name = f"{fleet.name} ({len(fleet.members)} servers)"
        status.servers = fleet.indicator()
        status.link = LinkState.CONNECTING
        self._strip_history(fleet.history)
        self.app.sub_title = fleet.name
        if self._fleet_timer is not None:
            self._fleet_timer.stop()
        self._fleet_timer = self.set_interval(fleet.sync.pollers[fleet.names[0]].interval, self._fleet_sample)
        self._fleet_sidebar()
        table.rows_changed(reordered=True)
        self._refresh_counts()
        self.toast(f"Showing {len(fleet.members)} servers as one table: {', '.join(fleet.names)}", timeout=4)
        self._resume_transfers(fleet)

    def fleet_stopped(self) -> None:
        table = self.table
        if self._fleet_timer is not None:
            self._fleet_timer.stop()
            self._fleet_timer = None
        table.marked.clear()
        table.show_server_column = False
        table.set_columns(table.columns)
        table.set_stale_servers(frozenset())
        self.qbt.view.server = None
        self.sidebar.selected["server"] = None
        self.sidebar.servers = []
        self.status.servers = []
        self._strip_history(self.qbt.history)
        table.rows_changed(reordered=True)
        self._refresh_sidebar()

    def _strip_history(self, history: object) -> None:
        from qbtui.ui.widgets.speed_graph import SpeedStrip

        strip = self.query_one(SpeedStrip)
        strip.history = history  # type: ignore[assignment]
        strip.refresh()

    def _fleet_sample(self) -> None:
        fleet = self.qbt.fleet
        if fleet is None:
            return
        fleet.record_speeds()
        from qbtui.ui.widgets.speed_graph import SpeedStrip

        self.query_one(SpeedStrip).refresh()

    # -- the highlighted row's server -------------------------------------------------------------

    def _follow_focus(self, key: str | None) -> str | None:
        """The details' hash for the row `key`; in a fleet the highlighted row's server becomes the
        one the details, the log and the server dialogs are for. Only while this screen is on top:
        a dialog opened for one server keeps it, even if its row leaves the table meanwhile."""
        fleet = self.qbt.fleet
        if fleet is None or key is None:
            return key
        server = fleet.server_of(key)
        if server is not None and self.app.screen is self and server != fleet.focus:
            fleet.focus = server
            self._focus_changed()
        return split_key(key)[1]

    def _focus_changed(self) -> None:
        """Another server is the one the panels are for (MainScreen redraws what depends on it)."""

    def on_screen_resume(self) -> None:
        fleet = self.qbt.fleet
        if fleet is not None:
            self._follow_focus(self.table.cursor_hash)

    # -- polls ------------------------------------------------------------------------------------

    @on(FleetSynced)
    def _fleet_synced(self, message: FleetSynced) -> None:
        fleet = self.qbt.fleet
        fleet_update = message.update
        if fleet is None or fleet_update.origin is not fleet.sync or fleet_update.server not in fleet.members:
            return  # from a fleet left since
        name, update = fleet_update.server, fleet_update.update
        member = fleet.members[name]
        store = fleet.member_store(name)
        member.history.feed(update, store, coarse=update.coarse)
        self._say_link(name, update.state, str(update.error or update.message))
        table, status = self.table, self.status
        if fleet_update.link_changed or update.state is not LinkState.LIVE:
            table.set_stale_servers(fleet.stale())
        status.servers = fleet.indicator()
        status.link = fleet.link()
        api = fleet.api(name)
        if api is not None and not api.info.is_legacy and not table.show_v2_columns:
            table.show_v2_columns = True
            self.sidebar.show_v2_sections = True
        changes = fleet_update.changes
        if changes is not None:
            view = self.qbt.view
            reordered = view.apply(changes)
            table.rows_changed(changes.changed.keys(), reordered=reordered)
            if self._fleet_first_data and view.order:
                table.move_to_row(0)
                if not changes.preview:
                    self._fleet_first_data = False
            if update.changes is not None and not update.changes.preview:
                if update.changes.full_update:
                    # As for one server (see MainScreen): each member's full list leaves tens of
                    # thousands of long-lived objects the collector would walk again and again.
                    self.call_after_refresh(gc.freeze)
                    self.sort_preparation.restart()
                events = member.events.update(store, update.changes)
                if member.seen_live:
                    self._announce_fleet(name, events)
                member.seen_live = True
        table.empty_message = "No torrents match" if fleet.store.torrents else "No torrents"
        if changes is None or fleet_update.link_changed or not changes.empty:
            self._fleet_sidebar()
        status.state = fleet.store.server_state
        self._refresh_counts()

    def _say_link(self, name: str, state: LinkState, why: str) -> None:
        """A toast when a server of the fleet is refused (once) or drops (once per drop); its rows
        and the indicator say the rest. Never the connection screen: the others are fine."""
        fleet = self.qbt.fleet
        assert fleet is not None
        member = fleet.members[name]
        if state is LinkState.REFUSED and not member.refusal_told:
            member.refusal_told = True
            self.toast(
                f"{name}: {why}. Its rows stay as last seen; ctrl+r tries again.",
                title="Server refused",
                severity="error",
                timeout=12,
            )
        elif state is LinkState.DISCONNECTED and not member.drop_told:
            member.drop_told = True
            rows = "Its rows are stale until it answers" if member.seen_live else "Retrying"
            self.toast(f"{name}: {why}. {rows}.", title="Server not answering", severity="warning")
        elif state is LinkState.LIVE:
            if member.drop_told or member.refusal_told:
                self.toast(f"{name} answers again.", title="Server back", timeout=4)
            member.refusal_told = member.drop_told = False

    def _announce_fleet(self, server: str, events: list[TorrentEvent]) -> None:
        if not events:
            return
        if len(events) > 5:
            done = sum(e.kind is EventKind.COMPLETED for e in events)
            failed = len(events) - done
            self.toast(f"{server}: {done} completed, {failed} failed", title="Torrents", timeout=8)
            return
        for event in events:
            if event.kind is EventKind.COMPLETED:
                self.toast(f"{server}: {event.name}", title="Download complete", timeout=6)
            else:
                self.toast(f"{server}: {event.name}: {event.detail}", title="Torrent error", severity="error")
        self._ring()

    def _fleet_sidebar(self) -> None:
        fleet = self.qbt.fleet
        if fleet is None:
            return
        links = fleet.sync.links
        self.sidebar.servers = [(name, fleet.store.count(name), links[name].word) for name in fleet.names]
        self._refresh_sidebar()
