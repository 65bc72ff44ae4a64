"""What a torrent is shared as: its magnet link and info-hashes (no Textual here)."""

from __future__ import annotations

from urllib.parse import quote

from qbtui.api.models import Torrent


def magnet_link(torrent: Torrent) -> str:
    """The server's own magnet link (4.1+), else one made from the hash, name and current tracker,
    as qBittorrent makes it (the legacy API sends none)."""
    if torrent.magnet_uri:
        return torrent.magnet_uri
    link = f"magnet:?xt=urn:btih:{torrent.hash}"
    if torrent.name:
        link += f"&dn={quote(torrent.name, safe='')}"
    if torrent.tracker:
        link += f"&tr={quote(torrent.tracker, safe='')}"
    return link


def info_hash(torrent: Torrent) -> str:
    """The v1 info-hash, else the v2 one (a v2-only torrent): what other clients and trackers know
    the torrent by. A hybrid torrent's id in qBittorrent is its v2 hash cut to 40 digits."""
    return torrent.infohash_v1 or torrent.infohash_v2 or torrent.hash
