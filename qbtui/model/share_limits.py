"""Per-torrent share limits as the server keeps them, and as a person types them (no Textual here).

qBittorrent stores -2 for "use the global limit" and -1 for "no limit"; the `Torrent` model folds
both into None, so these are read from the raw torrent object. Times are whole minutes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from qbtui.api.coerce import as_float, as_str
from qbtui.api.models import ShareLimitAction, ShareLimitsMode

GLOBAL = -2
UNLIMITED = -1

#: What the fields accept for the two special values.
_GLOBAL_WORDS = frozenset({"global", "default", "g"})
_NONE_WORDS = frozenset({"none", "no", "off", "unlimited", "inf", "∞", "-1"})
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)")
_MINUTES = {"": 1, "m": 1, "min": 1, "mins": 1, "h": 60, "hr": 60, "hrs": 60, "d": 1440, "day": 1440}
_MINUTES |= {"days": 1440, "w": 10080, "wk": 10080, "weeks": 10080}


@dataclass(frozen=True, slots=True)
class ShareLimits:
    ratio: float = GLOBAL
    seeding_minutes: int = GLOBAL
    #: 4.6+; GLOBAL where the server has no such limit.
    inactive_minutes: int = GLOBAL
    #: 5.2+; None where the server has no such setting.
    action: ShareLimitAction | None = None
    #: 5.3+ (WebAPI 2.15.3); None where the server has no such setting.
    mode: ShareLimitsMode | None = None


def _limit(value: object, *, whole: bool) -> float:
    number = as_float(value, None)
    if number is None or number <= GLOBAL - 0.5:
        return GLOBAL
    if number < 0:
        return GLOBAL if number < -1.5 else UNLIMITED
    return float(int(number)) if whole else number


def _enum(enum: type[Any], raw: object) -> Any:
    text = as_str(raw)
    return next((item for item in enum if item.value == text), None) if text else None


def share_limits_of(raw: Mapping[str, Any]) -> ShareLimits:
    """A torrent's own limits from its raw `torrents/info` (or maindata) object."""
    ratio = _limit(raw.get("ratio_limit"), whole=False)
    return ShareLimits(
        ratio=round(ratio, 4),
        seeding_minutes=int(_limit(raw.get("seeding_time_limit"), whole=True)),
        inactive_minutes=int(_limit(raw.get("inactive_seeding_time_limit"), whole=True)),
        action=_enum(ShareLimitAction, raw.get("share_limit_action")),
        mode=_enum(ShareLimitsMode, raw.get("share_limits_mode")),
    )


@dataclass(frozen=True, slots=True)
class ShareLimitsEdit:
    """What a form changes; None keeps each torrent's own value."""

    ratio: float | None = None
    seeding_minutes: int | None = None
    inactive_minutes: int | None = None
    action: ShareLimitAction | None = None
    mode: ShareLimitsMode | None = None

    @property
    def empty(self) -> bool:
        return self == ShareLimitsEdit()

    def applied(self, limits: ShareLimits) -> ShareLimits:
        changes: dict[str, Any] = {}
        for name in ("ratio", "seeding_minutes", "inactive_minutes", "action", "mode"):
            value = getattr(self, name)
            if value is not None:
                changes[name] = value
        return replace(limits, **changes)


# -- typing and showing them ----------------------------------------------------------------------


def parse_ratio(text: str) -> float:
    """`2`, `1.5`, `global`, `none` (or ∞, unlimited) -> the server's value; ValueError with why."""
    word = text.strip().lower()
    if word in _GLOBAL_WORDS:
        return GLOBAL
    if word in _NONE_WORDS:
        return UNLIMITED
    try:
        value = float(word)
    except ValueError:
        raise ValueError(
            f"{text.strip()!r} is not a ratio: give a number like 2 or 1.5, global or none"
        ) from None
    if not math.isfinite(value) or value < 0:
        raise ValueError("a ratio limit is 0 or more (none for no limit)")
    return round(value, 4)


def parse_minutes(text: str) -> int:
    """`90` (minutes), `1h30m`, `2d`, `1w`, `global`, `none` -> whole minutes or GLOBAL/UNLIMITED."""
    word = text.strip().lower()
    if word in _GLOBAL_WORDS:
        return GLOBAL
    if word in _NONE_WORDS:
        return UNLIMITED
    compact = word.replace(" ", "")
    parts = list(_DURATION_PART.finditer(compact))
    if not parts or "".join(part.group(0) for part in parts) != compact:
        raise ValueError(
            f"{text.strip()!r} is not a time: give minutes (90), or 1h30m, 2d, 1w; global or none"
        )
    total = 0.0
    for part in parts:
        unit = part.group(2)
        if unit not in _MINUTES:
            raise ValueError(f"unknown unit {unit!r}: use m, h, d or w")
        total += float(part.group(1)) * _MINUTES[unit]
    return round(total)


def show_ratio(value: float) -> str:
    if value <= GLOBAL:
        return "global"
    if value < 0:
        return "none"
    return f"{value:.4f}".rstrip("0").rstrip(".")


def show_minutes(value: int) -> str:
    if value <= GLOBAL:
        return "global"
    if value < 0:
        return "none"
    days, rest = divmod(value, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    parts += [f"{hours}h"] if hours else []
    parts += [f"{minutes}m"] if minutes or not parts else []
    return "".join(parts)


def describe(limits: ShareLimits) -> str:
    """One line: `ratio 2, seeding 1d, inactive global, then stop`."""
    text = f"ratio {show_ratio(limits.ratio)}, seeding {show_minutes(limits.seeding_minutes)}"
    text += f", inactive {show_minutes(limits.inactive_minutes)}"
    if limits.action is not None:
        text += f", then {limits.action.label}"
    return text
