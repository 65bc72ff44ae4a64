"""The composition root: store, view, poller, API service and the screens."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from qbtui.api import ConnectionSettings, QbtApi
from qbtui.api.target import ServerTarget, settings_after_preferences
from qbtui.model.columns import COLUMNS
from qbtui.model.expectations import Expectations
from qbtui.model.fleet_sync import FleetUpdate
from qbtui.model.history import SpeedHistory
from qbtui.model.store import Store
from qbtui.model.sync import ACTIVE_INTERVAL, Connector, FirstPage, Poller, SyncUpdate
from qbtui.model.undo import UndoStack
from qbtui.model.view import TorrentView
from qbtui.model.visibility import LOOK_EVERY, UNSEEN_INTERVAL, Visibility, find_multiplexers
from qbtui.model.wording import Wording, wording
from qbtui.settings.config import ServerConfig
from qbtui.settings.passwords import PasswordError
from qbtui.settings.saved_views import SavedView, SavedViews
from qbtui.settings.servers import ServerPool
from qbtui.settings.speed_history_file import FILE_NAME, SpeedHistoryFile
from qbtui.settings.ui_state import UiState
from qbtui.ui.bindings import binding_groups
from qbtui.ui.commands import ServerCommands, TorrentCommands
from qbtui.ui.fleet_mode import FleetMode
from qbtui.ui.idle_collector import IdleCollector
from qbtui.ui.input_driver import QuietLinuxDriver
from qbtui.ui.key_order import KeyDone, KeyOrder
from qbtui.ui.messages import FleetSynced, SyncApplied
from qbtui.ui.screens.dialogs import ConfirmDialog
from qbtui.ui.screens.guarded import GuardedScreen
from qbtui.ui.screens.help import HelpScreen
from qbtui.ui.screens.main import MainScreen
from qbtui.ui.services import Services
from qbtui.ui.themes import QBTUI_VARIABLES, use_shipped_themes
from qbtui.ui.workers import background


class QbtuiApp(App[None]):
    TITLE = "qbtui"
    # Toasts stack above the status line and the footer: the marked count and the keys stay readable.
    CSS = "ToastRack { margin-bottom: 2; }"
    COMMANDS = App.COMMANDS | {TorrentCommands, ServerCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        connector: Connector,
        *,
        start_sync: bool = True,
        interval: float | None = None,
        unseen_interval: float | None = UNSEEN_INTERVAL,
        active_interval: float | None = ACTIVE_INTERVAL,
        ui_state: UiState | None = None,
        theme: str | None = None,
        keymap: Mapping[str, str] | None = None,
        user_theme_dir: Path | None = None,
        bell: bool = False,
        servers: Mapping[str, ServerConfig] | None = None,
        server_name: str | None = None,
        config_path: Path | None = None,
        first_run: bool = False,
        views: Sequence[SavedView] = (),
        view_warnings: Sequence[str] = (),
        groups: Mapping[str, Sequence[str]] | None = None,
        fleet: str | None = None,
    ) -> None:
        super().__init__()
        #: Problems found while starting (bad theme files, unknown keymap ids): shown once, on mount.
        self.startup_problems: list[str] = []
        #: Ring the terminal bell with completion, error and connection toasts.
        self.ring_bell = bell
        #: The config file servers are saved to from the connection screen (None: no saving).
        self.config_path = config_path
        self._first_run = first_run
        self.startup_problems.extend(use_shipped_themes(self, theme, user_theme_dir))
        #: The config's [views.NAME]: number keys and `v` switch between them (MainScreen).
        self.saved_views = SavedViews(views)
        self.startup_problems.extend(view_warnings)
        if keymap:
            self._install_keymap(keymap)
        self._store = Store()
        self.view = TorrentView(self._store)
        self.ui_state = ui_state or UiState.load()
        self.view.sort_column = self.ui_state.sort_column
        self.view.reverse = self.ui_state.sort_reverse
        self.connector = connector
        #: Global and per-torrent speeds while the app runs (the global part kept across restarts).
        self._history = SpeedHistory()
        self._histories: SpeedHistoryFile | None = None
        self._load_history()
        self._interval = interval
        self.poller = Poller(
            connector, self._store, self._on_sync, interval=interval, first_page=self._first_page
        )
        self.poller.unseen_interval = unseen_interval or None
        self.poller.active_interval = active_interval or None
        #: Whether anyone can see the app: a detached tmux/screen, focus out (issue 18).
        self.visibility = Visibility(find_multiplexers(os.environ))
        #: The configured servers, when the app owns its connections (not for a custom connector).
        self.pool = (
            ServerPool(servers or {}, server_name, connector, groups)
            if isinstance(connector, ServerTarget)
            else None
        )
        #: Several servers in one table (None: one server, the usual case).
        self.fleet: FleetMode | None = None
        #: Set once the main screen is up (a fleet given on the command line waits for it).
        self.main_ready = asyncio.Event()
        self._start_fleet = fleet
        self._start_sync = start_sync
        #: Reversible actions, newest last: `u` on the torrent list undoes the newest, `H` lists them.
        self.undo: UndoStack | None = UndoStack(
            expected=Expectations(generation=lambda: self._store.rid), expected_of=self._expected_of
        )
        self.main_screen = MainScreen()
        self._asking_to_quit = False
        #: Keys one at a time, each to where the focus is once the key before it is done.
        self.key_order = KeyOrder(self, super().on_event)
        self.idle_collector = IdleCollector(self, self.visibility.since_input)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent | events.Paste) and not event.is_forwarded:
            self.visibility.saw_input()
            self._look()
            self.main_screen.saw_input()
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            await self.key_order.receive(event)
        else:
            await super().on_event(event)

    @on(KeyDone)
    def _key_done(self, message: KeyDone) -> None:
        self.key_order.reached_app(message)

    def get_driver_class(self) -> type[Driver]:
        # The terminal's input thread sleeps until a key arrives (qbtui.ui.input_driver: issue 18).
        driver = super().get_driver_class()
        return QuietLinuxDriver if driver is LinuxDriver else driver

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # Textual's own themes (also offered in the palette) lack qbtui's variables.
        return dict(QBTUI_VARIABLES)

    def _install_keymap(self, keymap: Mapping[str, str]) -> None:
        known = {b.id for _, group in binding_groups(type(self)) for b in group if b.id}
        for binding_id in sorted(set(keymap) - known):
            self.startup_problems.append(f"keymap: no binding has the id {binding_id!r} (see ? for the ids)")
        self.set_keymap({k: v for k, v in keymap.items() if k in known})

    @property
    def api(self) -> QbtApi | None:
        """The API service of the server on screen; in a fleet, of the highlighted row's server."""
        if self.fleet is not None:
            return self.fleet.api()
        return self.poller.api

    @property
    def store(self) -> Store:
        """The server on screen's store; in a fleet, the highlighted row's server's own store (the
        table's joined store is `view.store`)."""
        if self.fleet is not None:
            return self.fleet.member_store()
        return self._store

    @property
    def history(self) -> SpeedHistory:
        """The server on screen's speed history; in a fleet, the highlighted row's server's."""
        if self.fleet is not None:
            return self.fleet.members[self.fleet.focus].history
        return self._history

    def _expected_of(self, server: str) -> Expectations:
        fleet = self.fleet
        if fleet is None or server not in fleet.members:
            return Expectations(generation=lambda: self._store.rid)
        return fleet.expectations(server)

    @property
    def words(self) -> Wording:
        """Pause/resume, or stop/start on qBittorrent 5 servers."""
        api = self.api
        return wording(api.info if api is not None else None)

    def on_mount(self) -> None:
        self.idle_collector.start()
        self.push_screen(self.main_screen)
        if self.ui_state.problem:
            self.startup_problems.append(self.ui_state.problem)
        for problem in self.startup_problems:
            self.notify(problem, title="Configuration", severity="warning", timeout=15, markup=False)
        if self._first_run:
            self.main_screen.first_run()
        if self._start_fleet is not None and self.pool is not None:
            self.show_fleet(self._start_fleet)
        elif self._start_sync:
            self.run_sync()
        if self.poller.unseen_interval:
            if self.visibility.multiplexers:
                self.set_interval(LOOK_EVERY, self._look_at_multiplexers, name="visibility")
            self.watch(self, "app_focus", self._focus_changed, init=False)

    def _look_at_multiplexers(self) -> None:
        self.visibility.look()
        self._look()

    def _focus_changed(self, focused: bool) -> None:
        self.visibility.focused = focused
        self._look()

    def _look(self) -> None:
        """Poll rarely while nobody can see the app, at the normal rate the moment someone can."""
        unseen = not self.visibility.seen
        self.poller.set_unseen(unseen)
        if self.fleet is not None:
            self.fleet.sync.set_unseen(unseen)

    @background(exclusive=True, group="sync")
    async def run_sync(self) -> None:
        await self.poller.run()

    def _first_page(self) -> FirstPage:
        """The torrents the table shows first, in its order, while the full list loads: the server
        sorts by the column's raw field when the column has exactly one (name, size, ratio, ...)."""
        column = COLUMNS.get(self.view.sort_column)
        fields = column.fields if column is not None else frozenset()
        sort = next(iter(fields)) if len(fields) == 1 else None
        return FirstPage(sort, self.view.reverse, limit=max(2 * self.size.height, 50))

    def _on_sync(self, update: SyncUpdate) -> None:
        self.main_screen.post_message(SyncApplied(update))

    def poke(self) -> None:
        if self.fleet is not None:
            self.fleet.sync.poke([self.fleet.focus])
        else:
            self.poller.poke()

    def stop_polling(self) -> bool:
        if self.fleet is not None:
            # Logged out of one of the servers: only its loop stops (ctrl+r logs in again).
            self.fleet.sync.stop(self.fleet.focus)
            return True
        self.workers.cancel_group(self, "sync")
        self.poller.reset()
        return True

    @property
    def fleet_server(self) -> str | None:
        return self.fleet.focus if self.fleet is not None else None

    @property
    def server_name(self) -> str:
        """The name of the server on screen, where servers are told apart by name ("" otherwise:
        one server given with --url, or a custom connector)."""
        pool = self.pool
        return pool.current if pool is not None and pool.named() else ""

    @property
    def read_only(self) -> bool:
        """--read-only: keys and palette entries that would change the server are not offered."""
        return isinstance(self.connector, ServerTarget) and self.connector.read_only

    @property
    def settings(self) -> ConnectionSettings | None:
        """The current server's settings, where the app owns them (not for a custom connector)."""
        if self.fleet is not None:
            return self.fleet.settings()
        return self.connector.settings if isinstance(self.connector, ServerTarget) else None

    def reconnect(
        self,
        *,
        before: Mapping[str, Any] | None = None,
        changed: Mapping[str, Any] | None = None,
        settings: ConnectionSettings | None = None,
    ) -> None:
        """Log in afresh; restarts the poll loop too, in case a logout stopped it.

        `before`/`changed` are WebUI preferences the user just saved: the next login follows them
        (new port, address, username, password) instead of locking itself out with the old ones.
        `settings` replaces the connection settings outright (the connection screen's edit form).
        In a fleet this is about the highlighted row's server (ctrl+r: every server not live).
        """
        if self.fleet is not None:
            self._reconnect_member(before=before, changed=changed, settings=settings)
            return
        if settings is not None and isinstance(self.connector, ServerTarget):
            self.connector.settings = settings
        if changed and isinstance(self.connector, ServerTarget):
            result = self.connector.follow_preferences(before or {}, changed)
            if result.changes:
                self.notify(
                    f"Reconnecting to {result.settings.base_url} with " + ", ".join(result.changes),
                    title="Connection",
                    markup=False,
                )
        if self.pool is not None and isinstance(self.connector, ServerTarget):
            # A switch away and back must reach the server as it is reached now.
            self.pool.remember(self.pool.current, self.connector.settings)
        self.poller.reset()
        self.run_sync()

    @background(exclusive=True, group="switch")
    async def switch_server(self, name: str) -> None:
        """Show another configured server, keeping this one's session for a switch back."""
        pool = self.pool
        if pool is None or name not in pool.servers or (name == pool.current and self.fleet is None):
            return
        try:
            settings = await pool.settings_for(name)
        except PasswordError as exc:
            self.notify(f"{name}: {exc}", title="Cannot switch", severity="error", markup=False)
            return
        # Stop the poll loop first, so no answer from the old server lands after the switch.
        self.workers.cancel_group(self, "sync")
        if self.fleet is not None:
            self._leave_fleet()
        else:
            self.keep_history()  # under the old server's address, before the settings change
            pool.park(pool.current, self.poller.detach())
        pool.current = name
        assert isinstance(self.connector, ServerTarget)
        self.connector.settings = settings
        parked = pool.take(name)
        if parked is not None:
            self.poller.attach(parked)
        # Nothing of the old server's may be shown, or acted on, until the new one has answered.
        self._empty_table()
        self._history.clear()
        self._load_history()
        self.main_screen.server_switched(name)
        self.run_sync()

    def _empty_table(self) -> None:
        """Take the single server's torrents out of its store and the table (its next poll is a
        full update), so that no key can act on the old data under the new server's session."""
        self.view.apply(self._store.apply({"rid": 0, "full_update": True}))
        self.main_screen.table.marked.clear()
        self.main_screen.relist()

    # -- several servers in one table ------------------------------------------------------------

    @background(exclusive=True, group="switch")
    async def show_fleet(self, name: str) -> None:
        """Show the torrents of every server of a fleet ("all" or a group) in one table; each keeps
        its own session (taken over from the pool where one is parked) and its own poll loop."""
        pool = self.pool
        members = pool.fleet(name) if pool is not None else None
        if pool is None or not members:
            self.notify(f"No servers named {name!r}", title="Servers", severity="error", markup=False)
            return
        if self.fleet is not None and self.fleet.name == name:
            return
        await self.main_ready.wait()
        self.workers.cancel_group(self, "sync")
        if self.fleet is not None:
            self._leave_fleet()
        else:
            self.keep_history()
            pool.park(pool.current, self.poller.detach())
            self._empty_table()
        fleet = FleetMode(
            name,
            members,
            pool,
            self._on_fleet_sync,
            interval=self._interval,
            unseen_interval=self.poller.unseen_interval,
            active_interval=self.poller.active_interval,
            first_page=self._first_page,
        )
        fleet.sync.set_unseen(self.poller.unseen)
        for member in fleet.members.values():
            settings = pool.known_settings(member.name)
            if settings is not None:
                self._history_file().load(settings.base_url, member.history)
        self._history_file().load(_fleet_history_key(name), fleet.history)
        self.fleet = fleet
        self.view.store = fleet.store
        self.view.rebuild()
        self.main_screen.fleet_started(fleet)
        self.run_fleet()

    @background(exclusive=True, group="sync")
    async def run_fleet(self) -> None:
        fleet = self.fleet
        if fleet is not None:
            await fleet.sync.run()

    def _on_fleet_sync(self, update: FleetUpdate) -> None:
        self.main_screen.post_message(FleetSynced(update))

    def _leave_fleet(self) -> None:
        """Back to one server: every member's session parked in the pool for later, its graph kept."""
        fleet, pool = self.fleet, self.pool
        if fleet is None or pool is None:
            return
        self._keep_fleet_histories(fleet)
        for name, api in fleet.sync.detach().items():
            pool.park(name, api)
        self.fleet = None
        self.view.store = self._store
        self.view.rebuild()
        self.main_screen.fleet_stopped()

    def _keep_fleet_histories(self, fleet: FleetMode) -> None:
        for member in fleet.members.values():
            settings = fleet.pool.known_settings(member.name)
            if settings is not None:
                self._history_file().keep(settings.base_url, member.history)
        self._history_file().keep(_fleet_history_key(fleet.name), fleet.history)

    def _reconnect_member(
        self,
        *,
        before: Mapping[str, Any] | None,
        changed: Mapping[str, Any] | None,
        settings: ConnectionSettings | None,
    ) -> None:
        fleet, pool = self.fleet, self.pool
        assert fleet is not None and pool is not None
        name = fleet.focus
        if settings is None and not changed:
            reached = fleet.sync.retry()
            if reached:
                self.notify("Reconnecting: " + ", ".join(reached), title="Servers", timeout=4, markup=False)
            return
        current = settings or pool.known_settings(name)
        if current is not None and changed:
            result = settings_after_preferences(current, before or {}, changed)
            current = result.settings
            if result.changes:
                self.notify(
                    f"{name}: reconnecting to {current.base_url} with " + ", ".join(result.changes),
                    title="Connection",
                    markup=False,
                )
        if current is not None:
            pool.remember(name, current)
        fleet.sync.restart(name)

    # -- speed history across restarts and switches -------------------------------------------

    HISTORY_FILE = FILE_NAME

    def _history_file(self) -> SpeedHistoryFile:
        if self._histories is None:
            # Only where the UI state is saved too (tests and unreadable state dirs keep it in memory).
            path = self.ui_state.path
            self._histories = SpeedHistoryFile(path.parent / FILE_NAME if path is not None else None)
        return self._histories

    def _history_key(self) -> str:
        settings = self.connector.settings if isinstance(self.connector, ServerTarget) else None
        return settings.base_url if settings is not None else ""

    def _load_history(self) -> None:
        self._history_file().load(self._history_key(), self._history)

    def keep_history(self) -> None:
        """Remember the graph of the server on screen (before a switch takes it away)."""
        if self.fleet is not None:
            self._keep_fleet_histories(self.fleet)
        else:
            self._history_file().keep(self._history_key(), self._history)

    def save_history(self) -> None:
        self.keep_history()
        self._history_file().save()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(binding_groups(type(self))))

    async def action_quit(self) -> None:
        """Quit, asking first when a form holds edits that quitting would lose."""
        lost = [
            text
            for screen in self.screen_stack
            if isinstance(screen, GuardedScreen) and (text := screen.unsaved_edits())
        ]
        if not lost:
            self.exit()
            return
        if self._asking_to_quit:
            return

        def answered(quit: bool | None) -> None:
            self._asking_to_quit = False
            if quit:
                self.exit()

        self._asking_to_quit = True
        body = "\n".join(lost)
        self.push_screen(ConfirmDialog("Quit and lose your edits?", body, "Quit", danger=True), answered)

    def _fatal_error(self) -> None:
        """Textual's crash report, minus local variables: they hold passwords and session cookies
        (a login frame's form, the HTTP session), and crash reports get pasted into bug trackers."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))
        self._close_messages_no_wait()

    async def on_unmount(self) -> None:
        self.idle_collector.stop()
        self.key_order.close()
        self.save_history()
        if self.fleet is not None:
            await self.fleet.sync.close()
        await self.poller.close()
        if self.pool is not None:
            await self.pool.close()


def _fleet_history_key(name: str) -> str:
    """Where the fleet's own graph (the servers' speeds summed) is kept in speed-history.json."""
    return f"fleet:{name}"


def _provides_services(app: QbtuiApp) -> Services:
    """Never called: mypy checks here that the app provides what screens reach through `services()`."""
    return app
