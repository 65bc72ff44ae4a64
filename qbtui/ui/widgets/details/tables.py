"""A `DataTable` that is refreshed in place from keyed rows, so a poll never moves the cursor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

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

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False)
        self._column_keys: list[str] = []
        self._rows: dict[str, tuple[_Signature, ...]] = {}

    def set_columns(self, columns: Sequence[tuple[str, str, int | None]]) -> None:
        """(key, title, width) triples; changing them clears the rows."""
        keys = [key for key, _, _ in columns]
        if keys == self._column_keys:
            return
        self.clear(columns=True)
        self._rows.clear()
        self._column_keys = keys
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
