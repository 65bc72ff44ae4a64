"""Files qbtui writes: atomically (temp file in the same directory, fsync, rename), private (0600 by
default, for the config that will hold passwords), and a damaged file is set aside with a note
for the user instead of being overwritten."""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from pathlib import Path

import pytest

import qbtui.settings.ui_state
import qbtui.util.atomicfile
from qbtui.model.columns import DEFAULT_COLUMNS
from qbtui.settings.ui_state import UiState
from qbtui.util.atomicfile import quarantine, write_atomic


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(directory: Path, name: str) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(".tmp")]


# --------------------------------------------------------------------------------------------- atomicfile


def test_write_atomic_is_private_by_default_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "config.toml"
    write_atomic(target, "password = 'x'\n")
    assert target.read_text() == "password = 'x'\n" and mode(target) == 0o600
    target.chmod(0o644)
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second" and mode(target) == 0o600
    write_atomic(target, "public", mode=0o644)
    assert mode(target) == 0o644
    assert leftovers(target.parent, target.name) == []


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "state.json"
    target.write_text("old, complete")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(qbtui.util.atomicfile.os, failing, boom)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, "new " * 1000)
    monkeypatch.undo()
    assert target.read_text() == "old, complete"
    assert leftovers(tmp_path, target.name) == []


def test_readers_never_see_a_partial_file(tmp_path: Path) -> None:
    """A reader polling while the file is rewritten sees one whole version or the other, never a
    truncated or empty one (which a plain open('w') + write shows all the time)."""
    target = tmp_path / "state.json"
    versions = [json.dumps({"v": n, "pad": str(n) * 200_000}) for n in range(2)]
    write_atomic(target, versions[0])
    seen_bad: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            text = target.read_text()
            if text not in versions:
                seen_bad.append(len(text))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(40):
            write_atomic(target, versions[n % 2])
    finally:
        stop.set()
        reader.join()
    assert not seen_bad, f"partial reads of sizes {seen_bad[:5]}"


def test_quarantine_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "ui-state.json"
    target.write_text("{broken")
    first = quarantine(target, now=0)
    assert not target.exists() and first.read_text() == "{broken"
    assert re.fullmatch(r"ui-state\.json\.corrupt-\d{8}-\d{6}", first.name), first.name
    target.write_text("{broken again")
    second = quarantine(target, now=0)
    assert second != first and second.name.endswith("-2")
    assert first.read_text() == "{broken" and second.read_text() == "{broken again"
    with pytest.raises(FileNotFoundError):
        quarantine(tmp_path / "missing.json")


# --------------------------------------------------------------------------------------------- ui_state


def test_round_trip_is_atomic_and_private(tmp_path: Path) -> None:
    path = tmp_path / "state" / "ui-state.json"
    state = UiState.load(path)
    assert state.problem is None and state.columns == list(DEFAULT_COLUMNS)
    state.columns = ["name", "size"]
    state.sort_column, state.sort_reverse, state.sidebar = "size", True, False
    state.save()
    assert mode(path) == 0o600 and leftovers(path.parent, path.name) == []
    again = UiState.load(path)
    assert again == state and again.problem is None
    saved = {"columns", "sort_column", "sort_reverse", "sidebar", "pinned"}
    assert set(json.loads(path.read_text())) == saved


def test_unknown_columns_from_a_newer_version_are_not_corruption(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    path.write_text(json.dumps({"columns": ["name", "future_column"], "sort_column": "future_column"}))
    state = UiState.load(path)
    assert state.problem is None and path.exists()
    assert state.columns == ["name"] and state.sort_column == "name"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b'{"columns": ["name", "si', "not valid JSON"),
        (b'["name", "size"]', "expected a JSON object"),
        (b'{"columns": "name,size"}', "'columns' is not a list"),
        (b'{"sort_reverse": "yes"}', "'sort_reverse' is not true or false"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_a_damaged_file_is_set_aside_and_reported_never_overwritten(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "ui-state.json"
    path.write_bytes(content)
    state = UiState.load(path)
    assert state.problem is not None and reason in state.problem
    assert state.corrupt_backup is not None and state.corrupt_backup.name in state.problem
    assert state.corrupt_backup.read_bytes() == content  # what the user may want to repair
    assert state.columns == list(DEFAULT_COLUMNS)
    state.columns = ["name"]
    state.save()  # a fresh file; the damaged one stays where load() put it
    assert json.loads(path.read_text())["columns"] == ["name"]
    assert state.corrupt_backup.read_bytes() == content


def test_unreadable_or_immovable_files_are_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ui-state.json"
    path.write_text("{damaged")

    def cannot_move(source: object, now: object = None) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(qbtui.settings.ui_state, "quarantine", cannot_move)
    state = UiState.load(path)
    assert state.path is None and state.problem is not None and "could not be moved aside" in state.problem
    state.save()
    assert path.read_text() == "{damaged"

    monkeypatch.setattr(
        Path, "read_bytes", lambda self: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
    )
    state = UiState.load(path)
    assert state.path is None and "cannot read" in (state.problem or "")
    monkeypatch.undo()
    state.save()
    assert path.read_text() == "{damaged"


def test_save_failures_are_silent(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    UiState(path=blocker / "ui-state.json").save()  # no exception: remembering columns is optional
    assert os.listdir(tmp_path) == ["not-a-dir"]
