"""The composition root: store, view, poller, API service and the screens."""

from __future__ import annotations

import contextlib
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
from qbtui.api.target import ServerTarget
from qbtui.model.columns import COLUMNS
from qbtui.model.expectations import Expectations
from qbtui.model.history import SpeedHistory
from qbtui.model.store import Store
from qbtui.model.sync import Connector, FirstPage, Poller, SyncUpdate
from qbtui.model.undo import UndoStack
from qbtui.model.view import TorrentView
from qbtui.model.visibility import LOOK_EVERY, UNSEEN_INTERVAL, Visibility, find_multiplexers
from qbtui.model.wording import Wording, wording
from qbtui.settings.config import ServerConfig
from qbtui.settings.passwords import PasswordError
from qbtui.settings.saved_views import SavedView, SavedViews
from qbtui.settings.servers import ServerPool
from qbtui.settings.ui_state import UiState
from qbtui.ui.bindings import binding_groups
from qbtui.ui.commands import ServerCommands, TorrentCommands
from qbtui.ui.input_driver import QuietLinuxDriver
from qbtui.ui.key_order import KeyDone, KeyOrder
from qbtui.ui.messages import SyncApplied
from qbtui.ui.screens.dialogs import ConfirmDialog
from qbtui.ui.screens.guarded import GuardedScreen
from qbtui.ui.screens.help import HelpScreen
from qbtui.ui.screens.main import MainScreen
from qbtui.ui.services import Services
from qbtui.ui.themes import QBTUI_VARIABLES, use_shipped_themes
from qbtui.ui.workers import background
from qbtui.util.atomicfile import write_atomic


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
        self.store = Store()
        self.view = TorrentView(self.store)
        self.ui_state = ui_state or UiState.load()
        self.view.sort_column = self.ui_state.sort_column
        self.view.reverse = self.ui_state.sort_reverse
        self.connector = connector
        #: Global and per-torrent speeds while the app runs (the global part kept across restarts).
        self.history = SpeedHistory()
        self._load_history()
        self.poller = Poller(
            connector, self.store, self._on_sync, interval=interval, first_page=self._first_page
        )
        self.poller.unseen_interval = unseen_interval or None
        #: Whether anyone can see the app: a detached tmux/screen, focus out (issue 18).
        self.visibility = Visibility(find_multiplexers(os.environ))
        #: The configured servers, when the app owns its connections (not for a custom connector).
        self.pool = (
            ServerPool(servers or {}, server_name, connector) if isinstance(connector, ServerTarget) else None
        )
        self._start_sync = start_sync
        #: Reversible actions, newest last: `u` on the torrent list undoes the newest, `H` lists them.
        self.undo: UndoStack | None = UndoStack(expected=Expectations(generation=lambda: self.store.rid))
        self.main_screen = MainScreen()
        self._asking_to_quit = False
        #: Keys one at a time, each to where the focus is once the key before it is done.
        self.key_order = KeyOrder(self, super().on_event)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent | events.Paste) and not event.is_forwarded:
            self.visibility.saw_input()
            self._look()
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
        return self.poller.api

    @property
    def words(self) -> Wording:
        """Pause/resume, or stop/start on qBittorrent 5 servers."""
        api = self.api
        return wording(api.info if api is not None else None)

    def on_mount(self) -> None:
        self.push_screen(self.main_screen)
        if self.ui_state.problem:
            self.startup_problems.append(self.ui_state.problem)
        for problem in self.startup_problems:
            self.notify(problem, title="Configuration", severity="warning", timeout=15, markup=False)
        if self._first_run:
            self.main_screen.first_run()
        if self._start_sync:
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
        self.poller.set_unseen(not self.visibility.seen)

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
        self.poller.poke()

    def stop_polling(self) -> bool:
        self.workers.cancel_group(self, "sync")
        self.poller.reset()
        return True

    @property
    def read_only(self) -> bool:
        """--read-only: keys and palette entries that would change the server are not offered."""
        return isinstance(self.connector, ServerTarget) and self.connector.read_only

    @property
    def settings(self) -> ConnectionSettings | None:
        """The current server's settings, where the app owns them (not for a custom connector)."""
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
        """
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
        self.poller.reset()
        self.run_sync()

    @background(exclusive=True, group="switch")
    async def switch_server(self, name: str) -> None:
        """Show another configured server, keeping this one's session for a switch back."""
        pool = self.pool
        if pool is None or name not in pool.servers or name == pool.current:
            return
        try:
            settings = await pool.settings_for(name)
        except PasswordError as exc:
            self.notify(f"{name}: {exc}", title="Cannot switch", severity="error", markup=False)
            return
        # Stop the poll loop first, so no answer from the old server lands after the switch.
        self.workers.cancel_group(self, "sync")
        self.save_history()  # under the old server's address, before the settings change
        pool.park(pool.current, self.poller.detach())
        pool.current = name
        assert isinstance(self.connector, ServerTarget)
        self.connector.settings = settings
        parked = pool.take(name)
        if parked is not None:
            self.poller.attach(parked)
        self.store.rid = 0  # the new server sends everything: a full update replaces the old data
        self.history.clear()
        self._load_history()
        self.main_screen.server_switched(name)
        self.run_sync()

    # -- speed history across restarts ------------------------------------------------------------

    HISTORY_FILE = "speed-history.json"

    def _history_file(self) -> Path | None:
        # Only where the UI state is saved too (tests and unreadable state dirs keep it in memory).
        path = self.ui_state.path
        return path.parent / self.HISTORY_FILE if path is not None else None

    def _history_key(self) -> str:
        settings = self.settings
        return settings.base_url if settings is not None else ""

    def _load_history(self) -> None:
        path = self._history_file()
        if path is None:
            return
        try:
            text = path.read_bytes()
        except OSError:
            return
        self.history.load_json(text, self._history_key())

    def save_history(self) -> None:
        path = self._history_file()
        if path is None or not len(self.history):
            return
        with contextlib.suppress(OSError):  # a graph is not worth an error on the way out
            write_atomic(path, self.history.to_json(self._history_key()))

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
        self.key_order.close()
        self.save_history()
        await self.poller.close()
        if self.pool is not None:
            await self.pool.close()


def _provides_services(app: QbtuiApp) -> Services:
    """Never called: mypy checks here that the app provides what screens reach through `services()`."""
    return app
