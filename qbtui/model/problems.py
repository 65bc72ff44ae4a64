"""What needs the user's attention, each with the reason and the action that fits (no Textual here).

- errored torrents (recheck) and missing files (set the location, then recheck);
- torrents whose trackers fail, and "unregistered" ones a tracker no longer knows (reannounce; an
  unregistered torrent usually has to go, which stays the user's call);
- downloads stalled for longer than a threshold (pause, to free a queue slot);
- low free space on the server's download disk.

Tracker messages cost one request per torrent, so the caller fetches them only for candidates
(`tracker_candidates`): running torrents without a working tracker.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from qbtui.api.models import Torrent, TorrentState, Tracker, TrackerStatus
from qbtui.model.store import Store
from qbtui.util.format import plural
from qbtui.util.units import format_size

DEFAULT_STALLED_MINUTES = 30
DEFAULT_LOW_DISK = 10 * 1024**3
#: What trackers answer for a torrent they deleted or never had (private trackers vary the wording).
_UNREGISTERED = re.compile(
    r"unregistered|not registered|torrent not found|not authorized|infohash not found|not exist|"
    r"torrent has been deleted|trumped|nuked",
    re.IGNORECASE,
)


class Action(enum.Enum):
    RECHECK = "recheck"
    REANNOUNCE = "reannounce"
    SET_LOCATION = "set location"
    PAUSE = "pause"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # "error", "missing files", "unregistered", "tracker", "stalled", "disk"
    hash: str | None
    name: str
    reason: str
    action: Action


def tracker_candidates(store: Store) -> list[str]:
    """Running torrents with no working tracker: the only ones worth asking about their trackers."""
    return [
        t.hash
        for t in store.torrents.values()
        if not t.tracker
        and not t.state.is_paused
        and t.state not in (TorrentState.ERROR, TorrentState.MISSING_FILES)
    ]


def tracker_problem(torrent: Torrent, trackers: list[Tracker]) -> Problem | None:
    real = [t for t in trackers if not t.is_pseudo and t.status is not TrackerStatus.DISABLED]
    if not real or any(t.status is TrackerStatus.WORKING for t in real):
        return None
    messages = [t.msg for t in real if t.msg]
    unregistered = next((m for m in messages if _UNREGISTERED.search(m)), None)
    if unregistered is not None:
        return Problem(
            "unregistered", torrent.hash, torrent.name, f"tracker: {unregistered}", Action.REANNOUNCE
        )
    failing = [t for t in real if t.status.is_failing]
    if not failing:
        return None  # not contacted yet / updating: give it time
    detail = messages[0] if messages else "not working"
    return Problem(
        "tracker",
        torrent.hash,
        torrent.name,
        f"{plural(len(failing), 'tracker')} failing: {detail}",
        Action.REANNOUNCE,
    )


def find_problems(
    store: Store,
    now: float,
    *,
    trackers: Mapping[str, list[Tracker]] | None = None,
    stalled_minutes: int = DEFAULT_STALLED_MINUTES,
    low_disk: int = DEFAULT_LOW_DISK,
) -> list[Problem]:
    found: list[Problem] = []
    for torrent in store.torrents.values():
        state = torrent.state
        if state is TorrentState.MISSING_FILES:
            where = torrent.save_path or "its save path"
            found.append(
                Problem(
                    "missing files",
                    torrent.hash,
                    torrent.name,
                    f"files missing in {where}",
                    Action.SET_LOCATION,
                )
            )
        elif state is TorrentState.ERROR:
            found.append(
                Problem("error", torrent.hash, torrent.name, "qBittorrent reports an error", Action.RECHECK)
            )
        elif state is TorrentState.STALLED_DL:
            quiet = _quiet_minutes(torrent, now)
            if quiet is not None and quiet >= stalled_minutes:
                reason = f"stalled for {quiet:.0f} min ({torrent.num_seeds} seeds connected)"
                found.append(Problem("stalled", torrent.hash, torrent.name, reason, Action.PAUSE))
    for key, listed in (trackers or {}).items():
        tracked = store.torrents.get(key)
        if tracked is not None and (problem := tracker_problem(tracked, listed)) is not None:
            found.append(problem)
    free = store.server_state.free_space_on_disk
    if free is not None and free < low_disk:
        reason = f"{format_size(free)} free on the download disk (warning below {format_size(low_disk)})"
        found.append(Problem("disk", None, "server", reason, Action.NONE))
    order = {"disk": 0, "missing files": 1, "error": 2, "unregistered": 3, "tracker": 4, "stalled": 5}
    return sorted(found, key=lambda p: (order.get(p.kind, 9), p.name.casefold()))


def _quiet_minutes(torrent: Torrent, now: float) -> float | None:
    """Minutes since the torrent last moved data (v2 and legacy ≥ 3.3.11 report last_activity)."""
    if torrent.last_activity is None or torrent.last_activity <= 0:
        return None
    return max(0.0, (now - torrent.last_activity) / 60)
