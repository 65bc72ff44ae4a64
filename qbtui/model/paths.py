"""Where one server's paths are on another: each server's path map (config `path_map`) says where
its directories are in a namespace the fleet shares, e.g. a NAS mounted at /downloads on one box and
/mnt/nas on another. No Textual here.

    a: path_map = { "/downloads" = "/srv/pool" }      /downloads/x   -> /srv/pool/x
    b: path_map = { "/data" = "/srv/pool" }           /srv/pool/x    -> /data/x

The longest prefix that ends at a directory boundary wins; a path no entry covers is the same path
everywhere. Both `/` and `\\` separate directories (qBittorrent on Windows sends `C:\\...` or `C:/...`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

_SEPARATORS = "/\\"


def _trimmed(path: str) -> str:
    stripped = path.rstrip(_SEPARATORS)
    return stripped if stripped else path[:1]


def _under(path: str, prefix: str) -> str | None:
    """The rest of `path` below `prefix` ("" for the prefix itself), or None when it is not below it."""
    if not prefix:
        return None
    if path == prefix:
        return ""
    if prefix[-1] in _SEPARATORS:
        return path[len(prefix) :] if path.startswith(prefix) else None
    if path.startswith(prefix) and path[len(prefix)] in _SEPARATORS:
        return path[len(prefix) + 1 :]
    return None


def _join(base: str, rest: str) -> str:
    if not rest:
        return base
    separator = "\\" if "\\" in base and "/" not in base else "/"
    return base.rstrip(_SEPARATORS) + separator + rest


@dataclass(frozen=True, slots=True)
class PathMap:
    """(server path, shared path) pairs of one server."""

    pairs: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> PathMap:
        return cls(tuple((_trimmed(server), _trimmed(shared)) for server, shared in pairs))

    def to_shared(self, path: str) -> str:
        """A path as this server sees it, in the shared namespace."""
        return _translate(path, self.pairs, 0)

    def from_shared(self, path: str) -> str:
        """A path of the shared namespace, as this server sees it."""
        return _translate(path, self.pairs, 1)


def _translate(path: str, pairs: tuple[tuple[str, str], ...], side: int) -> str:
    best: tuple[int, str, str] | None = None
    for pair in pairs:
        prefix, other = pair[side], pair[1 - side]
        rest = _under(path, prefix)
        if rest is not None and (best is None or len(prefix) > best[0]):
            best = (len(prefix), other, rest)
    if best is None:
        return path
    return _join(best[1], best[2])


def map_path(path: str, source: PathMap, target: PathMap) -> str:
    """`path` on the source server, as the target server sees the same place."""
    return target.from_shared(source.to_shared(path))


def same_place(path: str, map_a: PathMap, other: str, map_b: PathMap) -> bool:
    """Whether two servers' paths name the same place in the shared namespace."""
    if not path or not other:
        return False
    return _trimmed(map_a.to_shared(path)) == _trimmed(map_b.to_shared(other))
