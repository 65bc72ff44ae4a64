"""Collecting everything qbtui shows, writes or passes on, and searching it for secrets.

A secret is searched in every spelling it could leak in: as typed, URL-encoded (a form body),
JSON-escaped, HTML-escaped (an SVG screenshot) and by its random core alone (a screenshot splits
text into runs, and a space may become `&#160;`).
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

from rich.console import Console
from rich.traceback import Traceback


def spellings(secret: str, core: str | None = None) -> set[str]:
    forms = {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
        secret.encode("unicode_escape").decode("ascii"),
        repr(secret)[1:-1],
    }
    if core:
        forms.add(core)
    return {form for form in forms if len(form) >= 6}


@dataclass
class Evidence:
    """Named texts (outputs, files, screenshots, reprs, error messages) to search."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, where: str, text: str | bytes) -> None:
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        self.items.append((where, text))

    def add_file(self, where: str, path: Path) -> None:
        self.add(f"{where} ({path})", path.read_bytes())

    def add_error(self, where: str, error: BaseException) -> None:
        """The message, the repr, a plain traceback (QBTUI_DEBUG=1) and a crash report that shows
        every frame's local variables (Textual's default), which is the hardest to keep clean."""
        import traceback

        self.add(f"{where}: str", str(error))
        self.add(f"{where}: repr", repr(error))
        self.add(f"{where}: traceback", "".join(traceback.format_exception(error)))
        self.add(f"{where}: crash report with locals", crash_report(error))

    def leaks(self, secrets: dict[str, set[str]]) -> list[str]:
        found = []
        for where, text in self.items:
            for name, forms in secrets.items():
                for form in forms:
                    if form in text:
                        found.append(f"{name} ({form!r}) in {where}")
                        break
        return found

    def assert_clean(self, secrets: dict[str, set[str]]) -> None:
        assert self.items, "nothing was collected"
        leaks = self.leaks(secrets)
        assert not leaks, "\n".join(leaks)


def crash_report(error: BaseException) -> str:
    """What Textual's stock `App._fatal_error` prints: a Rich traceback with `show_locals=True`."""
    console = Console(record=True, width=200, file=io.StringIO(), color_system=None)
    console.print(
        Traceback.from_exception(
            type(error), error, error.__traceback__, show_locals=True, width=200, locals_max_length=5
        )
    )
    return console.export_text()


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants that are alive now."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                queue += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def cmdline(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
