"""An Input for local file-system paths: Tab completes the path (shell-style), then moves focus."""

from __future__ import annotations

import os
from pathlib import Path

from textual.actions import SkipAction
from textual.binding import Binding

from qbtui.ui.widgets.text_field import TextField


def complete_path(text: str, *, suffix: str | None = None) -> tuple[str, list[str]]:
    """Return (completed text, candidate names) for a partly typed path.

    The text is extended by the longest common prefix of the matching entries; a single directory
    match gets a trailing separator. With `suffix`, only directories and files ending in it count.
    """
    expanded = os.path.expanduser(text) if text else ""
    head, _, partial = expanded.rpartition(os.sep)
    directory = Path(head + os.sep if head or expanded.startswith(os.sep) else ".")
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return text, []
    names: list[str] = []
    for entry in entries:
        if not entry.name.startswith(partial):
            continue
        if partial == "" and entry.name.startswith("."):
            continue
        is_dir = entry.is_dir()
        if suffix and not is_dir and not entry.name.lower().endswith(suffix):
            continue
        names.append(entry.name + (os.sep if is_dir else ""))
    if not names:
        return text, []
    common = os.path.commonprefix(names)  # noqa: RUF071 - names, not paths
    prefix = text[: len(text) - len(partial)] if partial else text
    return prefix + common, names


class PathInput(TextField):
    """Tab completes the typed path; when nothing more can be completed Tab moves focus as usual."""

    BINDINGS = [Binding("tab", "complete", "Complete path", show=False, id="path_input.complete")]

    def __init__(self, *args: object, suffix: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.suffix = suffix
        self.candidates: list[str] = []

    def action_complete(self) -> None:
        if not self.value:
            raise SkipAction()
        completed, candidates = complete_path(self.value, suffix=self.suffix)
        self.candidates = candidates
        if completed == self.value:
            if len(candidates) > 1:
                shown = "  ".join(candidates[:12]) + ("  …" if len(candidates) > 12 else "")
                self.app.notify(shown, title="Completions", timeout=4, markup=False)
                return
            raise SkipAction()
        self.value = completed
        self.cursor_position = len(completed)
