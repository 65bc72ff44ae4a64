"""Trackers: url, status, peers and message (tier, seeds, leeches and DHT/PeX/LSD rows on v2)."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from qbtui.api import QbtApi
from qbtui.api.models import Tracker, TrackerStatus
from qbtui.model.torrent_facts import has_next_announce, next_announce
from qbtui.ui.screens.dialogs import ConfirmDialog, TextPrompt
from qbtui.ui.text import safe
from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.prompts import LinesPrompt
from qbtui.ui.widgets.details.tables import KeyedTable

_LEGACY_COLUMNS = [
    ("url", "URL", None),
    ("status", "Status", 16),
    ("peers", "Peers", 6),
    ("message", "Message", None),
]
_V2_COLUMNS = [
    ("tier", "Tier", 4),
    ("url", "URL", None),
    ("status", "Status", 13),
    ("peers", "Peers", 6),
    ("seeds", "Seeds", 6),
    ("leeches", "Leeches", 7),
    ("downloaded", "Times downloaded", 16),
    ("message", "Message", None),
]
_NEXT_COLUMN = ("next", "Next announce", 13)
_STATUS_CLASS = {
    TrackerStatus.WORKING: "trackers--working",
    TrackerStatus.UPDATING: "trackers--updating",
    TrackerStatus.NOT_WORKING: "trackers--failing",
    TrackerStatus.TRACKER_ERROR: "trackers--failing",
    TrackerStatus.UNREACHABLE: "trackers--failing",
    TrackerStatus.DISABLED: "trackers--idle",
    TrackerStatus.NOT_CONTACTED: "trackers--idle",
}


def _count(value: int | None) -> Text:
    return Text("" if value is None else str(value), justify="right")


def looks_like_tracker(url: str) -> bool:
    return "://" in url and not url.startswith("** [")


class TrackersTab(DetailTab):
    TITLE = "Trackers"
    PANE_ID = "trackers"

    COMPONENT_CLASSES = {
        "trackers--working",
        "trackers--updating",
        "trackers--failing",
        "trackers--idle",
        "trackers--pseudo",
    }
    DEFAULT_CSS = """
    TrackersTab {
        & > .trackers--working { color: $success; }
        & > .trackers--updating { color: $warning; }
        & > .trackers--failing { color: $error; }
        & > .trackers--idle { color: $text-muted; }
        & > .trackers--pseudo { color: $text-muted; text-style: italic; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add trackers", id="details.trackers-add"),
        Binding("e", "edit", "Edit URL", id="details.trackers-edit"),
        Binding("x,delete", "remove", "Remove", id="details.trackers-remove"),
        Binding("e", "explain('edit')", show=False, id="details.trackers-edit-explain"),
        Binding("x,delete", "explain('remove')", show=False, id="details.trackers-remove-explain"),
    ]
    V2_ACTIONS = {
        "edit": ((2, 2), "Editing trackers needs"),
        "remove": ((2, 2), "Removing trackers needs"),
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.trackers: list[Tracker] = []

    def compose_body(self) -> ComposeResult:
        yield KeyedTable(classes="body")

    @property
    def table(self) -> KeyedTable:
        return self.query_one(KeyedTable)

    async def fetch(self, api: QbtApi, hash: str) -> list[Tracker]:
        return await api.trackers(hash)

    def _style(self, component: str) -> Style:
        style = self.get_component_rich_style(component)
        return Style(color=style.color, italic=style.italic)

    def show_data(self, data: list[Tracker]) -> None:
        self.trackers = data
        v2 = self.info is not None and not self.info.is_legacy
        announces = v2 and has_next_announce(data)  # 5.2+ (qbtui.model.torrent_facts)
        columns = [*_V2_COLUMNS, _NEXT_COLUMN] if announces else _V2_COLUMNS
        self.table.set_columns(columns if v2 else _LEGACY_COLUMNS)
        rows: dict[str, list[Text]] = {}
        for tracker in data:
            status = (
                tracker.status.value if tracker.status is not TrackerStatus.UNKNOWN else tracker.status_text
            )
            status_style = self._style(_STATUS_CLASS.get(tracker.status, "trackers--idle"))
            url_style = self._style("trackers--pseudo") if tracker.is_pseudo else Style()
            url = Text(safe(tracker.url), style=url_style)
            message = Text(safe(tracker.msg))
            if v2:
                rows[tracker.url] = [
                    _count(tracker.tier),
                    url,
                    Text(safe(status), style=status_style),
                    _count(tracker.num_peers),
                    _count(tracker.num_seeds),
                    _count(tracker.num_leeches),
                    _count(tracker.num_downloaded),
                    message,
                ] + ([Text(next_announce(tracker), justify="right")] if announces else [])
            else:
                rows[tracker.url] = [
                    url,
                    Text(safe(status), style=status_style),
                    _count(tracker.num_peers),
                    message,
                ]
        self.table.sync(rows)
        self.data_shown()

    def clear(self) -> None:
        self.trackers = []
        self.table.reset()

    # -- commands -------------------------------------------------------------------------------

    def _selected(self) -> Tracker | None:
        key = self.table.cursor_key
        tracker = next((t for t in self.trackers if t.url == key), None)
        if tracker is None:
            self.notify("No tracker highlighted", severity="warning")
            return None
        if tracker.is_pseudo:
            self.notify(
                f"{tracker.url.strip('* []')} is not a tracker; switch it in the server's preferences",
                severity="warning",
                markup=False,
            )
            return None
        return tracker

    def action_add(self) -> None:
        def chosen(urls: list[str] | None) -> None:
            if urls:
                count = len(urls)
                self.request(
                    lambda api, h: api.add_trackers(h, urls),
                    f"Added {count} tracker{'s' if count != 1 else ''}",
                )

        def validate(urls: list[str]) -> str | None:
            bad = [url for url in urls if not looks_like_tracker(url)]
            return f"Not a tracker URL: {bad[0]}" if bad else None

        self.app.push_screen(
            LinesPrompt(
                "Add trackers",
                hint="One URL per line, e.g. udp://tracker.example:1337/announce",
                validate=validate,
            ),
            chosen,
        )

    def action_edit(self) -> None:
        tracker = self._selected()
        if tracker is None:
            return
        old = tracker.url
        # The prompt shows the URL inert; handed back unedited, it means "no change".
        shown_url = safe(old)

        def chosen(url: str | None) -> None:
            if url and url.strip() not in (old, shown_url):
                new = url.strip()
                self.request(lambda api, h: api.edit_tracker(h, old, new), f"Tracker changed to {new}")

        self.app.push_screen(
            TextPrompt(
                "Tracker URL",
                shown_url,
                validate=lambda value: None if looks_like_tracker(value.strip()) else "Not a tracker URL",
            ),
            chosen,
        )

    def action_remove(self) -> None:
        tracker = self._selected()
        if tracker is None:
            return
        url = tracker.url

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.request(lambda api, h: api.remove_trackers(h, [url]), f"Removed tracker {url}")

        body = Text("The torrent will stop announcing to\n\n  ")
        body.append(safe(url), style="bold")
        self.app.push_screen(ConfirmDialog("Remove this tracker?", body, "Remove", danger=True), confirmed)
