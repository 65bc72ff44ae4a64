"""Making server-supplied strings safe to draw: they are data, never markup or terminal control."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

_REPLACEMENT = "\ufffd"
#: What would drive the terminal, reorder or hide the rest of the line, or make the terminal and
#: Rich disagree about widths (which breaks every column after it) becomes U+FFFD:
#: - C0 and C1 controls, DEL (ESC, CSI and OSC among them: colours, titles, links, clearing);
#: - bidi marks, embeddings, overrides and isolates (a name could reverse the rest of the row);
#: - line and paragraph separators (some terminals break the line);
#: - zero-width and invisible format characters (spaces, joiners, BOM, fillers, tag characters);
#: - lone surrogates (from a JSON "\ud800" escape), which cannot even be written as UTF-8.
_UNSAFE_CODES = (
    *range(0x00, 0x20),
    0x7F,
    *range(0x80, 0xA0),
    0x00AD,  # soft hyphen: terminals disagree on its width
    0x034F,  # combining grapheme joiner
    0x061C,  # Arabic letter mark
    0x115F,
    0x1160,  # Hangul fillers
    0x17B4,
    0x17B5,  # Khmer inherent vowels (invisible)
    0x180E,  # Mongolian vowel separator
    *range(0x200B, 0x2010),  # zero-width space, non-joiner, joiner, LRM, RLM
    *range(0x2028, 0x202F),  # line/paragraph separators, embeddings and overrides
    *range(0x2060, 0x2070),  # word joiner, invisible operators, isolates, deprecated format chars
    0x3164,  # Hangul filler
    0xFEFF,  # zero-width no-break space (BOM)
    0xFFA0,  # halfwidth Hangul filler
    *range(0xFFF9, 0xFFFC),  # interlinear annotation
    *range(0xD800, 0xE000),  # surrogates
    *range(0xE0000, 0xE0080),  # tag characters
)
_UNSAFE: dict[int, str | None] = dict.fromkeys(_UNSAFE_CODES, _REPLACEMENT)
# Emoji presentation selectors are dropped: Rich counts them as zero cells, many terminals widen the
# character before them, and the text reads the same without them.
_UNSAFE.update(dict.fromkeys((0xFE0E, 0xFE0F)))


def safe(text: str) -> str:
    """Replace control, bidi, invisible and unencodable characters with U+FFFD; keep the rest as-is.

    The result is plain text: callers put it in a `Text`/`Content` or a `Segment`, never in markup.
    """
    return text.translate(_UNSAFE)


def safe_lines(text: str) -> str:
    """`safe()` for each line, keeping the line breaks: a multi-line message (a list in a toast)."""
    return "\n".join(safe(line) for line in text.split("\n"))


def shown(text: str, unknown: str = "?") -> str:
    """`safe(text)`, or `unknown` when there is nothing visible to show."""
    return safe(text) if text.strip() else unknown


def fit(text: str, width: int, *, right: bool = False) -> str:
    """Crop or pad to exactly `width` terminal cells, with an ellipsis when cropped."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else "…"
    padding = " " * (width - length)
    return padding + text if right else text + padding
