"""Formatting primitives for the CLI: cells, tables and JSON.

Everything a server sends (torrent names, tracker messages, paths) is data: it is printed as plain
text with control characters made visible, so a hostile name cannot rewrite the terminal.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qbtui.util.format import duration, percent, ratio
from qbtui.util.format import timestamp as _timestamp
from qbtui.util.units import format_rate, format_size

__all__ = ["duration", "format_rate", "format_size", "percent", "ratio"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(value: object) -> str:
    """Server text made safe for a terminal line: control characters become `\\xNN`."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))


def timestamp(epoch: int | float | None) -> str:
    """Local time to the second, or "never" for an event that has not happened."""
    return _timestamp(epoch, seconds=True)


def limit(bytes_per_s: int | None) -> str:
    return "unlimited" if bytes_per_s is None else format_rate(bytes_per_s)


def yes_no(value: bool | None) -> str:
    return "?" if value is None else ("yes" if value else "no")


def optional(value: object) -> str:
    return "?" if value is None else clean(value)


# --------------------------------------------------------------------------------------------- tables


def cell_width(text: str) -> int:
    """Terminal columns taken by `text`: East Asian wide characters take two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def truncate(text: str, width: int) -> str:
    if cell_width(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    out, used = [], 0
    for char in text:
        char_width = cell_width(char)
        if used + char_width > width - 1:
            break
        out.append(char)
        used += char_width
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(width - cell_width(text), 0)
    return gap + text if right else text + gap


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    right: bool = False  # numbers line up on the right
    flex: bool = False  # this column shrinks when the terminal is too narrow


def table(columns: Sequence[Column], rows: Iterable[Sequence[str]], width: int | None = None) -> str:
    """Aligned columns separated by two spaces; flex columns shrink to fit `width` (None: never)."""
    cells = [[clean(cell) for cell in row] for row in rows]
    widths = [cell_width(column.header) for column in columns]
    for row in cells:
        widths = [max(w, cell_width(cell)) for w, cell in zip(widths, row, strict=True)]
    if width is not None:
        widths = _fit(columns, widths, width)
    lines = [_line(columns, [c.header for c in columns], widths)]
    lines += [_line(columns, row, widths) for row in cells]
    return "\n".join(lines)


def _fit(columns: Sequence[Column], widths: list[int], width: int) -> list[int]:
    excess = sum(widths) + 2 * (len(widths) - 1) - width
    flexible = [i for i, column in enumerate(columns) if column.flex]
    for i in flexible:
        if excess <= 0:
            break
        shrink = min(excess, widths[i] - max(cell_width(columns[i].header), 12))
        if shrink > 0:
            widths[i] -= shrink
            excess -= shrink
    return widths


def _line(columns: Sequence[Column], row: Sequence[str], widths: Sequence[int]) -> str:
    last = len(columns) - 1
    cells = []
    for i, (column, cell, width) in enumerate(zip(columns, row, widths, strict=True)):
        text = truncate(cell, width)
        # A left-aligned last column is not padded: no trailing blanks.
        cells.append(text if i == last and not column.right else _pad(text, width, column.right))
    return "  ".join(cells).rstrip()


def pairs(items: Iterable[tuple[str, object]]) -> str:
    """`key: value` lines with the values aligned."""
    items = [(key, clean(value)) for key, value in items]
    if not items:
        return ""
    key_width = max(cell_width(key) for key, _ in items) + 1
    return "\n".join(f"{_pad(key + ':', key_width, False)} {value}".rstrip() for key, value in items)


# --------------------------------------------------------------------------------------------- JSON


def jsonable(value: Any) -> Any:
    """Plain JSON data: dataclasses become objects, enums their values, tuples lists, inf/nan null."""
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: jsonable(getattr(value, f.name))
            for f in dataclasses.fields(value)
            # Fields that only mean something sometimes (a torrent's server) are left out when unset.
            if not (f.metadata.get("omit_default") and getattr(value, f.name) == f.default)
        }
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def dumps(value: Any) -> str:
    return json.dumps(jsonable(value), indent=2, ensure_ascii=False)
