"""Making server-supplied strings safe to draw: they are data, never markup or terminal control."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

_REPLACEMENT = "\ufffd"
# C0 and C1 controls (ESC among them) would drive the terminal; bidi overrides and isolates would
# reorder the rest of the line; both become visible replacement characters.
_UNSAFE = {
    **{code: _REPLACEMENT for code in range(0x00, 0x20)},
    0x7F: _REPLACEMENT,
    **{code: _REPLACEMENT for code in range(0x80, 0xA0)},
    **{code: _REPLACEMENT for code in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}


def safe(text: str) -> str:
    """Replace control, bidi-override characters with U+FFFD; keep everything else as-is."""
    return text.translate(_UNSAFE)


def fit(text: str, width: int, *, right: bool = False) -> str:
    """Crop or pad to exactly `width` terminal cells, with an ellipsis when cropped."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else "…"
    padding = " " * (width - length)
    return padding + text if right else text + padding
