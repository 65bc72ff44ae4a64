"""Reading what a Textual app draws: the text of every cell, and checks that it is inert."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from rich.segment import Segment
from textual.app import App
from textual.strip import Strip

#: Characters safe() replaces (bidi, invisible, separators): they must never reach a cell.
FORBIDDEN = set(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2028\u2029"
    "\u2060\u2066\u2067\u2068\u2069\ufeff"
)


def screen_strips(app: App[object]) -> list[Strip]:
    """Every line of the current screen (toasts and the focused modal included), as drawn."""
    return app.screen._compositor.render_strips()


def strip_text(strip: Strip | Iterable[Segment]) -> str:
    return "".join(segment.text for segment in strip)


def screen_text(app: App[object]) -> str:
    return "\n".join(strip_text(strip) for strip in screen_strips(app))


def assert_inert(strips: Iterable[Strip | Iterable[Segment]], where: str = "screen") -> None:
    """No control character (ESC, CSI, BEL, ...), lone surrogate, bidi or invisible character in
    any cell, no control segment, and no link or click action that came from data."""
    for row, strip in enumerate(strips):
        for segment in strip:
            assert not segment.control, f"{where} row {row}: a control segment {segment!r}"
            for char in segment.text:
                category = unicodedata.category(char)
                assert category not in ("Cc", "Cs"), f"{where} row {row}: {char!r} in {segment.text!r}"
                assert char not in FORBIDDEN, f"{where} row {row}: {char!r} in {segment.text!r}"
            style = segment.style
            if style is not None and segment.text.strip():
                assert not style.link or "evil" not in style.link, f"{where} row {row}: link {style.link}"
                click = (style.meta or {}).get("@click")
                assert not click or "quit" not in str(click), f"{where} row {row}: action {click}"
            segment.text.encode("utf-8")
