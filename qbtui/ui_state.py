"""What the TUI remembers between runs: the chosen columns and sort (a small JSON file)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from platformdirs import user_state_dir

from qbtui.columns import COLUMNS, DEFAULT_COLUMNS


def state_path() -> Path:
    override = os.environ.get("QBTUI_STATE_DIR")
    return Path(override or user_state_dir("qbtui")) / "ui-state.json"


@dataclass(slots=True)
class UiState:
    columns: list[str] = field(default_factory=lambda: list(DEFAULT_COLUMNS))
    sort_column: str = "name"
    sort_reverse: bool = False
    sidebar: bool = True
    #: Where `save()` writes; None keeps the state in memory only.
    path: Path | None = field(default=None, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> UiState:
        path = path or state_path()
        state = cls(path=path)
        try:
            raw = json.loads(path.read_text())
        except (OSError, ValueError):
            return state
        if not isinstance(raw, dict):
            return state
        columns = raw.get("columns")
        if isinstance(columns, list) and all(isinstance(c, str) for c in columns):
            state.columns = [c for c in columns if c in COLUMNS] or list(DEFAULT_COLUMNS)
        if raw.get("sort_column") in COLUMNS:
            state.sort_column = raw["sort_column"]
        state.sort_reverse = raw.get("sort_reverse") is True
        state.sidebar = raw.get("sidebar") is not False
        return state

    def save(self) -> None:
        if self.path is None:
            return
        saved = {key: value for key, value in asdict(self).items() if key != "path"}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(saved, indent=2))
        except OSError:
            pass  # Remembering columns is a convenience; never fail the app over it.
