"""The servers overview (W): every configured server's connection state and global speeds at once,
refreshed while open; Enter switches the main screen to the highlighted server."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from qbtui.model.sync import LinkState
from qbtui.settings.config import ConfigError, load_config
from qbtui.settings.servers import ServerStatus
from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.workers import background
from qbtui.util.units import format_rate

if TYPE_CHECKING:
    from qbtui.ui.app import QbtuiApp

REFRESH_SECONDS = 2.0
_STATE_STYLE = {"live": "$success", "connecting": "$warning", "unreachable": "$error", "refused": "$error"}


class ServersScreen(Dialog[None]):
    DEFAULT_CSS = """
    ServersScreen .dialog { width: 110; max-width: 98%; }
    ServersScreen #server-detail { height: auto; margin-top: 1; }
    ServersScreen DataTable { height: auto; max-height: 20; }
    ServersScreen #servers-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape,W", "cancel", "Close", id="servers.close"),
        Binding("enter", "switch", "Switch", id="servers.switch"),
        Binding("a", "add", "Add a server", id="servers.add"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.statuses: dict[str, ServerStatus] = {}
        self._shown: dict[str, ServerStatus | None] = {}

    @property
    def qbt(self) -> QbtuiApp:
        return cast("QbtuiApp", self.app)  # opened only from the main screen of a QbtuiApp

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Servers"), classes="title")
            table: DataTable[Text] = DataTable(id="servers-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("", "Server", "URL", "State", "↓", "↑", "Version")
            yield table
            yield Static("", id="server-detail", classes="error")
            hint = "Enter switches to the highlighted server · a adds one · Esc closes"
            if self.qbt.config_path is None:
                hint = "Enter switches to the highlighted server · Esc closes (no config file: --demo)"
            yield Static(Text(hint), id="servers-hint")

    def on_mount(self) -> None:
        self._show()
        self.refresh_statuses()
        self.set_interval(REFRESH_SECONDS, self.refresh_statuses)
        self.query_one(DataTable).focus()

    def _current(self) -> ServerStatus:
        app = self.qbt
        pool = app.pool
        name = (pool.current if pool else None) or "current"
        url = app.settings.url if app.settings else ""
        link = app.main_screen.status.link
        state = {LinkState.LIVE: "live", LinkState.CONNECTING: "connecting"}.get(link, "unreachable")
        if link is LinkState.REFUSED:
            state = "refused"
        server_state = app.store.server_state
        info = app.api.info.describe() if app.api is not None else ""
        return ServerStatus(
            name, url, True, state, app.main_screen.status.problem, server_state.dl_info_speed,
            server_state.up_info_speed, info,
        )  # fmt: skip

    @background(exclusive=True, group="servers-refresh")
    async def refresh_statuses(self) -> None:
        pool = self.qbt.pool
        if pool is None:
            return
        others = [name for name in pool.servers if name != pool.current]
        if others:
            results = await asyncio.gather(*(pool.status_of(name) for name in others))
            self.statuses = {status.name: status for status in results}
        self._show()

    def _show(self) -> None:
        table = self.query_one(DataTable)
        current = self._current()
        pool = self.qbt.pool
        names = list(pool.servers) if pool is not None and pool.servers else [current.name]
        if current.name not in names:
            names.insert(0, current.name)
        cursor = table.cursor_row
        table.clear()
        for name in names:
            status = current if name == current.name else self.statuses.get(name)
            if status is None:
                server = pool.servers[name] if pool is not None else None
                status = ServerStatus(name, server.url if server else "", False, "not checked")
            state = Text(status.state, style=self._style(status.state))
            table.add_row(
                Text("●" if status.current else ""),
                Text(status.name),
                Text(status.url),
                state,
                Text(format_rate(status.dl_speed) if status.dl_speed is not None else "–"),
                Text(format_rate(status.up_speed) if status.up_speed is not None else "–"),
                Text(status.version),
                key=name,
            )
        self._shown = {name: (current if name == current.name else self.statuses.get(name)) for name in names}
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        """Why the highlighted server is not live, in full (the table has no room for it)."""
        table = self.query_one(DataTable)
        detail = ""
        if table.row_count:
            name = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            status = self._shown.get(name or "")
            if status is not None and status.state != "live":
                detail = status.detail
        self.query_one("#server-detail", Static).update(Text(detail))

    def _style(self, state: str) -> str:
        variable = _STATE_STYLE.get(state)
        if variable is None:
            return "dim"
        return self.app.theme_variables.get(variable.lstrip("$"), "")

    def action_add(self) -> None:
        """Test and save another server (the connection screen), then list it here."""
        from qbtui.ui.screens.connection import ConnectionScreen

        path = self.qbt.config_path
        if path is None:
            self.notify("No config file to save servers in (--demo)", severity="warning", markup=False)
            return
        template = (
            replace(self.qbt.settings, url="http://", username="admin", password=None)
            if self.qbt.settings
            else None
        )
        screen = ConnectionScreen(
            "A new server: its address and login, then Save (Test checks them first).",
            template,
            refused=False,
            config_path=path,
            adding=True,
        )

        def closed(_: None) -> None:
            self._reload_servers()

        self.app.push_screen(screen, closed)

    def _reload_servers(self) -> None:
        pool, path = self.qbt.pool, self.qbt.config_path
        if pool is None or path is None:
            return
        try:
            config = load_config(path)
        except ConfigError as exc:
            self.notify(str(exc), title="Config", severity="error", markup=False)
            return
        for name, server in config.servers.items():
            pool.servers.setdefault(name, server)
        self._show()
        self.refresh_statuses()

    @on(DataTable.RowSelected)
    def action_switch(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        name = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.dismiss(None)
        if name is not None:
            self.qbt.switch_server(name)
