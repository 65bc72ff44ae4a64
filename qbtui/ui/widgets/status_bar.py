"""The status line: link state, saved view, server, DHT, global speeds with limits, totals, free space,
alt speed."""

from __future__ import annotations

import time

from rich.text import Text
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from qbtui.api.models import ServerInfo, ServerState
from qbtui.model.statistics import connection as connection_word
from qbtui.model.sync import RETRY_KEY, LinkState, SyncUpdate
from qbtui.ui.text import safe
from qbtui.util import format as fmt

#: The cut name's place: above the server's version and the limits, below speeds and counts.
_NAME_PRIORITY = 6
#: The port's connection status by level: (priority, mark, style). A port that cannot be reached
#: stays on a narrow line longer than a healthy one.
_CONNECTION = {
    "ok": (0.5, "⇅", "green"),
    "warning": (6.5, "⚠", "bold yellow"),
    "error": (8, "✖", "bold red"),
}


def connection_level(status: str) -> str:
    return connection_word(status)[1]


#: Narrower than this, the cut name leaves the status line (the General tab still has it whole).
_NAME_MIN = 12
#: The data's age shows once it is this much older than the poll interval (a poll's own time, and
#: the moment the next answer is on its way, stay unmarked).
AGE_SLACK = 1.0
#: While shown, the age is brought up to date this often: each time is a repaint, and a slow server
#: (10,000 torrents: a poll every ~5 s) would otherwise cost three repaints between its polls
#: (bench peers, idle poll at 10k: 12.5 ms with a tick a second).
AGE_EVERY = 5.0


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
        &.-disconnected { background: $error 40%; }
        &.-refused { background: $error 60%; }
        &.-connecting { background: $warning 30%; }
    }
    """

    link: reactive[LinkState] = reactive(LinkState.CONNECTING)
    """Whether the data on screen is live."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.info: ServerInfo | None = None
        self.state = ServerState()
        self.problem = ""
        self.torrent_count = 0
        self.visible_count = 0
        self.marked_count = 0
        #: The saved view on screen ("" for the default view), its key, and whether the table has
        #: been changed since it was chosen.
        self.view_name = ""
        self.view_key: int | None = None
        self.view_modified = False
        #: The highlighted torrent's full name while the table cuts it ("" otherwise).
        self.cursor_name = ""
        #: Which server this is, where there are several to tell apart ("" otherwise).
        self.server_name = ""
        #: Several servers in one table: (name, live | connecting | stale | refused) of each.
        self.servers: list[tuple[str, str]] = []
        #: A move or copy between servers under way: its progress ("⇄ box 3/10 checking 40%").
        self.transfer = ""
        self._shown: Text | None = None
        #: The last failed sync, whose "retrying in N s" counts down once a second.
        self._failure: SyncUpdate | None = None
        self._countdown: Timer | None = None
        #: A first page is on screen and the full list is on its way (of `loading_total` torrents,
        #: when the server said how many).
        self.loading = False
        self.loading_total: int | None = None
        #: When the data on screen arrived (monotonic), and the age from which the line says it.
        self._data_at: float | None = None
        #: When the active torrents were last refreshed between two full polls (monotonic).
        self._active_at: float | None = None
        self._age_after = 0.0
        self._age_timer: Timer | None = None

    def show_sync(self, update: SyncUpdate, interval: float | None = None) -> None:
        """Show a sync's link state; a disconnect counts down to its next attempt. With `interval`
        (the poll interval), a live update's data shows its age once it is older than that."""
        self._failure = update if update.state is not LinkState.LIVE else None
        changes = update.changes
        if update.state is LinkState.LIVE and changes is not None:
            self.loading = changes.preview
            self.loading_total = update.total if changes.preview else None
            if update.refresh:
                self._active_at = time.monotonic()
            elif interval is not None and not changes.preview:
                self._data_arrived(interval)
        elif update.state is not LinkState.LIVE:
            self._stop_age()
        self.problem = self._problem_text()
        self.link = update.state
        counting = update.state is LinkState.DISCONNECTED and update.retry_at is not None
        if counting and self._countdown is None:
            self._countdown = self.set_interval(1.0, self._tick)
        elif not counting and self._countdown is not None:
            self._countdown.stop()
            self._countdown = None
        self.redraw()

    def _data_arrived(self, interval: float) -> None:
        """Fresh data: no age shown; a timer for the moment it would be worth showing."""
        self._data_at = time.monotonic()
        self._age_after = interval + AGE_SLACK
        self._stop_age()
        self._age_timer = self.set_timer(self._age_after, self._aged)

    def _stop_age(self) -> None:
        if self._age_timer is not None:
            self._age_timer.stop()
            self._age_timer = None

    def _aged(self) -> None:
        """The data is older than the interval: say how old, every AGE_EVERY s until the next poll."""
        self._age_timer = self.set_interval(AGE_EVERY, self.redraw)
        self.redraw()

    def data_age(self) -> float | None:
        """Seconds since the data on screen arrived, when that is worth saying (else None)."""
        if self._data_at is None or self._age_timer is None or self.link is not LinkState.LIVE:
            return None
        age = time.monotonic() - self._data_at
        return age if age >= self._age_after else None

    def _tick(self) -> None:
        self.problem = self._problem_text()
        self.redraw()

    def retry_key(self) -> str:
        """The key bound to app.reconnect, as README and the keymap spell it (the user may remap it)."""
        keymap = getattr(self.app, "_keymap", None) or {}
        return str(keymap.get("app.reconnect", RETRY_KEY)).split(",")[0]

    def _problem_text(self) -> str:
        update = self._failure
        if update is None:
            return ""
        remaining = None if update.retry_at is None else update.retry_at - time.monotonic()
        return update.describe(remaining, self.retry_key())

    def watch_link(self, link: LinkState) -> None:
        for state in LinkState:
            self.set_class(state is link, f"-{state.value}")
        self.redraw()

    def redraw(self) -> None:
        text = self.compose_text()
        # A poll that changed nothing shown (stopped torrents, an idle server) renders nothing.
        if text == self._shown:
            return
        self._shown = text
        # One line of fixed height: skip the full-screen layout a plain update() would cost.
        self.update(text, layout=False)

    def on_resize(self) -> None:
        self.redraw()

    def compose_text(self) -> Text:
        """The line, dropping the least important parts first when the terminal is too narrow."""
        parts = self._parts()
        width = self.size.width
        while width and len(parts) > 1 and sum(part.cell_len for _, part in parts) > width:
            lowest = min(range(len(parts)), key=lambda i: parts[i][0])
            if parts[lowest][0] == _NAME_PRIORITY:
                # The name gives up its end (with an ellipsis) before it leaves the line.
                name = parts[lowest][1]
                room = width - sum(part.cell_len for _, part in parts) + name.cell_len
                if room >= _NAME_MIN:
                    name.truncate(room - 1, overflow="ellipsis")
                    name.append(" ")
                    continue
            del parts[lowest]
        text = Text(no_wrap=True, overflow="ellipsis")
        for _, part in parts:
            text.append_text(part)
        return text

    def _parts(self) -> list[tuple[float, Text]]:
        """(priority, text) in display order; a higher priority stays longer."""
        parts: list[tuple[float, Text]] = []
        if self.link is LinkState.LIVE:
            parts.append((10, Text("● ", style="bold green")))
        elif self.link is LinkState.CONNECTING:
            parts.append((10, Text("◌ connecting… ", style="bold")))
        else:
            parts.append((10, Text("✖ " + safe(self.problem) + "  ", style="bold")))
        if self.server_name:
            # Two servers on the same version look alike otherwise; it goes after the speeds.
            parts.append((8, Text(safe(self.server_name) + "  ", style="bold")))
        if self.servers:
            parts.append((8, fleet_indicator(self.servers)))
        if self.transfer:
            parts.append((8, Text(safe(self.transfer) + "  ", style="bold")))
        if self.cursor_name:
            parts.append((_NAME_PRIORITY, Text(safe(self.cursor_name) + "  ", style="bold")))
        if self.view_name:
            key = f"{self.view_key} " if self.view_key is not None else ""
            label = f" {key}{safe(self.view_name)}{'*' if self.view_modified else ''} "
            parts.append((8, Text.assemble((label, "reverse bold"), "  ")))
        if self.info is not None:
            parts.append((3, Text(self.info.describe() + "  ", style="dim")))
        state = self.state
        parts.append((9, Text(f"↓ {fmt.speed(state.dl_info_speed)}", style="bold")))
        parts.append((4, Text(f" [{fmt.limit(state.dl_rate_limit)}]", style="dim")))
        parts.append((9, Text(f"  ↑ {fmt.speed(state.up_info_speed)}", style="bold")))
        parts.append((4, Text(f" [{fmt.limit(state.up_rate_limit)}]", style="dim")))
        parts.append((2, Text(f"  Σ ↓{fmt.size(state.dl_info_data)} ↑{fmt.size(state.up_info_data)}")))
        parts.append((1, Text(f"  DHT {state.dht_nodes}")))
        connection = _CONNECTION.get(connection_level(state.connection_status))
        if connection is not None:
            # The listening port, as the WebUI's status bar shows it: a problem stays longer.
            priority, mark, style = connection
            word, _ = connection_word(state.connection_status)
            parts.append((priority, Text.assemble("  ", (f"{mark} {word}", style))))
        if state.free_space_on_disk is not None:
            parts.append((5, Text(f"  free {fmt.size(state.free_space_on_disk)}")))
        if state.request_latency is not None:
            # 5.3+: how long the disk takes to answer a read (qBittorrent's statistics "request latency").
            parts.append((0, Text(f"  disk {state.request_latency} ms", style="dim")))
        if state.use_alt_speed_limits:
            parts.append((8, Text("  ") + Text(" ALT ", style="reverse bold")))
        shown = (
            f"{self.visible_count:,}/{self.torrent_count:,}"
            if self.visible_count != self.torrent_count
            else f"{self.torrent_count:,}"
        )
        noun = "torrent" if self.torrent_count == 1 else "torrents"
        if self.loading:
            # A first page: its count would say "60 torrents" of a server that has 10,000.
            total = f" {self.loading_total:,}" if self.loading_total is not None else ""
            count = Text(f"  loading{total}…", style="bold")
        else:
            count = Text(f"  {shown} {noun}")
        if self.marked_count:
            count.append(f", {self.marked_count} marked", style="bold")
        parts.append((7, count))
        age = self.data_age()
        if age is not None:
            said = f"  data {age:.0f} s old"
            active_at, data_at = self._active_at, self._data_at
            if active_at is not None and data_at is not None and active_at > data_at:
                said += f" (active {time.monotonic() - active_at:.0f} s)"
            parts.append((7.5, Text(said, style="bold yellow")))
        return parts


#: A server's state in the fleet indicator: a mark that reads without colour, and its colour.
_SERVER_MARKS = {
    "live": ("●", "green"),
    "connecting": ("◌", "yellow"),
    "stale": ("◐", "yellow"),
    "down": ("○", "red"),
    "refused": ("✖", "bold red"),
}


def fleet_indicator(servers: list[tuple[str, str]]) -> Text:
    """`nas● box◐ vps✖`: each server of the fleet with its state (live, stale, refused)."""
    text = Text()
    for name, state in servers:
        mark, style = _SERVER_MARKS.get(state, ("?", "dim"))
        text.append(safe(name), style="dim" if state != "live" else "")
        text.append(mark + " ", style=style)
    text.append(" ")
    return text
