"""The servers overview (W): every configured server's connection state and global speeds at once,
refreshed while open; Enter switches the main screen to the highlighted server, or to a fleet (all
servers, or a group, in one table). While a fleet is shown its servers' states come from its own
poll loops (no extra requests)."""

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
from qbtui.settings.config import ALL_SERVERS, ConfigError, load_config
from qbtui.settings.servers import ServerStatus
from qbtui.ui.screens.dialogs import Dialog
from qbtui.ui.workers import background
from qbtui.util.units import format_rate

if TYPE_CHECKING:
    from qbtui.ui.app import QbtuiApp

REFRESH_SECONDS = 2.0
_STATE_STYLE = {
    "live": "$success", "connecting": "$warning", "unreachable": "$error", "refused": "$error",
    "stale": "$warning", "down": "$error",
}  # fmt: skip
#: The overview's rows of fleets are keyed by this and the fleet's name (never a server's name:
#: config names have no colon).
FLEET_PREFIX = "fleet:"


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
            pool = self.qbt.pool
            what = "server or fleet" if pool is not None and pool.fleets() else "server"
            hint = f"Enter switches to the highlighted {what} · a adds one · Esc closes"
            if self.qbt.config_path is None:
                hint = f"Enter switches to the highlighted {what} · Esc closes (no config file: --demo)"
            yield Static(Text(hint), id="servers-hint")

    def on_mount(self) -> None:
        self._show()
        self.refresh_statuses()
        self.set_interval(REFRESH_SECONDS, self.refresh_statuses)
        self.query_one(DataTable).focus()

    def _member(self, name: str) -> ServerStatus:
        """A server of the fleet on screen, as its own poll loop last saw it."""
        fleet = self.qbt.fleet
        assert fleet is not None
        link = fleet.sync.links[name]
        server = fleet.pool.servers[name]
        state = fleet.member_store(name).server_state
        api = fleet.api(name)
        update = link.update
        detail = update.message if update is not None and link.state is not LinkState.LIVE else ""
        live = link.state is LinkState.LIVE
        return ServerStatus(
            name, server.url, True, link.word, detail, state.dl_info_speed if live else None,
            state.up_info_speed if live else None, api.info.describe() if api else "",
        )  # fmt: skip

    def _fleet_row(self, name: str, members: tuple[str, ...]) -> ServerStatus:
        fleet = self.qbt.fleet
        shown = fleet is not None and fleet.name == name
        if shown and fleet is not None:
            words = [fleet.sync.links[m].word for m in members]
            state = ", ".join(f"{words.count(w)} {w}" for w in dict.fromkeys(words))
            total = fleet.store.server_state
            down, up = total.dl_info_speed, total.up_info_speed
        else:
            state, down, up = "not shown", None, None
        label = "every server" if name == ALL_SERVERS else "group"
        return ServerStatus(
            name, f"{label}: {', '.join(members)}", shown, state, "", down, up, ""
        )

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
        fleet = self.qbt.fleet
        if fleet is not None:
            others = [name for name in pool.servers if name not in fleet.members]
        else:
            others = [name for name in pool.servers if name != pool.current]
        if others:
            results = await asyncio.gather(*(pool.status_of(name) for name in others))
            self.statuses = {status.name: status for status in results}
        self._show()

    def _show(self) -> None:
        table = self.query_one(DataTable)
        pool, fleet = self.qbt.pool, self.qbt.fleet
        shown: dict[str, ServerStatus] = {}
        if fleet is not None:
            shown = {name: self._member(name) for name in fleet.members}
        else:
            current = self._current()
            shown[current.name] = current
        names = list(pool.servers) if pool is not None and pool.servers else list(shown)
        names = [name for name in shown if name not in names] + names
        fleets = pool.fleets() if pool is not None else []
        for fleet_name, members in fleets:
            shown[FLEET_PREFIX + fleet_name] = self._fleet_row(fleet_name, members)
        names += [FLEET_PREFIX + fleet_name for fleet_name, _ in fleets]
        cursor = table.cursor_row
        table.clear()
        for name in names:
            status = shown.get(name) or self.statuses.get(name)
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
        self._shown = {name: shown.get(name) or self.statuses.get(name) for name in names}
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
        if name is not None and name.startswith(FLEET_PREFIX):
            self.qbt.show_fleet(name.removeprefix(FLEET_PREFIX))
        elif name is not None:
            self.qbt.switch_server(name)
