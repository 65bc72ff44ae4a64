"""`safe()` makes any server string inert: nothing that drives a terminal, reorders or hides text, or
cannot be written as UTF-8 survives it; markup survives as the literal text it is."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.content import Content

from qbtui.sim.hostile import STRINGS
from qbtui.ui.text import fit, safe, safe_lines, shown
from tests.hostile import strategies

BIDI_AND_INVISIBLE = set(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2028\u2029"
    "\u2060\u2066\u2067\u2068\u2069\ufeff\u00ad"
)
any_text = st.text() | strategies.texts | st.lists(strategies.texts, max_size=4).map("".join)


def assert_inert(text: str) -> None:
    for char in text:
        category = unicodedata.category(char)
        assert category not in ("Cc", "Cs"), f"{char!r} ({category}) survived"
        assert char not in BIDI_AND_INVISIBLE, f"{char!r} survived"
        assert not 0xE0000 <= ord(char) <= 0xE007F, f"tag character {char!r} survived"
    text.encode("utf-8")


@settings(max_examples=1000)
@given(any_text)
def test_safe_text_is_inert(text: str) -> None:
    shown_text = safe(text)
    assert_inert(shown_text)
    assert safe(shown_text) == shown_text
    # Every character that is not replaced is kept, in order (markup brackets included).
    kept = [char for char in text if char not in "\ufe0e\ufe0f"]
    assert len(shown_text) == len(kept)
    for before, after in zip(kept, shown_text, strict=True):
        assert after == before or after == "\ufffd"


@settings(max_examples=500)
@given(st.lists(any_text, max_size=5))
def test_safe_lines_keep_only_the_line_breaks(lines: list[str]) -> None:
    shown_text = safe_lines("\n".join(lines))
    # Each line is inert; a line break stays one (a toast's list), nothing else gets through.
    for line in shown_text.split("\n"):
        assert_inert(line)
    assert shown_text.split("\n") == [safe(part) for part in "\n".join(lines).split("\n")]


@settings(max_examples=500)
@given(any_text, st.integers(0, 60), st.booleans())
def test_fit_gives_exactly_the_width(text: str, width: int, right: bool) -> None:
    assert cell_len(fit(safe(text), width, right=right)) == width


def test_markup_is_shown_literally_in_rich_and_textual() -> None:
    console = Console(width=200, force_terminal=True, color_system="truecolor", record=True)
    for key, text in STRINGS.items():
        if key == "huge":
            continue
        inert = safe(text)
        assert Text(inert).plain == inert.replace("\x07", "")
        assert Content(inert).plain == inert
        with console.capture() as capture:
            console.print(Text(inert), end="")
        written = capture.get()
        # Rich adds no escape sequence of its own for unstyled text; none comes from the string.
        assert "\x1b" not in written and "\x9b" not in written, key
    assert safe(STRINGS["markup-bold"]) == "[bold red]RED ALERT[/bold red]"
    assert safe(STRINGS["markup-click"]) == "[@click=app.quit]quit[/] now"


def test_what_each_kind_of_hostile_string_becomes() -> None:
    assert safe("\x1b[31mred\x1b[0m") == "\ufffd[31mred\ufffd[0m"
    assert safe("\x1b]0;title\x07") == "\ufffd]0;title\ufffd"
    assert safe("\u202eexe.txt") == "\ufffdexe.txt"
    assert safe("a\u200bb") == "a\ufffdb"
    assert safe("lone \ud800") == "lone \ufffd"
    assert safe("\u2764\ufe0f") == "\u2764"
    assert safe("東京 한국어 🎵") == "東京 한국어 🎵"
    assert shown("  ") == "?" and shown("") == "?" and shown("x\x1b") == "x\ufffd"
