"""The main screen's watch on the connection: the connection screen while nothing could be shown
yet, a toast when an established connection drops and when it is back."""

from __future__ import annotations

from qbtui.api import errors
from qbtui.model.sync import LinkState, SyncUpdate
from qbtui.ui.screens.connection import ConnectionScreen
from qbtui.ui.screens.main_parts import MainParts


class ConnectionWatcher(MainParts):
    _connection_screen: ConnectionScreen | None = None
    _connection_screen_closed = False
    _link_lost = False

    def _watch_link(self, update: SyncUpdate) -> bool:
        """Say what a poll said of the link; True when it brought no data (the caller stops there)."""
        if update.state is not LinkState.LIVE:
            if update.state is not LinkState.CONNECTING and self.qbt.poller.polls == 0:
                self._connection_problem(update)
            elif update.state is LinkState.REFUSED:
                self.toast(update.message, title="Not connected", severity="error", timeout=15)
            elif update.state is LinkState.DISCONNECTED and not self._link_lost:
                self._link_lost = True
                self.toast(
                    f"{update.error or update.message}. Retrying; the table keeps the last data.",
                    title="Connection lost",
                    severity="warning",
                    timeout=8,
                )
                self._ring()
            return True
        if self._connection_screen is not None:
            if self._connection_screen.first_run:
                self._connection_screen.connected(
                    self.qbt.settings.base_url if self.qbt.settings else "the server"
                )
            else:
                self._connection_screen.dismiss(None)
        if self._link_lost:
            self._link_lost = False
            self.toast("The server answers again; the data is live.", title="Connected again", timeout=5)
        return False

    def _connection_problem(self, update: SyncUpdate) -> None:
        """No data yet and the server is unreachable or refused us: say so on a screen that offers
        retry and edit, once; later failures only update its message."""
        refused = update.state is LinkState.REFUSED
        banned = isinstance(update.error, errors.Banned)
        tls = isinstance(update.error, errors.TLSFailure)
        message = str(update.error) if update.error is not None else update.message
        if self._connection_screen is not None:
            self._connection_screen.show_problem(message, refused=refused, banned=banned, tls=tls)
            return
        if self._connection_screen_closed and not refused:
            return
        screen = ConnectionScreen(
            message,
            self.qbt.settings,
            refused=refused,
            banned=banned,
            tls=tls,
            config_path=self.qbt.config_path,
        )
        self._open_connection_screen(screen)

    def first_run(self) -> None:
        """No config file yet: ask where the server is (and offer to save it) before anything else."""
        screen = ConnectionScreen(
            "No configuration yet. Check the address and login below, then Connect; Save keeps them "
            f"in {self.qbt.config_path} (private, 0600).",
            self.qbt.settings,
            refused=False,
            config_path=self.qbt.config_path,
            first_run=True,
        )
        self._open_connection_screen(screen)

    def _open_connection_screen(self, screen: ConnectionScreen) -> None:
        self._connection_screen = screen

        def closed(_: None) -> None:
            self._connection_screen = None
            self._connection_screen_closed = True

        self.app.push_screen(screen, closed)

    def action_reconnect(self) -> None:
        """Log in afresh (after a refused login, or to stop waiting out a backoff)."""
        self._connection_screen_closed = False
        self.qbt.reconnect()
