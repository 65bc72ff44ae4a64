"""The status line: link state, server, DHT, global speeds with limits, totals, free space, alt speed."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from qbtui import format as fmt
from qbtui.api.models import ServerInfo, ServerState
from qbtui.sync import LinkState
from qbtui.ui.text import safe


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
        self._shown: Text | None = None

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

    def compose_text(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.link is LinkState.LIVE:
            text.append("● ", style="bold green")
        elif self.link is LinkState.CONNECTING:
            text.append("◌ connecting… ", style="bold")
        else:
            text.append("✖ ", style="bold")
            text.append(safe(self.problem) + "  ", style="bold")
        if self.info is not None:
            text.append(self.info.describe(), style="dim")
            text.append("  ")
        state = self.state
        text.append(f"↓ {fmt.speed(state.dl_info_speed)}", style="bold")
        text.append(f" [{fmt.limit(state.dl_rate_limit)}]  ", style="dim")
        text.append(f"↑ {fmt.speed(state.up_info_speed)}", style="bold")
        text.append(f" [{fmt.limit(state.up_rate_limit)}]  ", style="dim")
        text.append(f"Σ ↓{fmt.size(state.dl_info_data)} ↑{fmt.size(state.up_info_data)}  ")
        text.append(f"DHT {state.dht_nodes}  ")
        if state.free_space_on_disk is not None:
            text.append(f"free {fmt.size(state.free_space_on_disk)}  ")
        if state.use_alt_speed_limits:
            text.append(" ALT ", style="reverse bold")
            text.append("  ")
        shown = (
            f"{self.visible_count}/{self.torrent_count}"
            if self.visible_count != self.torrent_count
            else str(self.torrent_count)
        )
        text.append(f"{shown} torrents")
        if self.marked_count:
            text.append(f", {self.marked_count} marked", style="bold")
        return text
