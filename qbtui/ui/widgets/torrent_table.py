"""A virtual torrent table: renders only the visible rows, so 50,000 torrents cost what 40 do.

It draws a `TorrentView` (the filtered, sorted hash list) line by line with the Line API. The
cursor is tied to a torrent's hash, not to a row number, so updates and re-sorts never move it
to another torrent, and the scroll position only moves when the cursor would leave the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qbtui.api.models import Torrent, TorrentState
from qbtui.columns import COLUMNS, DEFAULT_COLUMNS, Column
from qbtui.ui.text import fit, safe
from qbtui.view import TorrentView

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
_GAP = 1
_MIN_NAME_WIDTH = 26
#: Rendered rows kept between frames: a few screens' worth.
_ROW_CACHE_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class _Placed:
    column: Column
    x: int
    width: int


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
        &.-stale { tint: $background 45%; }
    }
    """

    BINDINGS: list[BindingType] = [
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
        self.marked: set[str] = set()
        self._mark_anchor: str | None = None
        self._placed: list[_Placed] = []
        self._placed_width = -1
        self._row_cache: dict[str, tuple[tuple[object, ...], Strip]] = {}
        #: Styles every row uses, computed once per style change: `rich_style` walks the DOM each
        #: time it is read (~40 % of a row's rendering), and each foreground is a new Style.
        self._style_cache: dict[str, Style] = {}
        #: The scroll offset and rows shown after the last update, to tell whether a re-order moved them.
        self._window: tuple[int, list[str]] = (-1, [])
        self.empty_message = "Connecting…"

    # -- data in --------------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[str]) -> None:
        self.columns = [c for c in columns if c in COLUMNS] or list(DEFAULT_COLUMNS)
        self._placed_width = -1
        self._row_cache.clear()
        self.refresh()

    def rows_changed(self, hashes: Iterable[str] = (), *, reordered: bool = False) -> None:
        """Tell the table what moved: repaint those rows, or everything after a re-order."""
        changed = hashes if isinstance(hashes, Set) else set(hashes)
        cache = self._row_cache
        for hash in changed:
            cache.pop(hash, None)
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

    def _layout(self, width: int) -> list[_Placed]:
        if width == self._placed_width:
            return self._placed
        chosen = [COLUMNS[key] for key in self.columns if self.show_v2_columns or not COLUMNS[key].v2_only]

        def needed(cols: list[Column]) -> int:
            return sum((c.width or _MIN_NAME_WIDTH) + _GAP for c in cols)

        # Drop the lowest-priority columns until the rest fit.
        while len(chosen) > 1 and needed(chosen) > width:
            chosen.remove(min(chosen[1:] if chosen[0].key == "name" else chosen, key=lambda c: c.priority))
        spare = max(width - needed(chosen), 0)
        placed, x = [], 0
        for column in chosen:
            w = column.width or (_MIN_NAME_WIDTH + spare)
            placed.append(_Placed(column, x, w))
            x += w + _GAP
        self._placed, self._placed_width = placed, width
        self._row_cache.clear()
        return placed

    def on_resize(self, event: events.Resize) -> None:
        self._sync_size()
        self._follow_cursor()

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
        return self._render_row(torrent, placed, width)

    def _render_header(self, placed: list[_Placed], width: int) -> Strip:
        base = self.get_component_rich_style("torrent-table--header")
        sorted_style = self.get_component_rich_style("torrent-table--header-sorted")
        segments: list[Segment] = []
        for cell in placed:
            title = cell.column.title
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

    def _render_row(self, torrent: Torrent, placed: list[_Placed], width: int) -> Strip:
        is_cursor = torrent.hash == self.cursor_hash
        is_marked = torrent.hash in self.marked
        key = (is_cursor, is_marked, self.has_focus, width)
        cached = self._row_cache.get(torrent.hash)
        if cached is not None and cached[0] == key:
            return cached[1]
        base = self._base_style()
        if is_marked:
            base += self.get_component_rich_style("torrent-table--marked")
        if is_cursor:
            base += self.get_component_rich_style("torrent-table--cursor")
        state_style = self._foreground(f"torrent-table--{_STATE_CLASSES.get(torrent.state, 'error')}")
        segments: list[Segment] = []
        for cell in placed:
            column = cell.column
            if column.key == "progress":
                segments += self._progress_bar(torrent.progress, cell.width, base)
            else:
                text = fit(safe(column.text(torrent)), cell.width, right=column.align_right)
                colored = column.key in ("state", "name") and not is_cursor
                segments.append(Segment(text, base + state_style if colored else base))
            segments.append(Segment(" " * _GAP, base))
        strip = Strip(segments).adjust_cell_length(width, base)
        if len(self._row_cache) >= _ROW_CACHE_LIMIT:
            # Scrolling through 50,000 torrents must not keep 50,000 rendered rows alive.
            self._row_cache.clear()
        self._row_cache[torrent.hash] = (key, strip)
        return strip

    def _progress_bar(self, progress: float, width: int, base: Style) -> list[Segment]:
        label = f"{progress * 100:5.1f}%" if progress < 1 else " 100%"
        bar_width = max(width - len(label) - 1, 0)
        done = round(progress * bar_width)
        return [
            Segment("━" * done, base + self._foreground("torrent-table--bar-done")),
            Segment("━" * (bar_width - done), base + self._foreground("torrent-table--bar-todo")),
            Segment(" " + label, base),
        ]

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
