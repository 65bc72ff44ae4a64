"""A virtual torrent table: renders only the visible rows, so 50,000 torrents cost what 40 do.

It draws a `TorrentView` (the filtered, sorted hash list) line by line with the Line API. The
cursor is tied to a torrent's hash, not to a row number, so updates and re-sorts never move it
to another torrent, and the scroll position only moves when the cursor would leave the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qbtui.api.models import Torrent, TorrentState
from qbtui.model.column_layout import GAP, Placed, infer_role, layout, natural_width
from qbtui.model.columns import COLUMNS, DEFAULT_COLUMNS, SEEDING, SERVER_COLUMN, Column
from qbtui.model.view import TorrentView
from qbtui.ui.text import fit, safe
from qbtui.ui.widgets.bar import progress_segments

_STATE_CLASSES: dict[TorrentState, str] = {
    TorrentState.DOWNLOADING: "downloading",
    TorrentState.FORCED_DL: "downloading",
    TorrentState.META_DL: "metadata",
    TorrentState.FORCED_META_DL: "metadata",
    TorrentState.UPLOADING: "seeding",
    TorrentState.FORCED_UP: "seeding",
    TorrentState.STALLED_UP: "stalled",
    TorrentState.STALLED_DL: "stalled",
    TorrentState.PAUSED_DL: "paused",
    TorrentState.PAUSED_UP: "paused",
    TorrentState.QUEUED_DL: "queued",
    TorrentState.QUEUED_UP: "queued",
    TorrentState.CHECKING_DL: "checking",
    TorrentState.CHECKING_UP: "checking",
    TorrentState.CHECKING_RESUME_DATA: "checking",
    TorrentState.QUEUED_FOR_CHECKING: "checking",
    TorrentState.MOVING: "checking",
    TorrentState.ALLOCATING: "checking",
    TorrentState.ERROR: "error",
    TorrentState.MISSING_FILES: "error",
    TorrentState.UNKNOWN: "error",
}
_GAP = GAP
#: Rendered rows kept between frames: a few screens' worth.
_ROW_CACHE_LIMIT = 1000


class TorrentTable(ScrollView, can_focus=True):
    """The main list of torrents."""

    COMPONENT_CLASSES = {
        "torrent-table--header",
        "torrent-table--header-sorted",
        "torrent-table--cursor",
        "torrent-table--marked",
        "torrent-table--bar-done",
        "torrent-table--bar-todo",
        "torrent-table--downloading",
        "torrent-table--metadata",
        "torrent-table--seeding",
        "torrent-table--stalled",
        "torrent-table--paused",
        "torrent-table--queued",
        "torrent-table--checking",
        "torrent-table--error",
        "torrent-table--empty",
        "torrent-table--stale",
    }

    DEFAULT_CSS = """
    TorrentTable {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .torrent-table--header { background: $panel; color: $text; text-style: bold; }
        & > .torrent-table--header-sorted { background: $panel; color: $accent; text-style: bold; }
        & > .torrent-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .torrent-table--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground;
        }
        & > .torrent-table--marked { background: $secondary 35%; text-style: bold; }
        & > .torrent-table--bar-done { color: $success; }
        & > .torrent-table--bar-todo { color: $foreground 15%; }
        & > .torrent-table--downloading { color: $torrent-downloading; }
        & > .torrent-table--metadata { color: $torrent-downloading; text-style: italic; }
        & > .torrent-table--seeding { color: $torrent-seeding; }
        & > .torrent-table--stalled { color: $torrent-stalled; }
        & > .torrent-table--paused { color: $torrent-paused; }
        & > .torrent-table--queued { color: $torrent-queued; }
        & > .torrent-table--checking { color: $torrent-checking; }
        & > .torrent-table--error { color: $torrent-error; text-style: bold; }
        & > .torrent-table--empty { color: $text-muted; }
        & > .torrent-table--stale { color: $text-muted; text-style: italic; }
        &.-stale { tint: $background 45%; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="table.page-up"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="table.page-down"),
        Binding("home,g", "first", "First", show=False, id="table.first"),
        Binding("end,G", "last", "Last", show=False, id="table.last"),
        Binding("space", "toggle_mark", "Mark", id="table.mark"),
        Binding("V", "mark_range", "Mark range", show=False, id="table.mark-range"),
        Binding("ctrl+a", "mark_all", "Mark all", show=False, id="table.mark-all"),
        Binding("U", "unmark_all", "Unmark all", show=False, id="table.unmark-all"),
    ]

    cursor_hash: reactive[str | None] = reactive(None, init=False)
    """The highlighted torrent; survives re-sorts and updates."""

    @dataclass
    class CursorMoved(Message):
        table: TorrentTable
        hash: str | None

        @property
        def control(self) -> TorrentTable:
            return self.table

    @dataclass
    class HeaderClicked(Message):
        table: TorrentTable
        column: str

        @property
        def control(self) -> TorrentTable:
            return self.table

    @dataclass
    class CutNameChanged(Message):
        """The highlighted torrent's name is cut in its cell (`name`), or no longer is ("")."""

        table: TorrentTable
        name: str

        @property
        def control(self) -> TorrentTable:
            return self.table

    @dataclass
    class MarksChanged(Message):
        table: TorrentTable
        count: int

        @property
        def control(self) -> TorrentTable:
            return self.table

    def __init__(self, view: TorrentView, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.view = view
        self.columns: list[str] = list(DEFAULT_COLUMNS)
        self.show_v2_columns = True
        #: Several servers in one table: the Server column is shown (it is left out otherwise), and
        #: the rows of the servers in `stale_servers` (down, backing off, refused) look stale.
        self.show_server_column = False
        self.stale_servers: frozenset[str] = frozenset()
        self.marked: set[str] = set()
        self._mark_anchor: str | None = None
        self._placed: list[Placed] = []
        #: What the layout in `_placed` was made from; another key lays the columns out again.
        self._placed_key: tuple[object, ...] | None = None
        #: The server's role, which decides which columns leave first (qbtui.model.column_layout).
        self.role = SEEDING
        #: Columns the user pinned: they stay while anything else can go.
        self.pinned: frozenset[str] = frozenset()
        #: The widest cell seen per column since the last `remeasure()`: widths follow what is shown.
        #: Only rows about to be drawn are measured (never the whole list), and a width only grows
        #: until the next remeasure, so columns do not jump while scrolling or at every poll.
        self._measured: dict[str, int] = {}
        #: Rows measured with their current data (a change forgets them, like the row cache).
        self._measured_rows: set[str] = set()
        #: Bumped whenever a measured width, the columns or what they depend on change.
        self._measure_version = 0
        self._measured_width = -1
        self._quick_key: tuple[object, ...] | None = None
        #: Each row's cell texts from measuring, for the render that follows (computed once).
        self._texts: dict[str, dict[str, str]] = {}
        #: The highlighted torrent's full name while its cell cuts it, else "" (the screen shows it).
        self.cut_name = ""
        self._row_cache: dict[str, tuple[tuple[object, ...], Strip]] = {}
        #: Styles every row uses, computed once per style change: `rich_style` walks the DOM each
        #: time it is read (~40 % of a row's rendering), and each foreground is a new Style.
        self._style_cache: dict[str, Style] = {}
        #: The scroll offset and rows shown after the last update, to tell whether a re-order moved them.
        self._window: tuple[int, list[str]] = (-1, [])
        self.empty_message = "Connecting…"

    # -- data in --------------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[str], pinned: Iterable[str] | None = None) -> None:
        self.columns = [c for c in columns if c in COLUMNS] or list(DEFAULT_COLUMNS)
        if pinned is not None:
            self.pinned = frozenset(pinned)
        self.remeasure()

    def set_role(self, role: str) -> None:
        if role != self.role:
            self.role = role
            self._placed_key = None
            self._measure_version += 1
            self.refresh()

    def remeasure(self) -> None:
        """Forget the measured widths: the next frame measures the rows it shows afresh (after a
        filter, sort, column or size change, so a column shrinks back when its wide cells left)."""
        self._measured.clear()
        self._measured_rows.clear()
        self._texts.clear()
        self._measure_version += 1
        # Rendered rows stay: the next layout drops them only if the widths come out different
        # (a filter keystroke usually leaves them as they were).
        self.refresh()

    def rows_changed(self, hashes: Iterable[str] = (), *, reordered: bool = False) -> None:
        """Tell the table what moved: repaint those rows, or everything after a re-order."""
        changed = hashes if isinstance(hashes, Set) else set(hashes)
        cache, measured = self._row_cache, self._measured_rows
        for hash in changed:
            cache.pop(hash, None)
            measured.discard(hash)
        counts = self.view.counts.status
        self.set_role(infer_role(counts["completed"], counts["all"], self.role))
        if reordered:
            if self.marked:
                # Marks outlive filters (hidden torrents stay marked), not the torrents themselves.
                self.marked.intersection_update(self.view.store.torrents)
            self._sync_size()
            self._follow_cursor()
        # Only the rows on screen can need a repaint: look at those, not at every changed torrent.
        # A re-order repaints everything only when it moved rows on screen: with 10,000 torrents most
        # polls add or re-sort a few far away from the rows shown.
        top = int(self.scroll_y)
        window = self.view.order[top : top + self._data_height]
        if reordered and (not window or (top, window) != self._window):
            self.refresh()
        else:
            for offset, hash in enumerate(window):
                if hash in changed:
                    # refresh_line() takes a line of the virtual area: screen line + scroll offset.
                    self.refresh_line(top + offset + 1)
        self._window = (top, window)

    def _sync_size(self) -> None:
        size = Size(self.size.width, len(self.view) + 1)
        if size == self.virtual_size:
            return
        if not self.is_mounted or not self.size:
            self.virtual_size = size
            return
        # The reactive would lay out the whole screen each time a poll adds or removes a torrent,
        # though the table's own box never depends on what it scrolls: update the scrollbars alone,
        # unless one appears or disappears. (Private Textual API, pinned to 8.2.x in pyproject.)
        shown = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self.set_reactive(TorrentTable.virtual_size, size)
        self._scroll_update(size)
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != shown:
            self.refresh(layout=True)

    # -- geometry -------------------------------------------------------------------------------

    @property
    def _data_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _shown_columns(self) -> list[Column]:
        return [
            COLUMNS[key]
            for key in self.columns
            if (self.show_v2_columns or not COLUMNS[key].v2_only)
            and (self.show_server_column or key != SERVER_COLUMN)
        ]

    def set_stale_servers(self, servers: frozenset[str]) -> None:
        """The servers whose rows are last seen, not live: drawn dimmed until they answer again."""
        if servers != self.stale_servers:
            self.stale_servers = servers
            self.refresh()

    def _layout(self, width: int) -> list[Placed]:
        # Called for every line drawn: a cheap key first, the full one only when something moved.
        quick = (width, self._measure_version, self.view.sort_column, self.role, self.pinned)
        if quick == self._quick_key:
            return self._placed
        self._quick_key = quick
        chosen = self._shown_columns()
        sort_column = self.view.sort_column
        natural = {
            c.key: natural_width(c, self._measured.get(c.key, 0), c.key == sort_column) for c in chosen
        }
        key = (width, tuple(natural.items()), self.role, self.pinned)
        if key == self._placed_key:
            return self._placed
        placed = layout(chosen, natural, width, self.role, self.pinned)
        if placed != self._placed:
            self._row_cache.clear()
        self._placed, self._placed_key = placed, key
        return self._placed

    def _measure_window(self) -> None:
        """Measure the rows about to be drawn that were not measured with their current data."""
        top = int(self.scroll_y)
        window = self.view.order[top : top + self._data_height]
        measured_rows = self._measured_rows
        todo = [h for h in window if h not in measured_rows]
        if not todo:
            return
        if len(measured_rows) > _ROW_CACHE_LIMIT:
            measured_rows.clear()
            self._texts.clear()
        columns = self._shown_columns()
        measured = self._measured
        torrents = self.view.store.torrents
        for hash in todo:
            torrent = torrents.get(hash)
            if torrent is None:
                continue
            texts = {c.key: safe(c.text(torrent)) for c in columns if c.key != "progress"}
            for key, text in texts.items():
                if key == "name":
                    continue  # the name takes the room the others leave, whatever it measures
                # len() first: cell_len() is the cost, and most cells are ASCII no wider than before.
                if len(text) > measured.get(key, 0) or not text.isascii():
                    cells = cell_len(text)
                    if cells > measured.get(key, 0):
                        measured[key] = cells
                        self._measure_version += 1
            self._texts[hash] = texts
            measured_rows.add(hash)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._measure_window()
        before = self._placed_key
        self._layout(self.scrollable_content_region.width)
        if before is not None and self._placed_key != before and crop.height < self.size.height:
            # Other widths: every line must be drawn again, not only the ones asked for now.
            self.refresh()
        lines = super().render_lines(crop)
        self._check_cut_name()
        return lines

    def on_resize(self, event: events.Resize) -> None:
        self._sync_size()
        self._follow_cursor()
        if event.size.width != self._measured_width:
            # Another width (not only another height, as when the details panel opens).
            self._measured_width = event.size.width
            self.remeasure()

    # -- rendering ------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row_cache.clear()
        self._style_cache.clear()

    def _base_style(self) -> Style:
        style = self._style_cache.get("")
        if style is None:
            style = self._style_cache[""] = self.rich_style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        placed = self._layout(width)
        if y == 0:
            return self._render_header(placed, width)
        row = int(self.scroll_y) + y - 1
        if not self.view.order:
            if y == 2:
                style = self.get_component_rich_style("torrent-table--empty")
                return Strip([Segment(fit(f"  {self.empty_message}", width), style)])
            return Strip.blank(width, self.rich_style)
        torrent = self.view.torrent_at(row)
        if torrent is None:
            return Strip.blank(width, self.rich_style)
        return self._render_row(self.view.order[row], torrent, placed, width)

    def _render_header(self, placed: list[Placed], width: int) -> Strip:
        base = self.get_component_rich_style("torrent-table--header")
        sorted_style = self.get_component_rich_style("torrent-table--header-sorted")
        segments: list[Segment] = []
        for cell in placed:
            title = cell.column.title
            if cell_len(title) > cell.width and cell.column.short_title:
                title = cell.column.short_title
            is_sorted = cell.column.key == self.view.sort_column
            if is_sorted and cell.width > 2:
                # The arrow says which way the list runs: a narrow column crops its title, not that.
                arrow = "▼" if self.view.reverse else "▲"
                if cell_len(title) + 2 <= cell.width:
                    title += " " + arrow
                else:
                    title = fit(title, cell.width - 1) + arrow
            segments.append(
                Segment(
                    fit(title, cell.width, right=cell.column.align_right), sorted_style if is_sorted else base
                )
            )
            segments.append(Segment(" " * _GAP, base))
        return Strip(segments).adjust_cell_length(width, base)

    def _render_row(self, row_key: str, torrent: Torrent, placed: list[Placed], width: int) -> Strip:
        # `row_key` is the view's key of the row: the hash, or hash@server with several servers
        # (two rows can hold the same hash: never tell them apart by `torrent.hash`).
        is_cursor = row_key == self.cursor_hash
        is_marked = row_key in self.marked
        stale = bool(self.stale_servers) and torrent.server in self.stale_servers
        key = (is_cursor, is_marked, self.has_focus, width, stale)
        cached = self._row_cache.get(row_key)
        if cached is not None and cached[0] == key:
            return cached[1]
        base = self._base_style()
        if stale:
            base += self._foreground("torrent-table--stale")
        if is_marked:
            base += self.get_component_rich_style("torrent-table--marked")
        if is_cursor:
            base += self.get_component_rich_style("torrent-table--cursor")
        state_style = self._foreground(f"torrent-table--{_STATE_CLASSES.get(torrent.state, 'error')}")
        if stale:
            state_style = self._foreground("torrent-table--stale")
        texts = self._texts.get(row_key)
        segments: list[Segment] = []
        for cell in placed:
            column = cell.column
            if column.key == "progress":
                segments += progress_segments(
                    torrent.progress,
                    cell.width,
                    base,
                    self._foreground("torrent-table--bar-done"),
                    self._foreground("torrent-table--bar-todo"),
                )
            else:
                value = texts.get(column.key) if texts is not None else None
                if value is None:
                    value = safe(column.text(torrent))
                text = fit(value, cell.width, right=column.align_right)
                colored = column.key in ("state", "name") and not is_cursor
                segments.append(Segment(text, base + state_style if colored else base))
            segments.append(Segment(" " * _GAP, base))
        strip = Strip(segments).adjust_cell_length(width, base)
        if len(self._row_cache) >= _ROW_CACHE_LIMIT:
            # Scrolling through 50,000 torrents must not keep 50,000 rendered rows alive.
            self._row_cache.clear()
        self._row_cache[row_key] = (key, strip)
        return strip

    @property
    def placed(self) -> list[Placed]:
        """The columns on screen now, with their widths (the last layout drawn)."""
        return list(self._placed)

    def name_is_cut(self, hash: str | None) -> bool:
        """Whether this torrent's name is wider than the name column as laid out now."""
        torrent = self.view.store.torrents.get(hash) if hash else None
        if torrent is None:
            return False
        width = next((cell.width for cell in self._placed if cell.column.key == "name"), None)
        if width is None:
            return True  # no name column at all: the name is nowhere in the table
        return cell_len(safe(torrent.name)) > width

    def _check_cut_name(self) -> None:
        """Keep `cut_name` up to date and tell the screen when it changes."""
        hash = self.cursor_hash
        torrent = self.view.store.torrents.get(hash) if hash else None
        name = torrent.name if torrent is not None and self.name_is_cut(hash) else ""
        if name != self.cut_name:
            self.cut_name = name
            self.post_message(self.CutNameChanged(self, name))

    def _foreground(self, component: str) -> Style:
        """A component's colour and text style without its background, so row highlights show through."""
        foreground = self._style_cache.get(component)
        if foreground is None:
            style = self.get_component_rich_style(component)
            foreground = Style(color=style.color, bold=style.bold, italic=style.italic)
            self._style_cache[component] = foreground
        return foreground

    # -- cursor ---------------------------------------------------------------------------------

    @property
    def cursor_row(self) -> int | None:
        return self.view.index_of(self.cursor_hash) if self.cursor_hash else None

    def _follow_cursor(self) -> None:
        """After a re-order: keep the same torrent highlighted, or the nearest row if it left."""
        if not self.view.order:
            self._set_cursor(None)
            return
        row = self.cursor_row
        if row is None:
            self._set_cursor(self.view.order[min(self._last_row, len(self.view) - 1)])
            return
        self._scroll_to_row(row)

    _last_row = 0

    def _set_cursor(self, hash: str | None) -> None:
        if hash == self.cursor_hash:
            return
        old = self.cursor_hash
        self.cursor_hash = hash
        if old is not None:
            self._row_cache.pop(old, None)
        if hash is not None:
            self._row_cache.pop(hash, None)
            row = self.view.index_of(hash)
            if row is not None:
                self._last_row = row
                self._scroll_to_row(row)
        self.refresh()
        self.post_message(self.CursorMoved(self, hash))

    def move_to_row(self, row: int) -> None:
        if not self.view.order:
            return
        row = max(0, min(row, len(self.view) - 1))
        self._set_cursor(self.view.order[row])

    def move_to_hash(self, hash: str) -> bool:
        if self.view.index_of(hash) is None:
            return False
        self._set_cursor(hash)
        return True

    def _scroll_to_row(self, row: int) -> None:
        top = int(self.scroll_y)
        height = self._data_height
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.move_to_row((self.cursor_row if self.cursor_row is not None else 1) - 1)

    def action_cursor_down(self) -> None:
        self.move_to_row((self.cursor_row if self.cursor_row is not None else -1) + 1)

    def action_page_up(self) -> None:
        self.move_to_row((self.cursor_row or 0) - self._data_height)

    def action_page_down(self) -> None:
        self.move_to_row((self.cursor_row or 0) + self._data_height)

    def action_first(self) -> None:
        self.move_to_row(0)

    def action_last(self) -> None:
        self.move_to_row(len(self.view) - 1)

    # -- marks ----------------------------------------------------------------------------------

    def _marks_changed(self) -> None:
        self._row_cache.clear()
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.marked)))

    def action_toggle_mark(self) -> None:
        if self.cursor_hash is None:
            return
        self.marked ^= {self.cursor_hash}
        self._mark_anchor = self.cursor_hash
        self._marks_changed()
        self.action_cursor_down()

    def action_mark_range(self) -> None:
        """Mark every row between the last mark and the cursor."""
        start = self.view.index_of(self._mark_anchor) if self._mark_anchor else None
        end = self.cursor_row
        if end is None:
            return
        start = end if start is None else start
        low, high = sorted((start, end))
        self.marked.update(self.view.order[low : high + 1])
        self._marks_changed()

    def action_mark_all(self) -> None:
        self.marked.update(self.view.order)
        self._marks_changed()

    def action_unmark_all(self) -> None:
        self.marked.clear()
        self._marks_changed()

    def targets(self) -> list[str]:
        """The marked torrents, or else the highlighted one."""
        if self.marked:
            return [h for h in self.view.order if h in self.marked] + sorted(
                self.marked - set(self.view.order)
            )
        return [self.cursor_hash] if self.cursor_hash else []

    # -- mouse ----------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            for cell in self._placed:
                if cell.x <= event.x < cell.x + cell.width + _GAP:
                    self.post_message(self.HeaderClicked(self, cell.column.key))
                    return
            return
        self.move_to_row(int(self.scroll_y) + event.y - 1)

    def on_focus(self) -> None:
        self._row_cache.clear()

    def on_blur(self) -> None:
        self._row_cache.clear()
