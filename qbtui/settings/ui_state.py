"""What the TUI remembers between runs: the chosen columns and sort (a small JSON file).

The file is written atomically (`qbtui.util.atomicfile`), so a crash mid-save leaves the old state. A
file that cannot be understood is never overwritten: `load()` renames it to
`ui-state.json.corrupt-<timestamp>` and says so in `UiState.problem`, for the UI to show; if even
that rename fails, the state stays in memory only (`path` is None) and nothing is saved over it.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_state_dir

from qbtui.model.columns import COLUMNS, DEFAULT_COLUMNS
from qbtui.util.atomicfile import quarantine, write_atomic

#: Not a secret, but nobody else's business either.
STATE_FILE_MODE = 0o600


def state_path() -> Path:
    override = os.environ.get("QBTUI_STATE_DIR")
    return Path(override or user_state_dir("qbtui")) / "ui-state.json"


class CorruptState(ValueError):
    """The file exists but is not a ui-state document."""


@dataclass(slots=True)
class UiState:
    columns: list[str] = field(default_factory=lambda: list(DEFAULT_COLUMNS))
    sort_column: str = "name"
    sort_reverse: bool = False
    sidebar: bool = True
    #: Columns pinned in the chooser (`O`, `p`): they stay while any other column can leave.
    pinned: list[str] = field(default_factory=list)
    #: Where `save()` writes; None keeps the state in memory only.
    path: Path | None = field(default=None, compare=False)
    #: Set by `load()` when the file was unusable: one sentence for the user (what happened, where
    #: the old file went). None when all is well.
    problem: str | None = field(default=None, compare=False)
    #: Where a corrupt file was moved by `load()`.
    corrupt_backup: Path | None = field(default=None, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> UiState:
        path = path or state_path()
        state = cls(path=path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return state
        except OSError as exc:
            # Unreadable (permissions, I/O error): use defaults, and never write over it.
            state.path = None
            state.problem = (
                f"cannot read {path} ({exc.strerror or exc}); column and sort changes will not be saved"
            )
            return state
        try:
            state._apply(_parse(data))
        except CorruptState as exc:
            state._set_aside(path, str(exc))
        return state

    def _apply(self, raw: dict[str, Any]) -> None:
        columns = raw.get("columns", self.columns)
        # Columns this version does not know (a newer qbtui's) are dropped, not an error.
        self.columns = [c for c in columns if c in COLUMNS] or list(DEFAULT_COLUMNS)
        if raw.get("sort_column") in COLUMNS:
            self.sort_column = raw["sort_column"]
        self.sort_reverse = raw.get("sort_reverse", self.sort_reverse)
        self.sidebar = raw.get("sidebar", self.sidebar)
        self.pinned = [c for c in raw.get("pinned", []) if c in COLUMNS]

    def _set_aside(self, path: Path, reason: str) -> None:
        try:
            backup = quarantine(path)
        except OSError as exc:
            self.path = None
            self.problem = (
                f"{path} is damaged ({reason}) and could not be moved aside ({exc.strerror or exc}); "
                "using the default columns without saving"
            )
            return
        self.corrupt_backup = backup
        self.problem = f"{path} was damaged ({reason}); it was kept as {backup.name} and defaults are in use"

    def save(self) -> None:
        if self.path is None:
            return
        saved = {key: value for key, value in asdict(self).items() if key in _SAVED_FIELDS}
        # Remembering columns is a convenience; never fail the app over it.
        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps(saved, indent=2) + "\n", mode=STATE_FILE_MODE)


_SAVED_FIELDS = ("columns", "sort_column", "sort_reverse", "sidebar", "pinned")


def _parse(data: bytes) -> dict[str, Any]:
    """The document, or CorruptState naming what is wrong with it."""
    if not data.strip():
        raise CorruptState("the file is empty")
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CorruptState("not UTF-8 text") from None
    except ValueError as exc:
        raise CorruptState(f"not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise CorruptState(f"expected a JSON object, found {type(raw).__name__}")
    for key in ("columns", "pinned"):
        names = raw.get(key, [])
        if not isinstance(names, list) or not all(isinstance(c, str) for c in names):
            raise CorruptState(f"{key!r} is not a list of names")
    if "sort_column" in raw and not isinstance(raw["sort_column"], str):
        raise CorruptState("'sort_column' is not a name")
    for key in ("sort_reverse", "sidebar"):
        if key in raw and not isinstance(raw[key], bool):
            raise CorruptState(f"{key!r} is not true or false")
    return raw
