"""The torrent table's columns: what each shows, how it sorts, how wide it is (no Textual here)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qbtui.api.models import Torrent
from qbtui.util import format as fmt

#: The roles a server plays, as far as the table's columns are concerned (see qbtui.model.column_layout).
SEEDING = "seeding"
DOWNLOADING = "downloading"


_LAST = math.inf


_STATE_LABELS: dict[tuple[object, str], str] = {}


def _state_label(torrent: Torrent) -> str:
    """`Torrent.state_label`, looked up: a sort computes it for every torrent, and there are only
    a few dozen states."""
    key = (torrent.state, torrent.state_raw)
    label = _STATE_LABELS.get(key)
    if label is None:
        label = torrent.state_label
        if len(_STATE_LABELS) < 256:  # a server can send any string as a state
            _STATE_LABELS[key] = label
    return label


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    text: Callable[[Torrent], str]
    sort_key: Callable[[Torrent], Any]
    align_right: bool = False
    #: Fields of the raw torrent object that this column depends on (for partial repaints/resorts).
    fields: frozenset[str] = frozenset()
    #: How long the column stays when the terminal is too narrow, on a seeding and on a downloading
    #: server: the higher, the longer it stays.
    priority: tuple[int, int] = (5, 5)
    #: Only on servers that have the data (v2 tags).
    v2_only: bool = False
    #: The narrowest the column may be cut to (with an ellipsis); None: never cut below what its
    #: cells need (numbers, dates, speeds are unreadable cut).
    min_width: int | None = None
    #: The header when the title does not fit (a progress column cut to its percentage).
    short_title: str = ""

    def rank(self, role: str) -> int:
        return self.priority[0] if role == SEEDING else self.priority[1]


def _none_last(value: Any) -> Any:
    # A float, not a (missing, value) pair: sorting 50,000 floats is several times faster than
    # sorting pairs, or ints above 2**30 (byte counts, timestamps), which CPython compares slowly.
    return _LAST if value is None else float(value)


def _col(
    key: str,
    title: str,
    text: Callable[[Torrent], str],
    sort: Callable[[Torrent], Any],
    fields: str,
    *,
    right: bool = False,
    priority: tuple[int, int] = (5, 5),
    v2_only: bool = False,
    min_width: int | None = None,
    short_title: str = "",
) -> Column:
    return Column(
        key, title, text, sort, right, frozenset(fields.split()), priority, v2_only, min_width, short_title
    )


def _flag(on: bool) -> str:
    return "✓" if on else ""


#: The Server column (several servers in one table); the table shows it only then.
SERVER_COLUMN = "server"
#: The raw field the fleet reports a change of `Torrent.copies` as (qbtui.model.fleet.COPIES_FIELD).
COPIES_FIELD = "~copies"


def _server(t: Torrent) -> str:
    # "×2": the same info-hash is on two of the servers (the `copies` filter finds them).
    return f"{t.server} ×{t.copies}" if t.copies > 1 else t.server


def _availability(value: float | None) -> str:
    """Copies of the torrent the connected peers hold together (-1: unknown yet)."""
    return "" if value is None or value < 0 else f"{value:.3f}"


#: Priorities are (on a seeding server, on a downloading one). A seeder watches upload speed and
#: ratio first; a downloader progress, download speed and ETA. Both keep Down, Up, ETA and Ratio
#: before State, Size, Seeds and Peers.
COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        _col("name", "Name", lambda t: t.name, lambda t: t.name.casefold(), "name", priority=(1000, 1000)),
        _col(
            "size",
            "Size",
            lambda t: fmt.size(t.size),
            lambda t: float(t.size),  # floats sort faster than big ints (see _none_last)
            "size",
            right=True,
            priority=(50, 55),
        ),
        _col(
            "progress",
            "Progress",
            lambda t: fmt.percent(t.progress),
            lambda t: t.progress,
            "progress",
            priority=(70, 100),
            short_title="Done",
        ),
        _col(
            "state",
            "State",
            lambda t: t.state_label,
            _state_label,
            "state",
            priority=(65, 60),
            # "downloading" whole: a state cut to "downlo…" says less than no column at all.
            min_width=11,
        ),
        _col(
            "seeds",
            "Seeds",
            lambda t: fmt.count_pair(t.num_seeds, t.num_complete),
            lambda t: t.num_seeds,
            "num_seeds num_complete",
            right=True,
            priority=(35, 45),
        ),
        _col(
            "peers",
            "Peers",
            lambda t: fmt.count_pair(t.num_leechs, t.num_incomplete),
            lambda t: t.num_leechs,
            "num_leechs num_incomplete",
            right=True,
            priority=(45, 40),
        ),
        _col(
            "down",
            "Down",
            lambda t: fmt.speed(t.dl_speed) if t.dl_speed else "",
            lambda t: t.dl_speed,
            "dlspeed",
            right=True,
            priority=(85, 95),
        ),
        _col(
            "up",
            "Up",
            lambda t: fmt.speed(t.up_speed) if t.up_speed else "",
            lambda t: t.up_speed,
            "upspeed",
            right=True,
            priority=(100, 80),
        ),
        _col(
            "eta",
            "ETA",
            lambda t: fmt.duration(t.eta) if not t.state.is_complete else "",
            lambda t: _none_last(t.eta),
            "eta",
            right=True,
            priority=(75, 90),
        ),
        _col(
            "ratio",
            "Ratio",
            lambda t: fmt.ratio(t.ratio),
            lambda t: _none_last(t.ratio),
            "ratio",
            right=True,
            priority=(95, 75),
        ),
        _col(
            "category",
            "Category",
            lambda t: t.category,
            lambda t: t.category.casefold(),
            "category label",
            priority=(30, 30),
            min_width=8,
        ),
        _col(
            "tags",
            "Tags",
            lambda t: ", ".join(t.tags),
            lambda t: ", ".join(t.tags).casefold(),
            "tags",
            priority=(25, 25),
            v2_only=True,
            min_width=8,
        ),
        _col(
            "added",
            "Added",
            lambda t: fmt.timestamp(t.added_on),
            lambda t: _none_last(t.added_on),
            "added_on",
            priority=(20, 20),
        ),
        _col(
            "completed",
            "Completed",
            lambda t: fmt.timestamp(t.completion_on),
            lambda t: _none_last(t.completion_on),
            "completion_on",
            priority=(22, 10),
        ),
        _col(
            "queue",
            "#",
            lambda t: str(t.queue_position) if t.queue_position else "",
            lambda t: _none_last(t.queue_position),
            "priority",
            right=True,
            priority=(15, 35),
        ),
        _col(
            "save_path",
            "Save path",
            lambda t: t.save_path,
            lambda t: t.save_path,
            "save_path",
            priority=(8, 8),
            min_width=12,
        ),
        _col(
            "tracker",
            "Tracker",
            lambda t: t.tracker,
            lambda t: t.tracker,
            "tracker",
            priority=(10, 10),
            min_width=12,
        ),
        _col(
            "downloaded",
            "Downloaded",
            lambda t: fmt.size(t.downloaded),
            lambda t: float(t.downloaded),
            "downloaded",
            right=True,
            priority=(12, 18),
        ),
        _col(
            "uploaded",
            "Uploaded",
            lambda t: fmt.size(t.uploaded),
            lambda t: float(t.uploaded),
            "uploaded",
            right=True,
            priority=(18, 12),
        ),
        _col(
            "dl_limit",
            "Down limit",
            lambda t: fmt.limit(t.dl_limit),
            lambda t: _none_last(t.dl_limit),
            "dl_limit",
            right=True,
            priority=(5, 6),
        ),
        _col(
            "up_limit",
            "Up limit",
            lambda t: fmt.limit(t.up_limit),
            lambda t: _none_last(t.up_limit),
            "up_limit",
            right=True,
            priority=(6, 5),
        ),
        # The rest of the WebUI's columns (off by default).
        _col(
            "availability",
            "Availability",
            lambda t: _availability(t.availability),
            lambda t: _none_last(
                t.availability if t.availability is not None and t.availability >= 0 else None
            ),
            "availability",
            right=True,
            priority=(7, 14),
            v2_only=True,
        ),
        _col(
            "left",
            "Left",
            lambda t: fmt.size(t.amount_left),
            lambda t: float(t.amount_left),
            "amount_left remaining",
            right=True,
            priority=(6, 16),
        ),
        _col(
            "time_active",
            "Active",
            lambda t: fmt.duration(t.time_active) if t.time_active is not None else "",
            lambda t: _none_last(t.time_active),
            "time_active",
            right=True,
            priority=(9, 7),
        ),
        _col(
            "seeding_time",
            "Seeding time",
            lambda t: fmt.duration(t.seeding_time) if t.seeding_time is not None else "",
            lambda t: _none_last(t.seeding_time),
            "seeding_time",
            right=True,
            priority=(11, 5),
            v2_only=True,
        ),
        _col(
            "activity",
            "Last activity",
            lambda t: fmt.timestamp(t.last_activity),
            lambda t: _none_last(t.last_activity),
            "last_activity",
            priority=(7, 9),
        ),
        _col(
            "hash",
            "Info hash",
            lambda t: t.infohash_v1 or t.hash,
            lambda t: t.infohash_v1 or t.hash,
            "infohash_v1",
            priority=(2, 2),
            min_width=8,
        ),
        _col(
            "private",
            "Private",
            lambda t: _flag(bool(t.private)),
            lambda t: _none_last(t.private),
            "private",
            priority=(3, 3),
            v2_only=True,
        ),
        # What `o`, `F`, `Z`, `M` and `f` toggle: off by default, a tick where it is on.
        _col(
            "sequential",
            "Sequential",
            lambda t: _flag(t.seq_dl),
            lambda t: t.seq_dl,
            "seq_dl",
            priority=(3, 4),
        ),
        _col(
            "first_last",
            "First/last",
            lambda t: _flag(t.f_l_piece_prio),
            lambda t: t.f_l_piece_prio,
            "f_l_piece_prio",
            priority=(3, 4),
        ),
        _col(
            "super_seeding",
            "Super seed",
            lambda t: _flag(t.super_seeding),
            lambda t: t.super_seeding,
            "super_seeding",
            priority=(4, 3),
        ),
        _col(
            "auto_tmm",
            "Auto TMM",
            lambda t: _flag(t.auto_tmm),
            lambda t: t.auto_tmm,
            "auto_tmm",
            priority=(3, 3),
        ),
        _col(
            "force_start",
            "Forced",
            lambda t: _flag(t.force_start),
            lambda t: t.force_start,
            "force_start",
            priority=(4, 4),
        ),
        # Only in a fleet (several servers in one table): the table leaves it out otherwise.
        _col(
            SERVER_COLUMN,
            "Server",
            _server,
            lambda t: (t.server.casefold(), t.copies),
            COPIES_FIELD,
            priority=(90, 90),
            # Never cut: two servers' names cut alike would make two rows look the same.
        ),
    )
}

DEFAULT_COLUMNS = (
    "name",
    "size",
    "progress",
    "state",
    "seeds",
    "peers",
    "down",
    "up",
    "eta",
    "ratio",
    "category",
)
