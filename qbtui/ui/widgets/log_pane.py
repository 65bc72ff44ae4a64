"""The server's log (and on servers that have it, the peer log), fetched incrementally.

Every level is fetched and kept; the level filters act locally, so toggling one is instant and
never loses lines. Only ids after the last one seen are asked for (`last_known_id`). New lines
keep the end in view unless the user has scrolled up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Input, Static

from qbtui.api import QbtApi, errors
from qbtui.api.models import LogEntry, LogLevel, PeerLogEntry, ServerInfo
from qbtui.ui.text import safe
from qbtui.ui.widgets.details.lines import LinesView
from qbtui.ui.widgets.details.polling import NOT_CONNECTED_RETRY, PollLoop
from qbtui.ui.widgets.details.support import needs_legacy
from qbtui.ui.widgets.text_field import TextField

ApiGetter = Callable[[], QbtApi | None]
log = logging.getLogger(__name__)
DEFAULT_INTERVAL = 2.0
#: The oldest lines go beyond this; qBittorrent itself keeps 20,000.
MAX_ENTRIES = 20_000

#: "2026-11-29 04:30:00  warning   ": the time, the level and the gaps before the message.
_PREFIX = 19 + 2 + 8 + 2

LEVEL_NAMES = {
    LogLevel.NORMAL: "normal",
    LogLevel.INFO: "info",
    LogLevel.WARNING: "warning",
    LogLevel.CRITICAL: "critical",
}


def local_time(seconds: float) -> str:
    if seconds <= 0:  # missing or unreadable: no real log line is from 1970
        return f"{'?':<19}"
    try:
        return datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError):  # a timestamp no calendar holds
        return f"{'?':<19}"


def one_line(text: str) -> str:
    """Server text, inert and on one line."""
    return safe(" ".join(text.splitlines()))


class LogView(LinesView):
    """Log or peer-log entries, one line each, coloured by level."""

    COMPONENT_CLASSES = {
        "log-pane--time",
        "log-pane--normal",
        "log-pane--info",
        "log-pane--warning",
        "log-pane--critical",
        "log-pane--blocked",
        "log-pane--banned",
    }
    DEFAULT_CSS = """
    LogView {
        & > .log-pane--time { color: $text-muted; }
        & > .log-pane--normal { color: $text; }
        & > .log-pane--info { color: $text-primary; }
        & > .log-pane--warning { color: $text-warning; }
        & > .log-pane--critical { color: $text-error; text-style: bold; }
        & > .log-pane--blocked { color: $text-warning; }
        & > .log-pane--banned { color: $text-error; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(follow=True, id=id)
        self.entries: list[LogEntry | PeerLogEntry] = []

    def row_count(self) -> int:
        return len(self.entries)

    def set_entries(self, entries: list[LogEntry | PeerLogEntry]) -> None:
        """Show these entries instead."""
        self.entries = entries
        self.rows_changed(widest=max(map(self.width_of, entries), default=0))

    def append(self, fresh: Sequence[LogEntry | PeerLogEntry], dropped: int = 0) -> None:
        """New entries at the end, and `dropped` old ones gone from the start."""
        del self.entries[:dropped]
        self.entries += fresh
        self.rows_changed(widest=max(map(self.width_of, fresh), default=0), appended=True, dropped=dropped)

    @staticmethod
    def width_of(entry: LogEntry | PeerLogEntry) -> int:
        """Cells the entry's line takes, without building it (20,000 of them on a filter change)."""
        if isinstance(entry, LogEntry):
            return _PREFIX + cell_len(entry.message)
        return _PREFIX + cell_len(entry.ip) + 2 + cell_len(entry.reason)

    def _style(self, component: str) -> Style:
        return self.get_component_rich_style(component)

    def line(self, entry: LogEntry | PeerLogEntry) -> Text:
        text = Text(local_time(entry.timestamp), style=self._style("log-pane--time"))
        text.append("  ")
        if isinstance(entry, LogEntry):
            style = self._style(f"log-pane--{LEVEL_NAMES[entry.level]}")
            text.append(f"{LEVEL_NAMES[entry.level]:<8}", style=style)
            text.append("  ")
            text.append(one_line(entry.message), style=style if entry.level is not LogLevel.NORMAL else "")
        else:
            verdict, style_name = (
                ("blocked", "log-pane--blocked") if entry.blocked else ("banned", "log-pane--banned")
            )
            text.append(f"{verdict:<8}", style=self._style(style_name))
            text.append("  ")
            text.append(one_line(entry.ip), style="bold")
            if entry.reason:
                text.append(f"  {one_line(entry.reason)}")
        return text

    def render_row(self, index: int) -> Strip:
        segments = list(self.line(self.entries[index]).render(self.app.console))
        return Strip(
            [Segment(s.text, self.rich_style + s.style if s.style else self.rich_style) for s in segments]
        )


class LogSearch(TextField):
    """The log pane's search box: the lines shown narrow as you type; Esc clears and closes it,
    Enter goes back to the lines and keeps the search."""

    BINDINGS = [Binding("escape", "close", "Close search", id="log.search-close")]

    def action_close(self) -> None:
        pane = next((node for node in self.ancestors if isinstance(node, LogPane)), None)
        if pane is not None:
            pane.close_search()


def matches(entry: LogEntry | PeerLogEntry, needle: str) -> bool:
    """Case-insensitive: the message, or a peer entry's address and reason."""
    if not needle:
        return True
    if isinstance(entry, LogEntry):
        return needle in entry.message.casefold()
    return needle in entry.ip.casefold() or needle in entry.reason.casefold()


class LogPane(Vertical):
    """The server log with level filters; `v` switches to the peer log where the server has one;
    `/` searches the lines."""

    DEFAULT_CSS = """
    LogPane { height: 1fr; background: $surface; }
    LogPane > #log-header { height: 1; padding: 0 1; background: $panel; }
    LogPane > #log-note { height: auto; padding: 0 1; color: $warning; display: none; }
    LogPane > #log-note.-visible { display: block; }
    LogPane > #log-note.-error { color: $error; }
    LogPane > #log-search { display: none; height: 1; border: none; padding: 0 1; }
    LogPane > #log-search.-visible { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "toggle_level(1)", "Normal", id="log.normal"),
        Binding("2", "toggle_level(2)", "Info", id="log.info"),
        Binding("3", "toggle_level(4)", "Warning", id="log.warning"),
        Binding("4", "toggle_level(8)", "Critical", id="log.critical"),
        Binding("v", "switch_view", "Peer log", id="log.peer-view"),
        Binding("slash", "search", "Search", id="log.search"),
        Binding("end,G", "follow", "Newest", show=False, id="log.follow"),
    ]

    levels: reactive[frozenset[LogLevel]] = reactive(frozenset(LogLevel), init=False)
    """The levels shown; the others are kept, only hidden."""
    peer_view: reactive[bool] = reactive(False, init=False)
    """True: the peer log (banned and blocked addresses) instead of the main log."""

    def __init__(
        self,
        api_getter: ApiGetter,
        *,
        interval: float = DEFAULT_INTERVAL,
        max_entries: int = MAX_ENTRIES,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._api_getter = api_getter
        self.max_entries = max_entries
        self.entries: list[LogEntry] = []
        self.peer_entries: list[PeerLogEntry] = []
        self._last_id = -1
        self._last_peer_id = -1
        self._api: QbtApi | None = None
        #: What the search box holds, case-folded ("" shows every line of the chosen levels).
        self.needle = ""
        self.poll_loop = PollLoop(self, self._poll, interval=interval, group="log-poll")

    def compose(self) -> ComposeResult:
        yield Static(id="log-header")
        yield Static(id="log-note")
        # Disabled while hidden: Textual would otherwise give it the focus first.
        yield LogSearch(
            placeholder="search the log (Esc closes)", id="log-search", compact=True, disabled=True
        )
        yield LogView()

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    def on_mount(self) -> None:
        self._update_header()
        self.poll_loop.start()

    # -- visibility -----------------------------------------------------------------------------

    def on_show(self, event: events.Show) -> None:
        self.poll_loop.poke()

    def on_hide(self, event: events.Hide) -> None:
        self.poll_loop.cancel_request()

    def refresh_now(self) -> None:
        self.poll_loop.poke()

    # -- polling --------------------------------------------------------------------------------

    def _reset(self) -> None:
        self.entries, self.peer_entries = [], []
        self._last_id = self._last_peer_id = -1
        self._show()

    def unsupported(self, info: ServerInfo) -> str | None:
        what = "The peer log needs" if self.peer_view else "The server log needs"
        return needs_legacy(info, 10, what)

    async def _poll(self) -> float | None:
        api = self._api_getter()
        if api is not self._api:
            # Ids are per server (and per run of it): start over.
            self._api = api
            self._reset()
            self.refresh_bindings()
        if api is None:
            self._say("Not connected to qBittorrent", error=True)
            return NOT_CONNECTED_RETRY
        reason = self.unsupported(api.info)
        if reason:
            self._say(reason)
            return None
        peer_view = self.peer_view
        try:
            if peer_view:
                fresh_peers = await api.peer_log(self._last_peer_id)
            else:
                fresh = await api.log(self._last_id)
        except errors.NotSupported as exc:
            self._say(str(exc))
            return None
        except errors.QbtError as exc:
            self._say(f"Could not load the log: {exc}", error=True)
            return None
        except Exception as exc:  # a bug or a malformed answer: say so, keep polling
            log.exception("log pane: fetching failed")
            self._say(f"Could not load the log: {exc!r}", error=True)
            return None
        if api is not self._api or peer_view != self.peer_view:
            return None  # switched server or view while waiting
        self._say(None)
        if peer_view:
            self._append_peers(fresh_peers)
        else:
            self._append(fresh)
        return None

    def _append(self, fresh: list[LogEntry]) -> None:
        fresh = [entry for entry in fresh if entry.id > self._last_id]
        if not fresh:
            return
        # The highest id, not the last one's: an entry with a bad id must not restart the log.
        self._last_id = max(entry.id for entry in fresh)
        before = len(self.entries)
        self.entries += fresh
        excess = max(len(self.entries) - self.max_entries, 0)
        # The view loses the shown ones among the old entries that go, and gains the shown new
        # ones that stay (a huge first batch can itself be over the cap).
        gone = sum(1 for entry in self.entries[: min(excess, before)] if self._shows(entry))
        new = [entry for entry in fresh[max(excess - before, 0) :] if self._shows(entry)]
        del self.entries[:excess]
        if new or gone:
            self.view.append(new, dropped=gone)
        self._update_header()

    def _append_peers(self, fresh: list[PeerLogEntry]) -> None:
        fresh = [entry for entry in fresh if entry.id > self._last_peer_id]
        if not fresh:
            return
        self._last_peer_id = max(entry.id for entry in fresh)
        before = len(self.peer_entries)
        self.peer_entries += fresh
        excess = max(len(self.peer_entries) - self.max_entries, 0)
        gone = sum(1 for entry in self.peer_entries[: min(excess, before)] if self._shows(entry))
        del self.peer_entries[:excess]
        self.view.append([e for e in fresh[max(excess - before, 0) :] if self._shows(e)], dropped=gone)
        self._update_header()

    def _show(self) -> None:
        """Redraw from scratch: after a filter change, a view switch or trimming."""
        if self.peer_view:
            self.view.set_entries([entry for entry in self.peer_entries if self._shows(entry)])
        else:
            self.view.set_entries([entry for entry in self.entries if self._shows(entry)])
        self._update_header()

    def _shows(self, entry: LogEntry | PeerLogEntry) -> bool:
        if isinstance(entry, LogEntry) and entry.level not in self.levels:
            return False
        return matches(entry, self.needle)

    def _say(self, text: str | None, *, error: bool = False) -> None:
        note = self.query_one("#log-note", Static)
        note.set_class(bool(text), "-visible")
        note.set_class(error, "-error")
        note.update(Text(safe(text or "")))  # error messages can quote the server's answer

    def _update_header(self) -> None:
        header = Text()
        if self.peer_view:
            header.append("Peer log", style="bold")
            header.append(f"   {len(self.peer_entries):,} entries   v: main log", style="dim")
            if self.needle:
                header.append(f"   {len(self.view.entries):,} match", style="dim")
        else:
            header.append("Log", style="bold")
            header.append("   ")
            for level, name in LEVEL_NAMES.items():
                on = level in self.levels
                header.append(("■ " if on else "□ ") + name, style="" if on else "dim strike")
                header.append("  ")
            header.append(f" {len(self.view.entries):,} of {len(self.entries):,} lines", style="dim")
        if self.needle:
            header.append("   search: ", style="dim")
            header.append(safe(self.needle), style="bold")
        self.query_one("#log-header", Static).update(header)

    # -- keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_level":
            return not self.peer_view
        return True

    def action_toggle_level(self, value: int) -> None:
        level = LogLevel(value)
        self.levels = self.levels ^ {level}

    def watch_levels(self) -> None:
        self._show()

    def action_switch_view(self) -> None:
        self.peer_view = not self.peer_view

    def watch_peer_view(self) -> None:
        self._say(None)
        self._show()
        self.refresh_bindings()
        self.poll_loop.poke()

    def action_search(self) -> None:
        box = self.query_one(LogSearch)
        box.disabled = False
        box.add_class("-visible")
        box.focus()

    def close_search(self) -> None:
        box = self.query_one(LogSearch)
        box.value = ""
        box.remove_class("-visible")
        box.disabled = True
        self.view.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "log-search":
            return
        event.stop()
        needle = event.value.strip().casefold()
        if needle != self.needle:
            self.needle = needle
            self._show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "log-search":
            event.stop()
            self.view.focus()

    def action_follow(self) -> None:
        self.view.scroll_end(animate=False, immediate=True, x_axis=False)
