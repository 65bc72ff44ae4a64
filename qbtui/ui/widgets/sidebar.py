"""The filter sidebar: status filters, categories, tags and trackers, each with a live count."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from qbtui.api.models import ServerInfo
from qbtui.model.view import (
    KNOWS_TRACKER_COUNT,
    KNOWS_TRACKER_FLAGS,
    STATUS_FILTERS,
    TRACKER_ERROR,
    TRACKER_NOT_WORKING,
    TRACKER_WARNING,
    TRACKER_WORKING,
    TRACKERLESS,
    UNCATEGORIZED,
    UNTAGGED,
    Counts,
)
from qbtui.model.wording import status_label
from qbtui.ui.text import safe
from qbtui.ui.widgets.one_line import OneLine

#: Option ids are "<kind>:<value>", or the bare "<kind>" for "any"; kinds are status, category, tag,
#: tracker, tracker-status. No value a server sends (even "" or "\x00any") can then give two options
#: one id.


@dataclass(frozen=True, slots=True)
class FilterChoice:
    kind: str  # "server", "status", "category", "tag", "tracker" or "tracker-status"
    value: str | None  # None = any


def _option_id(kind: str, value: str | None) -> str:
    return kind if value is None else f"{kind}:{value}"


def parse_option_id(option_id: str) -> FilterChoice:
    kind, colon, value = option_id.partition(":")
    return FilterChoice(kind, value if colon else None)


def _parts(url: str) -> tuple[str, str, str]:
    """(scheme, host, host:port) of a tracker URL; the whole URL where it is no URL."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:  # "http://[bold]x[/]/": brackets that are no IPv6 address; a port of "x"
        return "", url, url
    if not host:
        return "", url, url
    shown = f"[{host}]" if ":" in host else host
    return parts.scheme, host, f"{shown}:{port}" if port else shown


def tracker_labels(urls: list[str]) -> dict[str, str]:
    """The shortest label that tells each tracker from the others: the host; host:port where two
    share a host; scheme://host:port where those are shared too (http and udp on one port); the
    whole URL where only the path differs."""
    parts = {url: _parts(url) for url in urls}

    def unique(label_of) -> set[str]:
        seen: dict[str, int] = {}
        for url in urls:
            seen[label_of(url)] = seen.get(label_of(url), 0) + 1
        return {label for label, count in seen.items() if count == 1}

    hosts = unique(lambda url: parts[url][1])
    host_ports = unique(lambda url: parts[url][2])
    full = unique(lambda url: f"{parts[url][0]}://{parts[url][2]}")
    labels: dict[str, str] = {}
    for url in urls:
        scheme, host, host_port = parts[url]
        if host in hosts:
            labels[url] = host
        elif host_port in host_ports:
            labels[url] = host_port
        elif f"{scheme}://{host_port}" in full:
            labels[url] = f"{scheme}://{host_port}"
        else:
            labels[url] = url
    return labels


#: The tracker-status entries: (status, label, shown only when the server tells this).
_TRACKER_STATUS_ENTRIES = (
    (TRACKER_WORKING, "Working", None),
    (TRACKER_NOT_WORKING, "Not working", None),
    (TRACKER_ERROR, "Tracker error", KNOWS_TRACKER_FLAGS),
    (TRACKER_WARNING, "Warning", KNOWS_TRACKER_FLAGS),
    (TRACKERLESS, "Trackerless", KNOWS_TRACKER_COUNT),
)


class Sidebar(OptionList):
    """Choosing an entry posts `Sidebar.FilterChosen`."""

    DEFAULT_CSS = """
    Sidebar {
        width: 30;
        height: 1fr;
        border: none;
        border-right: vkey $foreground 20%;
        background: $surface;
        padding: 0;
        & > .option-list--option-disabled { color: $text-accent; text-style: bold; }
    }
    """

    @dataclass
    class FilterChosen(Message):
        sidebar: Sidebar
        choice: FilterChoice

        @property
        def control(self) -> Sidebar:
            return self.sidebar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._layout_key: tuple[object, ...] = ()
        #: What each option shows now, so a poll that changes no count repaints nothing.
        self._shown: dict[str, str] = {}
        self.show_v2_sections = True
        #: The server, for its words: qBittorrent 5 says Stopped where 4.x says Paused.
        self.server_info: ServerInfo | None = None
        #: Several servers in one table: (name, torrents, live | connecting | stale | refused).
        self.servers: list[tuple[str, int, str]] = []
        self.selected: dict[str, str | None] = {
            "server": None,
            "status": "all",
            "category": None,
            "tag": None,
            "tracker": None,
            "tracker-status": None,
        }

    def update_counts(
        self, counts: Counts, categories: list[str], tags: list[str], trackers: list[str]
    ) -> None:
        entries = self._entries(counts, categories, tags, trackers)
        layout_key = tuple(option_id for option_id, _ in entries)
        if layout_key != self._layout_key:
            highlighted = self.highlighted
            self.clear_options()
            self.add_options(
                [
                    None
                    if option_id == "-"
                    else Option(prompt, id=option_id, disabled=option_id.startswith("head:"))
                    for option_id, prompt in entries
                ]
            )
            self._layout_key = layout_key
            self._shown = {option_id: prompt.plain for option_id, prompt in entries}
            if highlighted is not None and highlighted < self.option_count:
                self.highlighted = highlighted
            return
        changed = [
            (option_id, prompt)
            for option_id, prompt in entries
            if option_id != "-" and self._shown.get(option_id) != prompt.plain
        ]
        width = self.scrollable_content_region.width
        for option_id, prompt in changed:
            self._shown[option_id] = prompt.plain
            if prompt.cell_len >= width:  # it may wrap: let OptionList measure every option again
                self.replace_option_prompt(option_id, prompt)
                continue
            # OptionList.replace_option_prompt() re-renders and re-measures every option, on every
            # poll (counts move all the time). A count keeps its one line, so swap the prompt, drop
            # the rendered options (re-rendered only when next painted) and repaint that line alone;
            # OneLine draws the same cells as the Text without Textual's word wrapper.
            # Private Textual API, pinned to 8.2.x in pyproject.
            index = self.get_option_index(option_id)
            self.get_option_at_index(index)._set_prompt(OneLine(prompt, self.app.console))
            self.refresh_line(self._index_to_line[index])
        if changed:
            self._option_render_cache.clear()

    def _entries(
        self, counts: Counts, categories: list[str], tags: list[str], trackers: list[str]
    ) -> list[tuple[str, Text]]:
        entries: list[tuple[str, Text]] = []
        if self.servers:
            entries.append(("head:server", Text("Servers")))
            total = sum(count for _, count, _ in self.servers)
            entries.append((_option_id("server", None), self._line("server", None, "All", total)))
            for name, count, state in self.servers:
                label = name if state == "live" else f"{name} ({state})"
                entries.append((_option_id("server", name), self._line("server", name, label, count)))
            entries.append(("-", Text()))
        entries.append(("head:status", Text("Status")))
        for name in STATUS_FILTERS:
            entries.append(
                (
                    _option_id("status", name),
                    self._line("status", name, status_label(name, self.server_info), counts.status[name]),
                )
            )
        entries += [("-", Text()), ("head:category", Text("Categories"))]
        total = sum(counts.categories.values())
        entries.append((_option_id("category", None), self._line("category", None, "All", total)))
        entries.append(
            (
                _option_id("category", UNCATEGORIZED),
                self._line("category", UNCATEGORIZED, "Uncategorized", counts.categories[UNCATEGORIZED]),
            )
        )
        for name in sorted({c for c in (*categories, *counts.categories) if c}, key=str.casefold):
            entries.append(
                (_option_id("category", name), self._line("category", name, name, counts.categories[name]))
            )
        if self.show_v2_sections:
            entries += [("-", Text()), ("head:tag", Text("Tags"))]
            entries.append((_option_id("tag", None), self._line("tag", None, "All", total)))
            entries.append(
                (_option_id("tag", UNTAGGED), self._line("tag", UNTAGGED, "Untagged", counts.tags[UNTAGGED]))
            )
            for name in sorted({t for t in (*tags, *counts.tags) if t}, key=str.casefold):
                entries.append((_option_id("tag", name), self._line("tag", name, name, counts.tags[name])))
        entries += [("-", Text()), ("head:tracker", Text("Trackers"))]
        chosen_url = self.selected.get("tracker")
        any_tracker = chosen_url is None and self.selected.get("tracker-status") is None
        entries.append((_option_id("tracker", None), self._line("tracker", None, "All", total, any_tracker)))
        statuses = counts.tracker_status
        for status, label, needs in _TRACKER_STATUS_ENTRIES:
            if needs is None or statuses[needs] > 0:
                entries.append(
                    (
                        _option_id("tracker-status", status),
                        self._line("tracker-status", status, label, statuses[status]),
                    )
                )
        if self.show_v2_sections and trackers:
            labels = tracker_labels(sorted(trackers))
            for url in sorted(trackers, key=lambda u: (labels[u].casefold(), u)):
                entries.append(
                    (
                        _option_id("tracker", url),
                        self._line("tracker", url, labels[url], counts.trackers[url]),
                    )
                )
        return entries

    def _line(self, kind: str, value: str | None, label: str, count: int, chosen: bool | None = None) -> Text:
        if chosen is None:
            chosen = self.selected.get(kind) == value
        text = Text("● " if chosen else "  ", style="bold" if chosen else "")
        width = 22
        label = safe(label)
        if cell_len(label) > width - 6:
            label = set_cell_size(label, width - 7) + "…"
        text.append(label, style="bold" if chosen else "")
        text.append(f"{count:>{max(width - cell_len(label), 1)}}", style="dim")
        return text

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        choice = parse_option_id(event.option.id)
        self.selected[choice.kind] = choice.value
        # A tracker and a tracker status are one choice: choosing either leaves the other at "any".
        if choice.kind == "tracker":
            self.selected["tracker-status"] = None
        elif choice.kind == "tracker-status":
            self.selected["tracker"] = None
        self._layout_key = ()  # redraw the markers
        self.post_message(self.FilterChosen(self, choice))
