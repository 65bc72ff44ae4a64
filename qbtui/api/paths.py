"""Folders and free space on the server (`app/getDirectoryContent` 5.0+, `app/getFreeSpaceAtPath`
5.3+): what save paths, move targets and the creator's source complete and browse on.

Every path here is the server's, never this machine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from qbtui.api import errors
from qbtui.api.coerce import as_int, as_str
from qbtui.api.gates import DIRECTORY_CONTENT, FREE_SPACE, V2Calls
from qbtui.api.models import json_list

Mode = Literal["all", "dirs", "files"]


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    path: str  # the full path on the server
    is_dir: bool

    @property
    def name(self) -> str:
        sep = separator(self.path)
        return self.path.rstrip(sep).rsplit(sep, 1)[-1] or self.path


def separator(path: str) -> str:
    """`/`, or `\\` for a Windows server's paths (qBittorrent gives them with native separators)."""
    return "\\" if "\\" in path and "/" not in path else "/"


def parent_of(path: str) -> str:
    """The folder above `path` ("/" stays "/", "C:\\" stays "C:\\")."""
    sep = separator(path)
    stripped = path.rstrip(sep)
    if sep not in stripped:
        return stripped + sep if stripped.endswith(":") else sep
    head = stripped.rsplit(sep, 1)[0]
    if not head or head.endswith(":"):
        return head + sep
    return head


def join(folder: str, name: str) -> str:
    sep = separator(folder)
    return folder if not name else (folder if folder.endswith(sep) else folder + sep) + name


class PathCalls(V2Calls):
    """Server folder listings and free space, mixed into `QbtApi`."""

    async def _listing(self, path: str, mode: Mode) -> list[str]:
        try:
            response = await self.v2_get("app/getDirectoryContent", {"dirPath": path, "mode": mode})
        except errors.NotFound:
            raise errors.NotFound(f"{path}: no such folder on the server") from None
        except errors.Rejected as exc:
            if exc.status == 400:
                raise errors.Rejected(f"{path}: not an absolute folder path on the server", 400) from None
            raise
        data = self.v2_json(response, "app/getDirectoryContent")
        return [as_str(item) for item in json_list(data, "app/getDirectoryContent") if as_str(item)]

    async def directory_content(self, path: str, *, files: bool = False) -> list[DirectoryEntry]:
        """The folders in `path` (and its files, with `files`), sorted by name, folders first.
        Hidden entries are not listed by the server."""
        self.gate(DIRECTORY_CONTENT)
        entries = [DirectoryEntry(p, True) for p in await self._listing(path, "dirs")]
        if files:
            entries += [DirectoryEntry(p, False) for p in await self._listing(path, "files")]
        return sorted(entries, key=lambda e: (not e.is_dir, e.name.casefold(), e.name))

    async def free_space_at(self, path: str) -> int:
        """Bytes free at `path` (or its nearest existing parent) on the server's disk."""
        self.gate(FREE_SPACE)
        text = (await self.v2_get("app/getFreeSpaceAtPath", {"path": path})).text.strip()
        value = as_int(text, None)
        if value is None or value < 0:
            raise errors.BadResponse(f"app/getFreeSpaceAtPath: not a number of bytes: {text[:40]!r}")
        return value
