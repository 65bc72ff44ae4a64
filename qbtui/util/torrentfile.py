"""Reading and writing .torrent metainfo files (BitTorrent v1)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from qbtui.util import bencode


class InvalidTorrentFile(ValueError):
    """The bytes are not a usable .torrent file; the message says why."""


@dataclass(frozen=True, slots=True)
class MetaFile:
    path: str  # relative, "/"-separated, starting with the torrent name for multi-file torrents
    size: int


@dataclass(frozen=True, slots=True)
class TorrentMeta:
    info_hash: str  # v1 info-hash, lower-case hex
    name: str
    piece_length: int
    piece_hashes: tuple[str, ...]
    files: tuple[MetaFile, ...]
    trackers: tuple[str, ...] = ()
    web_seeds: tuple[str, ...] = ()
    comment: str = ""
    created_by: str = ""
    creation_date: int | None = None
    private: bool = False
    multi_file: bool = False

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def piece_count(self) -> int:
        return len(self.piece_hashes)

    def magnet_uri(self) -> str:
        from urllib.parse import quote

        parts = [f"magnet:?xt=urn:btih:{self.info_hash}", f"dn={quote(self.name, safe='')}"]
        parts += [f"tr={quote(url, safe='')}" for url in self.trackers]
        return "&".join(parts)


def _text(value: object, default: str = "") -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return default


def _info_span(data: bytes) -> bytes:
    """Return the exact bytes of the top-level `info` value, as hashed by every client."""
    if not data.startswith(b"d"):
        raise InvalidTorrentFile("not a bencoded dictionary")
    pos = 1
    while data[pos : pos + 1] != b"e":
        key, length = bencode.decode_prefix(data[pos:])
        start = pos + length
        _, length = bencode.decode_prefix(data[start:])
        pos = start + length
        if key == b"info":
            return data[start:pos]
    raise InvalidTorrentFile("no info dictionary")


def parse(data: bytes) -> TorrentMeta:
    """Parse .torrent bytes; raise InvalidTorrentFile with a reason a person can act on."""
    try:
        root = bencode.decode(data)
    except bencode.BencodeError as exc:
        raise InvalidTorrentFile(f"not a .torrent file ({exc})") from None
    if not isinstance(root, dict) or not isinstance(root.get(b"info"), dict):
        raise InvalidTorrentFile("not a .torrent file (no info dictionary)")
    info = root[b"info"]
    name = _text(info.get(b"name.utf-8") or info.get(b"name"))
    if not name:
        raise InvalidTorrentFile("the torrent has no name")
    piece_length = info.get(b"piece length")
    pieces = info.get(b"pieces")
    if not isinstance(piece_length, int) or piece_length <= 0:
        raise InvalidTorrentFile("the torrent has no valid piece length")
    if not isinstance(pieces, bytes) or len(pieces) % 20:
        raise InvalidTorrentFile("the torrent's piece hashes are malformed")
    files: list[MetaFile] = []
    multi = isinstance(info.get(b"files"), list)
    if multi:
        for entry in info[b"files"]:
            if not isinstance(entry, dict) or not isinstance(entry.get(b"length"), int):
                raise InvalidTorrentFile("a file entry has no length")
            parts = entry.get(b"path.utf-8") or entry.get(b"path")
            if not isinstance(parts, list) or not parts:
                raise InvalidTorrentFile("a file entry has no path")
            files.append(MetaFile("/".join([name, *(_text(p) for p in parts)]), entry[b"length"]))
    elif isinstance(info.get(b"length"), int):
        files.append(MetaFile(name, info[b"length"]))
    else:
        raise InvalidTorrentFile("the torrent has neither a length nor a file list")
    trackers: list[str] = []
    announce_list = root.get(b"announce-list")
    if isinstance(announce_list, list):
        for tier in announce_list:
            if isinstance(tier, list):
                trackers += [_text(url) for url in tier if isinstance(url, bytes)]
    if not trackers and isinstance(root.get(b"announce"), bytes):
        trackers.append(_text(root[b"announce"]))
    url_list = root.get(b"url-list")
    seeds = [url_list] if isinstance(url_list, bytes) else url_list if isinstance(url_list, list) else []
    creation = root.get(b"creation date")
    return TorrentMeta(
        info_hash=hashlib.sha1(_info_span(data)).hexdigest(),
        name=name,
        piece_length=piece_length,
        piece_hashes=tuple(pieces[i : i + 20].hex() for i in range(0, len(pieces), 20)),
        files=tuple(files),
        trackers=tuple(trackers),
        web_seeds=tuple(_text(s) for s in seeds if isinstance(s, bytes)),
        comment=_text(root.get(b"comment")),
        created_by=_text(root.get(b"created by")),
        creation_date=creation if isinstance(creation, int) else None,
        private=info.get(b"private") == 1,
        multi_file=multi,
    )


def read(path: str | os.PathLike[str]) -> TorrentMeta:
    """Read and parse a .torrent file from disk."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidTorrentFile(f"cannot read {path}: {exc.strerror}") from None
    return parse(data)


@dataclass(slots=True)
class TorrentBuilder:
    """Builds a real .torrent from files on disk (used by tests, the benchmark and the simulator)."""

    root: Path
    piece_length: int = 16384
    trackers: list[str] = field(default_factory=list)
    comment: str = ""
    created_by: str = "qbtui"
    private: bool = False

    def build(self) -> bytes:
        root = Path(self.root)
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        blob = bytearray()
        hashes = bytearray()
        for path in paths:
            blob += path.read_bytes()
            while len(blob) >= self.piece_length:
                hashes += hashlib.sha1(blob[: self.piece_length]).digest()
                del blob[: self.piece_length]
        if blob:
            hashes += hashlib.sha1(blob).digest()
        info: dict[str, object] = {
            "name": root.name,
            "piece length": self.piece_length,
            "pieces": bytes(hashes),
        }
        if root.is_file():
            info["length"] = root.stat().st_size
        else:
            info["files"] = [
                {"length": p.stat().st_size, "path": list(p.relative_to(root).parts)} for p in paths
            ]
        if self.private:
            info["private"] = 1
        meta: dict[str, object] = {"info": info, "created by": self.created_by, "creation date": 0}
        if self.comment:
            meta["comment"] = self.comment
        if self.trackers:
            meta["announce"] = self.trackers[0]
            meta["announce-list"] = [[url] for url in self.trackers]
        return bencode.encode(meta)
