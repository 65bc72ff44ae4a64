"""What an add did, source by source: 5.2+ servers (WebAPI 2.14) name the torrents they added, so a
.torrent file or magnet link whose info-hash is not among them was refused, and links the server
still fetches (http URLs) are pending. Older servers only say "Ok.": nothing can be told apart.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qbtui.api.base import TorrentFileUpload
from qbtui.api.models import AddResult
from qbtui.util import torrentfile

_BTIH = re.compile(r"[?&]xt=urn:btih:([0-9a-zA-Z]+)", re.IGNORECASE)


def magnet_hash(link: str) -> str | None:
    """The v1 info-hash of a magnet link as lower-case hex (hex or base32 in the link), else None."""
    match = _BTIH.search(link)
    if match is None:
        return None
    text = match.group(1)
    if len(text) == 40:
        return text.lower()
    if len(text) == 32:
        try:
            return base64.b32decode(text.upper()).hex()
        except ValueError:
            return None
    return None


def _hash_of(upload: TorrentFileUpload) -> str | None:
    try:
        return torrentfile.parse(upload.data).info_hash
    except torrentfile.InvalidTorrentFile:
        return None


@dataclass(frozen=True, slots=True)
class AddOutcome:
    added: tuple[str, ...]  # info-hashes the server added
    failed_sources: tuple[str, ...]  # file names and links it did not add
    pending: int  # links the server is still fetching
    message: str


def outcome(result: AddResult, urls: Sequence[str], uploads: Sequence[TorrentFileUpload]) -> AddOutcome:
    added = set(result.added_ids)
    failed: list[str] = []
    for upload in uploads:
        if _hash_of(upload) not in added:
            failed.append(upload.filename)
    for link in urls:
        info_hash = magnet_hash(link)
        if info_hash is not None and info_hash not in added:
            failed.append(link)
    # The server counts its refusals too (a URL it could not even start to fetch): when it reports
    # more than we can name, say so by number.
    unnamed = max(result.failed - len(failed), 0)
    parts = [f"added {len(result.added_ids)} torrent{'s' if len(result.added_ids) != 1 else ''}"]
    if result.pending:
        parts.append(f"{result.pending} link{'s' if result.pending != 1 else ''} still being fetched")
    if failed:
        parts.append("not added: " + ", ".join(failed))
    if unnamed:
        parts.append(f"{unnamed} more not added")
    return AddOutcome(tuple(result.added_ids), tuple(failed), result.pending, "; ".join(parts))
