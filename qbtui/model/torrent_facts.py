"""Facts that only qBittorrent 5.x reports, in words for the details panel: what happens when a
torrent reaches its share limits, whether its trackers warn or fail, when a tracker is announced to
next. Each is None (and shown nowhere) where the server does not send it. No Textual here."""

from __future__ import annotations

from qbtui.api.models import Torrent, Tracker
from qbtui.util import format as fmt


def tracker_health(torrent: Torrent) -> str | None:
    """5.1+ (WebAPI 2.11.7) flags a torrent whose trackers answered with a warning or an error."""
    flags = (torrent.has_tracker_error, torrent.has_tracker_warning, torrent.has_other_announce_error)
    if all(flag is None for flag in flags):
        return None
    words = []
    if torrent.has_tracker_error:
        words.append("error")
    if torrent.has_tracker_warning:
        words.append("warning")
    if torrent.has_other_announce_error:
        words.append("announce failed")
    return ", ".join(words) if words else "ok"


def general_rows(torrent: Torrent | None) -> list[tuple[str, str]]:
    """Rows for the General tab, after the server's own property fields."""
    if torrent is None:
        return []
    rows = []
    if torrent.share_limit_action is not None:
        rows.append(("At share limit", torrent.share_limit_action.label))
    health = tracker_health(torrent)
    if health is not None:
        rows.append(("Tracker status", health))
    return rows


def has_next_announce(trackers: list[Tracker]) -> bool:
    """5.2+ (WebAPI 2.13) tells when each tracker is announced to next."""
    return any(tracker.next_announce is not None for tracker in trackers)


def next_announce(tracker: Tracker) -> str:
    return "" if tracker.next_announce is None else fmt.duration(tracker.next_announce)
