"""A `DataTable` that is refreshed in place from keyed rows, so a poll never moves the cursor.

A cell wider than its column ends with "…"; Enter shows the highlighted row whole (`RowDialog`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey, RowKey

from qbtui.ui.screens.dialogs import Dialog

Row = Sequence[Text]
_Signature = tuple[str, str, tuple[object, ...]]


def _signature(cell: Text) -> _Signature:
    return (cell.plain, str(cell.style), tuple(cell.spans))


class KeyedTable(DataTable[Text]):
    """Rows are identified by a key (a tracker URL, a peer address); cells are always `Text`.

    `sync()` adds new rows, removes gone ones and rewrites only the cells that changed, the
    pattern that keeps Textual's DataTable cheap at a few thousand rows: no `clear()` per poll,
    no width re-measuring. The cursor stays on its row's key.
    """

    DEFAULT_CSS = """
    KeyedTable { height: 1fr; background: $surface; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "show_row", "Whole row", id="details.row-whole"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False)
        self._column_keys: list[str] = []
        self._titles: list[str] = []
        self._widths: list[int | None] = []
        self._rows: dict[str, tuple[_Signature, ...]] = {}
        #: Each row's cells as last synced, for the whole-row dialog.
        self._cells: dict[str, Sequence[Text]] = {}

    def set_columns(self, columns: Sequence[tuple[str, str, int | None]]) -> None:
        """(key, title, width) triples; changing them clears the rows. A width of None makes a
        flexible column: the flexible ones share the width the fixed ones leave, each up to what
        its widest cell needs (URLs, messages, clients), so the table fills the panel."""
        keys = [key for key, _, _ in columns]
        if keys == self._column_keys:
            return
        self.clear(columns=True)
        self._rows.clear()
        self._cells.clear()
        self._column_keys = keys
        self._titles = [title for _, title, _ in columns]
        self._widths = [width for _, _, width in columns]
        for key, title, width in columns:
            self.add_column(Text(title), key=key, width=width)

    @property
    def cursor_key(self) -> str | None:
        if not self.row_count or not self.is_valid_row_index(self.cursor_row):
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def sync(self, rows: Mapping[str, Row]) -> None:
        """Make the table show exactly `rows`, in their order for new rows."""
        for cells in rows.values():
            for cell in cells:
                # Cut with an ellipsis, never silently (Enter shows the whole row).
                cell.no_wrap, cell.overflow = True, "ellipsis"
        self._cells = dict(rows)
        self.call_later(self._fit)
        gone = [key for key in self._rows if key not in rows]
        if gone and len(gone) > len(self._rows) // 2:
            cursor = self.cursor_key
            self.clear()
            self._rows.clear()
            self._add_all(rows)
            if cursor is not None and cursor in self._rows:
                self.move_cursor(row=self.get_row_index(cursor), scroll=False)
            return
        for key in gone:
            self.remove_row(key)
            del self._rows[key]
        for key, cells in rows.items():
            signature = tuple(_signature(cell) for cell in cells)
            old = self._rows.get(key)
            if old is None:
                self.add_row(*cells, key=key)
            elif old != signature:
                for column, cell, now, was in zip(self._column_keys, cells, signature, old, strict=False):
                    if now != was:
                        self.update_cell(RowKey(key), ColumnKey(column), cell)
            self._rows[key] = signature

    def _add_all(self, rows: Mapping[str, Row]) -> None:
        for key, cells in rows.items():
            self.add_row(*cells, key=key)
            self._rows[key] = tuple(_signature(cell) for cell in cells)

    def reset(self) -> None:
        self.clear()
        self._rows.clear()
        self._cells.clear()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Give the flexible columns the width the fixed ones leave."""
        flexible = [i for i, width in enumerate(self._widths) if width is None]
        if not flexible or not self.is_mounted:
            return
        pad = 2 * self.cell_padding
        fixed = sum(width + pad for width in self._widths if width is not None)
        room = max(self.scrollable_content_region.width - fixed - pad * len(flexible), 8 * len(flexible))
        needs = [
            max([cell_len(self._titles[i])] + [cell_len(cells[i].plain) for cells in self._cells.values()])
            for i in flexible
        ]
        changed = False
        for i, width in zip(flexible, share(needs, room), strict=True):
            column = self.columns.get(ColumnKey(self._column_keys[i]))
            if column is not None and (column.auto_width or column.width != width):
                column.width, column.auto_width = width, False
                changed = True
        if changed:
            # Private DataTable state (Textual pinned to 8.2.x): new widths, nothing cached at the old.
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh()

    def width_of(self, index: int) -> int | None:
        column = (
            self.columns.get(ColumnKey(self._column_keys[index])) if index < len(self._column_keys) else None
        )
        return column.width if column is not None else None

    def is_cut(self, key: str) -> bool:
        """Whether any cell of this row is wider than its column."""
        cells = self._cells.get(key, ())
        return any(
            (width := self.width_of(i)) is not None and cell_len(cell.plain) > width
            for i, cell in enumerate(cells)
        )

    def action_show_row(self) -> None:
        key = self.cursor_key
        if key is None:
            return
        cells = self._cells.get(key, ())
        self.app.push_screen(RowDialog(list(zip(self._titles, cells, strict=False))))


#: What each flexible column keeps for itself while the ones before it take what they need.
_FLEX_MIN = 10


def share(needs: Sequence[int], room: int) -> list[int]:
    """Split `room` among flexible columns that need `needs`, left to right: each takes what it
    needs while the ones after it keep _FLEX_MIN each; the last takes whatever is left (the first
    column is a row's identity: a tracker's URL, a peer's address)."""
    widths: list[int] = []
    left = room
    for index, need in enumerate(needs):
        after = len(needs) - index - 1
        if after == 0:
            widths.append(max(left, 1))
            break
        width = max(min(need, left - _FLEX_MIN * after), 1)
        widths.append(width)
        left -= width
    return widths


class RowDialog(Dialog[None]):
    """One row of a details table whole: every column's title and full text, wrapped."""

    DEFAULT_CSS = """
    RowDialog .dialog { width: 100; }
    RowDialog VerticalScroll { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("enter,escape", "cancel", "Close", id="dialog.row-close")]

    def __init__(self, fields: Sequence[tuple[str, Text]]) -> None:
        super().__init__()
        self._fields = fields

    def compose(self) -> ComposeResult:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for title, cell in self._fields:
            value = cell.copy()
            value.no_wrap, value.overflow, value.justify = False, "fold", "left"
            grid.add_row(Text(title + ":"), value)
        with Vertical(classes="dialog"):
            with VerticalScroll():
                yield Static(grid, id="row-fields")
            yield Static(Text("enter or esc closes", style="dim"))
