"""The torrent table's columns: what each shows, how it sorts, how wide it is (no Textual here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qbtui import format as fmt
from qbtui.api.models import Torrent


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int
    text: Callable[[Torrent], str]
    sort_key: Callable[[Torrent], Any]
    align_right: bool = False
    #: Fields of the raw torrent object that this column depends on (for partial repaints/resorts).
    fields: frozenset[str] = frozenset()
    #: Lower drops first when the terminal is too narrow.
    priority: int = 5
    #: Only on servers that have the data (v2 tags).
    v2_only: bool = False


def _none_last(value: Any) -> tuple[bool, Any]:
    return (value is None, value if value is not None else 0)


def _col(
    key: str,
    title: str,
    width: int,
    text: Callable[[Torrent], str],
    sort: Callable[[Torrent], Any],
    fields: str,
    *,
    right: bool = False,
    priority: int = 5,
    v2_only: bool = False,
) -> Column:
    return Column(key, title, width, text, sort, right, frozenset(fields.split()), priority, v2_only)


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        _col("name", "Name", 0, lambda t: t.name, lambda t: t.name.casefold(), "name", priority=10),
        _col(
            "size", "Size", 10, lambda t: fmt.size(t.size), lambda t: t.size, "size", right=True, priority=8
        ),
        _col(
            "progress",
            "Progress",
            14,
            lambda t: fmt.percent(t.progress),
            lambda t: t.progress,
            "progress",
            priority=9,
        ),
        _col("state", "State", 15, lambda t: t.state_label, lambda t: t.state_label, "state", priority=9),
        _col(
            "seeds",
            "Seeds",
            10,
            lambda t: fmt.count_pair(t.num_seeds, t.num_complete),
            lambda t: t.num_seeds,
            "num_seeds num_complete",
            right=True,
            priority=5,
        ),
        _col(
            "peers",
            "Peers",
            10,
            lambda t: fmt.count_pair(t.num_leechs, t.num_incomplete),
            lambda t: t.num_leechs,
            "num_leechs num_incomplete",
            right=True,
            priority=5,
        ),
        _col(
            "down",
            "Down",
            12,
            lambda t: fmt.speed(t.dl_speed) if t.dl_speed else "",
            lambda t: t.dl_speed,
            "dlspeed",
            right=True,
            priority=8,
        ),
        _col(
            "up",
            "Up",
            12,
            lambda t: fmt.speed(t.up_speed) if t.up_speed else "",
            lambda t: t.up_speed,
            "upspeed",
            right=True,
            priority=7,
        ),
        _col(
            "eta",
            "ETA",
            8,
            lambda t: fmt.duration(t.eta) if not t.state.is_complete else "",
            lambda t: _none_last(t.eta),
            "eta",
            right=True,
            priority=6,
        ),
        _col(
            "ratio",
            "Ratio",
            6,
            lambda t: fmt.ratio(t.ratio),
            lambda t: _none_last(t.ratio),
            "ratio",
            right=True,
            priority=6,
        ),
        _col(
            "category",
            "Category",
            12,
            lambda t: t.category,
            lambda t: t.category.casefold(),
            "category label",
            priority=4,
        ),
        _col(
            "tags",
            "Tags",
            12,
            lambda t: ", ".join(t.tags),
            lambda t: ", ".join(t.tags).casefold(),
            "tags",
            priority=3,
            v2_only=True,
        ),
        _col(
            "added",
            "Added",
            16,
            lambda t: fmt.timestamp(t.added_on),
            lambda t: _none_last(t.added_on),
            "added_on",
            priority=2,
        ),
        _col(
            "completed",
            "Completed",
            16,
            lambda t: fmt.timestamp(t.completion_on),
            lambda t: _none_last(t.completion_on),
            "completion_on",
            priority=1,
        ),
        _col(
            "queue",
            "#",
            4,
            lambda t: str(t.queue_position) if t.queue_position else "",
            lambda t: _none_last(t.queue_position),
            "priority",
            right=True,
            priority=3,
        ),
        _col(
            "save_path",
            "Save path",
            24,
            lambda t: t.save_path,
            lambda t: t.save_path,
            "save_path",
            priority=1,
        ),
        _col("tracker", "Tracker", 24, lambda t: t.tracker, lambda t: t.tracker, "tracker", priority=1),
        _col(
            "downloaded",
            "Downloaded",
            10,
            lambda t: fmt.size(t.downloaded),
            lambda t: t.downloaded,
            "downloaded",
            right=True,
            priority=1,
        ),
        _col(
            "uploaded",
            "Uploaded",
            10,
            lambda t: fmt.size(t.uploaded),
            lambda t: t.uploaded,
            "uploaded",
            right=True,
            priority=2,
        ),
        _col(
            "dl_limit",
            "Down limit",
            11,
            lambda t: fmt.limit(t.dl_limit),
            lambda t: _none_last(t.dl_limit),
            "dl_limit",
            right=True,
            priority=1,
        ),
        _col(
            "up_limit",
            "Up limit",
            11,
            lambda t: fmt.limit(t.up_limit),
            lambda t: _none_last(t.up_limit),
            "up_limit",
            right=True,
            priority=1,
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
