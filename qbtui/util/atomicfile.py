"""Writing small files so that a crash, a full disk or a power cut never leaves half a file, and
setting a broken file aside instead of overwriting it. No Textual here: the config reuses it.

`write_atomic` writes a temporary file in the same directory (so the rename stays on one file
system), fsyncs it, gives it its final mode, renames it over the target with `os.replace` (atomic on
POSIX) and fsyncs the directory so the rename itself survives a power cut. Readers see the old file
or the new one, never a mix. The mode defaults to 0600: files that may hold secrets (the config
with passwords) are private from their first byte, since the temporary file is created 0600.

`quarantine` renames a file that could not be parsed to `<name>.corrupt-<timestamp>` so that the
next save cannot destroy what the user may still want to repair by hand.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

PRIVATE = 0o600


def write_atomic(path: str | os.PathLike[str], data: bytes | str, mode: int = PRIVATE) -> None:
    """Replace `path` with `data` in one step; raises OSError (and leaves `path` as it was) on failure."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = target.parent
    directory.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600 (O_EXCL, no symlink following) in the target's directory.
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable. Best effort: some file systems refuse to fsync a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def quarantine(path: str | os.PathLike[str], now: float | None = None) -> Path:
    """Rename a corrupt file to `<name>.corrupt-<YYYYmmdd-HHMMSS>` (never over an existing file);
    returns the new path. Raises OSError when the rename is impossible."""
    source = Path(path)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    candidate = source.with_name(f"{source.name}.corrupt-{stamp}")
    counter = 1
    while True:
        try:
            # link + unlink instead of rename: a rename would silently replace an existing target.
            os.link(source, candidate)
        except FileExistsError:
            counter += 1
            candidate = source.with_name(f"{source.name}.corrupt-{stamp}-{counter}")
            continue
        except OSError:
            # No hard links here (some file systems): rename, after checking the name is free.
            if candidate.exists():
                counter += 1
                candidate = source.with_name(f"{source.name}.corrupt-{stamp}-{counter}")
                continue
            os.replace(source, candidate)
            return candidate
        os.unlink(source)
        return candidate
