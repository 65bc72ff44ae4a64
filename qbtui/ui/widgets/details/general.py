"""General: every field of the properties endpoint, grouped like qBittorrent's own dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widget import Widget

from qbtui.api import QbtApi
from qbtui.api.gates import COMMENT, DOWNLOAD_PATH
from qbtui.api.models import Torrent, TorrentProperties
from qbtui.model.torrent_facts import general_rows
from qbtui.ui.text import safe
from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.prompts import TextBlockPrompt
from qbtui.util import format as fmt

TorrentGetter = Callable[[str], Torrent | None]

#: Fields some versions add to the properties object, with the names qBittorrent's dialog uses.
_EXTRA_LABELS = {
    "infohash_v1": "Info hash v1",
    "infohash_v2": "Info hash v2",
    "is_private": "Private",
    "private": "Private",
    "download_path": "Download path",
    "popularity": "Popularity",
    "has_metadata": "Has metadata",
}
#: Shown elsewhere (the hash row, the panel title) or meaningless to a user.
_EXTRA_HIDDEN = frozenset({"hash", "name", "isPrivate", "infohash_v1", "infohash_v2"})
_CELL = 44  # width of one label + value pair in the transfer/information grids


def when(value: int | None, unset: str = fmt.NEVER) -> str:
    """A full local date and time: a dialog field, not a table cell, so no "today" shortcut."""
    if value is None:
        return unset
    try:
        return datetime.fromtimestamp(value).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError):  # a date no calendar holds: the server's nonsense
        return "?"


def _with(main: str, extra: str | None) -> str:
    return f"{main} ({extra})" if extra else main


@dataclass(frozen=True, slots=True)
class GeneralData:
    properties: TorrentProperties
    torrent: Torrent | None


#: Where each field goes for 3, 2 and 1 columns: qBittorrent's own 3-column grid, and a 2-column
#: one that keeps download beside upload. One column reads the 2-column rows in order.
Layouts = dict[int, list[tuple[str, ...]]]

TRANSFER_LAYOUT: Layouts = {
    3: [
        ("Time active", "ETA", "Connections"),
        ("Downloaded", "Uploaded", "Seeds"),
        ("Download speed", "Upload speed", "Peers"),
        ("Download limit", "Upload limit", "Wasted"),
        ("Share ratio", "Reannounce in", "Last seen complete"),
    ],
    2: [
        ("Time active", "ETA"),
        ("Downloaded", "Uploaded"),
        ("Download speed", "Upload speed"),
        ("Download limit", "Upload limit"),
        ("Seeds", "Peers"),
        ("Connections", "Wasted"),
        ("Share ratio", "Reannounce in"),
        ("Last seen complete",),
    ],
}
INFORMATION_LAYOUT: Layouts = {
    3: [("Total size", "Pieces", "Created by"), ("Added on", "Completed on", "Created on")],
    2: [("Total size", "Pieces"), ("Added on", "Completed on"), ("Created on", "Created by")],
}


def arrange(layouts: Layouts, columns: int) -> list[tuple[str, ...]]:
    if columns in layouts:
        return layouts[columns]
    return [(label,) for row in layouts[2] for label in row]


def transfer_fields(p: TorrentProperties) -> list[tuple[str, str]]:
    seeded = f"seeded for {fmt.duration(p.seeding_time)}" if p.seeding_time else None
    connections_max = f"{p.nb_connections_limit} max" if p.nb_connections_limit else None
    return [
        ("Time active", _with(fmt.duration(p.time_elapsed) if p.time_elapsed is not None else "?", seeded)),
        ("ETA", fmt.duration(p.eta)),
        (
            "Connections",
            _with(str(p.nb_connections if p.nb_connections is not None else "?"), connections_max),
        ),
        (
            "Downloaded",
            _with(fmt.size(p.total_downloaded), f"{fmt.size(p.total_downloaded_session)} this session"),
        ),
        ("Uploaded", _with(fmt.size(p.total_uploaded), f"{fmt.size(p.total_uploaded_session)} this session")),
        ("Seeds", _with(str(p.seeds or 0), f"{p.seeds_total} total" if p.seeds_total is not None else None)),
        ("Download speed", _with(fmt.speed(p.dl_speed or 0), f"{fmt.speed(p.dl_speed_avg or 0)} avg.")),
        ("Upload speed", _with(fmt.speed(p.up_speed or 0), f"{fmt.speed(p.up_speed_avg or 0)} avg.")),
        ("Peers", _with(str(p.peers or 0), f"{p.peers_total} total" if p.peers_total is not None else None)),
        ("Download limit", fmt.limit(p.dl_limit)),
        ("Upload limit", fmt.limit(p.up_limit)),
        ("Wasted", fmt.size(p.total_wasted)),
        ("Share ratio", fmt.ratio(p.share_ratio)),
        ("Reannounce in", fmt.duration(p.reannounce) if p.reannounce is not None else "?"),
        ("Last seen complete", when(p.last_seen)),
    ]


#: What a field the server did not give (or the torrent does not have) shows: one mark for all.
MISSING = "—"


def information_fields(p: TorrentProperties) -> list[tuple[str, str]]:
    if p.pieces_num:
        pieces = f"{p.pieces_num:,} × {fmt.size(p.piece_size)} (have {p.pieces_have or 0:,})"
    else:
        pieces = "unknown (no metadata yet)"
    return [
        ("Total size", fmt.size(p.total_size) if p.total_size else "unknown (no metadata yet)"),
        ("Pieces", pieces),
        ("Created by", p.created_by or MISSING),
        ("Added on", when(p.addition_date, MISSING)),
        ("Completed on", when(p.completion_date)),
        ("Created on", when(p.creation_date, MISSING)),
    ]


def _yes_no(value: bool) -> str:
    return "on" if value else "off"


#: What `o`, `F`, `Z`, `M` and `f` switch, read from the torrent list (every server sends these).
OPTIONS_LAYOUT: Layouts = {
    3: [
        ("Sequential download", "First/last pieces", "Super seeding"),
        ("Automatic management", "Force start"),
    ],
    2: [
        ("Sequential download", "First/last pieces"),
        ("Super seeding", "Automatic management"),
        ("Force start",),
    ],
}


def option_fields(torrent: Torrent | None) -> list[tuple[str, str]]:
    if torrent is None:
        return []
    return [
        ("Sequential download", _yes_no(torrent.seq_dl)),
        ("First/last pieces", _yes_no(torrent.f_l_piece_prio)),
        ("Super seeding", _yes_no(torrent.super_seeding)),
        ("Automatic management", _yes_no(torrent.auto_tmm)),
        ("Force start", _yes_no(torrent.force_start)),
    ]


def _hashes(extra: dict[str, object], hash: str) -> list[tuple[str, str]]:
    """One row per info-hash: "Info hash" alone, or v1 and v2 where the server tells both (4.4+)."""
    v1, v2 = extra.get("infohash_v1"), extra.get("infohash_v2")
    if not v1 and not v2:
        return [("Info hash", hash)]
    return [("Info hash v1", str(v1) if v1 else MISSING), ("Info hash v2", str(v2) if v2 else MISSING)]


def long_fields(data: GeneralData, hash: str) -> list[tuple[str, str]]:
    p = data.properties
    name = data.torrent.name if data.torrent is not None else str(p.extra.get("name") or "")
    rows = [("Name", name or MISSING), ("Save path", p.save_path or MISSING)]
    for key, value in p.extra.items():
        label = _EXTRA_LABELS.get(key, key)
        if key in _EXTRA_HIDDEN or value in (None, "") or any(label == seen for seen, _ in rows):
            continue
        text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        rows.append((label, text))
    rows += general_rows(data.torrent)  # 5.x: share limit action, tracker warnings (model.torrent_facts)
    rows += [
        ("Comment", p.comment or MISSING),
        *_hashes(p.extra, hash),
        ("Magnet link", data.torrent.magnet_uri if data.torrent and data.torrent.magnet_uri else MISSING),
    ]
    return rows


class GeneralView(Widget):
    """The fields as label/value grids that use as many columns as the width allows."""

    COMPONENT_CLASSES = {"general--section", "general--label"}
    DEFAULT_CSS = """
    GeneralView { height: auto; padding: 0 1; }
    GeneralView > .general--section { color: $accent; text-style: bold; }
    GeneralView > .general--label { color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.data: GeneralData | None = None
        self.hash = ""
        self._shape: tuple[int, ...] | None = None

    def show(self, data: GeneralData | None, hash: str = "") -> None:
        self.data, self.hash = data, hash
        # Measuring the height renders the whole grid once more (~half the cost of an update);
        # the height can only change when a label or value changes its width.
        shape = self._shape_of(data, hash)
        self.refresh(layout=shape != self._shape)
        self._shape = shape

    @staticmethod
    def _shape_of(data: GeneralData | None, hash: str) -> tuple[int, ...] | None:
        if data is None:
            return None
        p = data.properties
        fields = [
            *transfer_fields(p),
            *information_fields(p),
            *long_fields(data, hash),
            *option_fields(data.torrent),
        ]
        return tuple(cell_len(part) for field in fields for part in field)

    def _grid(
        self, fields: list[tuple[str, str]], rows: list[tuple[str, ...]], label_widths: list[int]
    ) -> Table:
        values = dict(fields)
        label_style = self.get_component_rich_style("general--label")
        grid = Table.grid(padding=(0, 1), expand=True)
        for index in range(max(len(row) for row in rows)):
            # Each label column is as wide as the widest label in that place in any section, so
            # the values of every section start in the same columns.
            grid.add_column(style=label_style, no_wrap=True, min_width=label_widths[index])
            grid.add_column(ratio=1, overflow="fold")
        for row in rows:
            cells: list[Text] = []
            for label in row:
                # Labels of unknown fields are the server's keys: as inert as the values.
                cells += [Text(safe(label) + ":"), Text(safe(values[label]))]
            grid.add_row(*cells)
        return grid

    def _renderable(self, width: int) -> RenderableType:
        if self.data is None:
            return Text("")
        section = self.get_component_rich_style("general--section")
        columns = max(1, min(3, width // _CELL))
        p = self.data.properties
        extra = long_fields(self.data, self.hash)
        options = option_fields(self.data.torrent)
        # Name and save path first: what the torrent is and where it lives, before its numbers.
        name, extra = extra[:2], extra[2:]
        grids: list[tuple[list[tuple[str, str]], list[tuple[str, ...]]]] = [
            (transfer_fields(p), arrange(TRANSFER_LAYOUT, columns)),
            (name, [("Name",), ("Save path",)]),
            (information_fields(p), arrange(INFORMATION_LAYOUT, columns)),
            (extra, [(label,) for label, _ in extra]),
        ]
        if options:
            grids.append((options, arrange(OPTIONS_LAYOUT, columns)))
        label_widths = [0] * columns
        for _, rows in grids:
            for row in rows:
                for index, label in enumerate(row):
                    label_widths[index] = max(label_widths[index], cell_len(safe(label)) + 1)
        parts: list[RenderableType] = [Text("Transfer", style=section), self._grid(*grids[0], label_widths)]
        parts += [Text(""), Text("Information", style=section)]
        parts += [self._grid(fields, rows, label_widths) for fields, rows in grids[1:4]]
        if options:
            parts += [Text(""), Text("Options", style=section), self._grid(*grids[4], label_widths)]
        return Group(*parts)

    def render(self) -> RenderableType:
        return self._renderable(self.size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.data is None:
            return 0
        console = self.app.console
        options = console.options.update_width(max(width, 1))
        return len(console.render_lines(self._renderable(width), options, pad=False))


class GeneralTab(DetailTab):
    TITLE = "General"
    PANE_ID = "general"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy('magnet')", "Copy magnet", id="details.general-copy-magnet"),
        Binding("Y", "copy('hash')", "Copy hash", show=False, id="details.general-copy-hash"),
        Binding("c", "comment", "Edit comment", id="details.general-comment"),
        Binding("i", "download_path", "Incomplete path", id="details.general-download-path"),
        Binding("c", "explain('comment')", show=False, id="details.general-comment-explain"),
        Binding("i", "explain('download_path')", show=False, id="details.general-download-path-explain"),
    ]
    V2_ACTIONS = {
        "comment": (COMMENT.version, "Editing a torrent's comment needs"),
        "download_path": (DOWNLOAD_PATH.version, "A per-torrent incomplete path needs"),
    }

    def __init__(self, torrent_getter: TorrentGetter, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._torrent_getter = torrent_getter
        self.data: GeneralData | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="body", can_focus=True):
            yield GeneralView()

    async def fetch(self, api: QbtApi, hash: str) -> GeneralData:
        return GeneralData(await api.properties(hash), self._torrent_getter(hash))

    def show_data(self, data: GeneralData) -> None:
        self.data = data
        self.query_one(GeneralView).show(data, self.hash or "")
        self.data_shown()

    def clear(self) -> None:
        self.data = None
        self.query_one(GeneralView).show(None)

    def action_copy(self, what: str) -> None:
        if self.hash is None:
            return
        if what == "hash":
            text = self.hash
        else:
            torrent = self._torrent_getter(self.hash)
            text = torrent.magnet_uri if torrent else ""
        if not text:
            self.notify("No magnet link known for this torrent", severity="warning")
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the {'info hash' if what == 'hash' else 'magnet link'}", timeout=2)

    def action_comment(self) -> None:
        if self.hash is None:
            return
        torrent = self._torrent_getter(self.hash)
        if self.data is not None:
            current = self.data.properties.comment
        else:
            current = torrent.comment or "" if torrent is not None else ""

        def chosen(text: str | None) -> None:
            if text is not None and text.strip() != current.strip():
                # The server trims it; an empty comment removes it.
                done = "Comment set" if text.strip() else "Comment removed"
                self.request(lambda api, h: api.set_comment([h], text), done)

        self.app.push_screen(
            TextBlockPrompt("Comment", current, hint="The server trims it; empty removes it."), chosen
        )

    def action_download_path(self) -> None:
        from qbtui.ui.screens.server_path_prompt import ServerPathPrompt

        if self.hash is None:
            return
        torrent = self._torrent_getter(self.hash)
        if torrent is not None and torrent.auto_tmm:
            self.notify(
                "Automatic management is on: the server keeps such a torrent's paths to its category's "
                "and ignores a path of its own. M turns automatic management off.",
                severity="warning",
                timeout=8,
                markup=False,
            )
            return
        current = (torrent.download_path or "") if torrent is not None else ""

        def chosen(path: str | None) -> None:
            if path is not None and path.strip() != current:
                new = path.strip()
                done = f"Incomplete path {new}" if new else "No incomplete path: data goes to the save path"
                self.request(lambda api, h: api.set_download_path([h], new), done)

        self.app.push_screen(
            ServerPathPrompt(
                "Incomplete data of this torrent goes to",
                safe(current),
                placeholder="empty: straight to the save path",
                hint="On the server; empty: none.",
            ),
            chosen,
        )
