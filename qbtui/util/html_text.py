"""Plain text from the HTML an RSS feed puts in an article's description.

A reader, not a renderer: tags go, entities are decoded, block elements (p, br, li, div, headings,
rows) break lines, list items get a bullet, and what scripts, styles and other non-text elements
hold is dropped. Links keep their target after the text, so an article's "download here" link
stays visible. The result is data for a Rich `Text`: never markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "dd", "dt", "dl",
    }
)  # fmt: skip
_DROPPED = frozenset({"script", "style", "head", "title", "template", "noscript", "iframe", "object", "svg"})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0
        self._links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self._dropping += 1
            return
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")
        if tag == "a":
            self._links.append(dict(attrs).get("href"))
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f"[{alt}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            return
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self._links.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self._dropping = max(self._dropping - 1, 0)
            return
        if tag == "a" and self._links:
            href = self._links.pop()
            if href and not href.startswith(("#", "javascript:")) and not self._dropping:
                self.parts.append(f" <{href}>")
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment (or of plain text, which passes through)."""
    reader = _Reader()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError):  # a parser that gave up: keep what it read
        pass
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(reader.parts).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
