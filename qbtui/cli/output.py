"""Where command results go: a readable rendering, or one JSON document with `--json`."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from typing import Any, TextIO

from qbtui.cli.format import dumps


class Output:
    """Every command prints through this, so `--json` is honoured everywhere the same way.

    In JSON mode each command prints exactly one JSON document; a command with nothing to
    report prints `{"ok": true}` (plus any details it has), so scripts can always parse stdout.
    """

    def __init__(self, json_mode: bool = False, stream: TextIO | None = None) -> None:
        self.json_mode = json_mode
        self.stream = stream if stream is not None else sys.stdout

    @property
    def width(self) -> int | None:
        """The terminal width when printing to one; None (no truncation) for pipes and files."""
        isatty = getattr(self.stream, "isatty", None)
        if isatty is None or not isatty():
            return None
        return shutil.get_terminal_size().columns

    def emit(self, data: Any, render: Callable[[], str]) -> None:
        """Print `data` as JSON, or what `render()` makes of it."""
        self.write(dumps(data) if self.json_mode else render())

    def done(self, message: str, **details: Any) -> None:
        """Report a command that has no result of its own."""
        self.write(dumps({"ok": True, **details}) if self.json_mode else message)

    def write(self, text: str) -> None:
        if text:
            self.stream.write(text if text.endswith("\n") else text + "\n")
