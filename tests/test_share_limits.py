"""Share limits as typed and as the server keeps them, and the undo plan that gives each torrent its
own old limits back (qbtui.model.share_limits, qbtui.model.undo.plan_share_limits)."""

from __future__ import annotations

from typing import Any

import pytest

from qbtui.api.models import ShareLimitAction, ShareLimitsMode
from qbtui.model.expectations import Expectations
from qbtui.model.share_limits import (
    GLOBAL,
    UNLIMITED,
    ShareLimits,
    ShareLimitsEdit,
    parse_minutes,
    parse_ratio,
    share_limits_of,
    show_minutes,
    show_ratio,
)
from qbtui.model.store import Store
from qbtui.model.undo import UndoStack, plan_share_limits

A, B, C = "a" * 40, "b" * 40, "c" * 40


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    async def set_share_limits(self, hashes: list[str], *args: Any, **kwargs: Any) -> None:
        self.calls.append((sorted(hashes), *args, kwargs))


def store(rid: int = 1) -> Store:
    s = Store()
    s.apply(
        {
            "rid": rid,
            "full_update": True,
            "torrents": {
                A: {
                    "name": "a",
                    "ratio_limit": -2,
                    "seeding_time_limit": -2,
                    "share_limit_action": "Default",
                },
                B: {"name": "b", "ratio_limit": 1.5, "seeding_time_limit": 120, "share_limit_action": "Stop"},
                C: {
                    "name": "c",
                    "ratio_limit": -1,
                    "seeding_time_limit": -1,
                    "share_limit_action": "Default",
                },
            },
        }
    )
    return s


def test_read_from_the_raw_torrent_keeping_global_apart_from_none() -> None:
    assert share_limits_of({"ratio_limit": -2, "seeding_time_limit": -2}) == ShareLimits()
    assert share_limits_of({"ratio_limit": -1.0, "seeding_time_limit": -1}) == ShareLimits(
        UNLIMITED, UNLIMITED
    )
    five_three = share_limits_of(
        {
            "ratio_limit": 2,
            "seeding_time_limit": 1440,
            "inactive_seeding_time_limit": 30,
            "share_limit_action": "RemoveWithContent",
            "share_limits_mode": "MatchAll",
        }
    )
    assert five_three == ShareLimits(
        2.0, 1440, 30, ShareLimitAction.REMOVE_WITH_CONTENT, ShareLimitsMode.MATCH_ALL
    )
    # A 4.5.2 torrent: no inactive limit, action or mode (garbage counts as global, never a crash).
    assert share_limits_of({"ratio_limit": "x", "seeding_time_limit": None}) == ShareLimits()


@pytest.mark.parametrize(
    ("text", "value"),
    [("2", 2.0), (" 1.25 ", 1.25), ("global", GLOBAL), ("", None), ("none", UNLIMITED), ("∞", UNLIMITED)],
)
def test_ratio_as_typed(text: str, value: float | None) -> None:
    if value is None:
        with pytest.raises(ValueError, match="not a ratio"):
            parse_ratio(text)
    else:
        assert parse_ratio(text) == value
        assert parse_ratio(show_ratio(value)) == value


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("90", 90), ("1h30m", 90), ("2d", 2880), ("1w", 10080), ("1.5h", 90), ("global", GLOBAL), ("off", -1)],
)
def test_minutes_as_typed(text: str, minutes: int) -> None:
    assert parse_minutes(text) == minutes
    assert parse_minutes(show_minutes(minutes)) == minutes


def test_bad_times_and_ratios_say_why() -> None:
    with pytest.raises(ValueError, match="not a time"):
        parse_minutes("soon")
    with pytest.raises(ValueError, match="unknown unit"):
        parse_minutes("3y")
    with pytest.raises(ValueError, match="0 or more"):
        parse_ratio("-3")


async def test_plan_sends_only_changes_and_undo_restores_each_torrents_own() -> None:
    s = store()
    # The ratio set for all three; A's and C's other limits stay their own.
    groups, undo = plan_share_limits(s, [A, B, C], ShareLimitsEdit(ratio=1.5))
    assert groups == {
        ShareLimits(1.5, GLOBAL, GLOBAL, ShareLimitAction.DEFAULT): [A],
        ShareLimits(1.5, UNLIMITED, GLOBAL, ShareLimitAction.DEFAULT): [C],
    }  # B had ratio 1.5 already: not sent, not undone
    assert undo is not None
    api = Recorder()
    await undo.inverse(api)  # type: ignore[arg-type]
    assert sorted(api.calls, key=str) == sorted(
        [
            ([A], GLOBAL, GLOBAL, GLOBAL, {"action": ShareLimitAction.DEFAULT, "mode": None}),
            ([C], UNLIMITED, UNLIMITED, GLOBAL, {"action": ShareLimitAction.DEFAULT, "mode": None}),
        ],
        key=str,
    )
    assert plan_share_limits(s, [B], ShareLimitsEdit(ratio=1.5)) == ({}, None)


async def test_a_second_change_before_a_poll_plans_from_the_first() -> None:
    s = store()
    stack = UndoStack(expected=Expectations(generation=lambda: s.rid))
    _, first = plan_share_limits(s, [A], ShareLimitsEdit(seeding_minutes=60), stack.expected)
    stack.push(first)
    # No poll yet: the store still says global, but A's seeding limit is 60 now.
    _, second = plan_share_limits(s, [A], ShareLimitsEdit(action=ShareLimitAction.STOP), stack.expected)
    assert second is not None
    api = Recorder()
    await second.inverse(api)  # type: ignore[arg-type]
    assert api.calls == [([A], GLOBAL, 60, GLOBAL, {"action": ShareLimitAction.DEFAULT, "mode": None})]
    assert "seeding 1h" in second.description and "then stop" in second.description
