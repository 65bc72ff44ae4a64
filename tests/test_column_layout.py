"""The torrent table's column layout rules (qbtui.model.column_layout), without a terminal."""

from __future__ import annotations

import itertools

from qbtui.model.column_layout import (
    NAME_FLOOR,
    NAME_MINIMUM,
    PROGRESS_LABEL,
    PROGRESS_NATURAL,
    infer_role,
    layout,
    natural_width,
)
from qbtui.model.columns import COLUMNS, DEFAULT_COLUMNS, DOWNLOADING, SEEDING

#: What the demo's cells measure: speeds like "856.7 KiB/s", ETAs like "11m 10s", sizes "868.4 MiB".
MEASURED = {
    "name": 40,
    "size": 9,
    "state": 17,
    "seeds": 7,
    "peers": 6,
    "down": 11,
    "up": 11,
    "eta": 7,
    "ratio": 4,
    "category": 6,
}


def place(width: int, role: str, pinned: tuple[str, ...] = (), measured: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    columns = [COLUMNS[key] for key in DEFAULT_COLUMNS]
    natural = {c.key: natural_width(c, (measured or MEASURED).get(c.key, 0)) for c in columns}
    placed = layout(columns, natural, width, role, pinned)
    return {p.column.key: p.width for p in placed}, placed


def test_a_seeder_at_80_columns_keeps_up_and_ratio_before_peers() -> None:
    widths, _ = place(79, SEEDING)  # 80 columns less the scrollbar gutter
    assert {"name", "up", "ratio", "down"} <= widths.keys()
    assert "progress" in widths or "state" in widths
    assert "peers" not in widths and "seeds" not in widths


def test_a_downloader_at_80_columns_keeps_progress_down_and_eta() -> None:
    widths, _ = place(79, DOWNLOADING)
    assert {"name", "progress", "down", "eta", "up", "ratio"} <= widths.keys()
    assert "peers" not in widths


def test_100_columns_beside_the_sidebar_show_down_up_eta_and_ratio_in_both_roles() -> None:
    for role in (SEEDING, DOWNLOADING):
        widths, _ = place(69, role)  # 100 - 30 (sidebar) - 1 (gutter)
        assert {"down", "up", "eta", "ratio"} <= widths.keys(), role


def test_160_columns_beside_the_sidebar_show_every_default_column() -> None:
    widths, _ = place(129, SEEDING)
    assert set(widths) == set(DEFAULT_COLUMNS)


def test_columns_are_as_wide_as_their_widest_cell_not_a_fixed_pad() -> None:
    widths, _ = place(200, SEEDING)
    assert widths["up"] == 11 and widths["ratio"] == len("Ratio") and widths["state"] == 17
    narrow_speeds = {**MEASURED, "up": 9, "down": 9}
    widths, _ = place(200, SEEDING, measured=narrow_speeds)
    assert widths["up"] == 9 and widths["down"] == 9


def test_the_name_gets_the_spare_room_and_the_columns_keep_their_order() -> None:
    widths, placed = place(200, SEEDING)
    others = sum(w + 1 for key, w in widths.items() if key != "name")
    assert widths["name"] == 200 - others - 1
    assert [p.column.key for p in placed] == list(DEFAULT_COLUMNS)
    assert all(b.x == a.x + a.width + 1 for a, b in itertools.pairwise(placed))


def test_the_name_keeps_its_minimum_while_columns_can_leave() -> None:
    for width in (50, 69, 79, 99, 129):
        widths, _ = place(width, SEEDING)
        assert widths["name"] >= min(NAME_MINIMUM, width // 3), width
        assert sum(w + 1 for w in widths.values()) <= width + 1


def test_a_narrow_progress_column_shows_its_percentage_and_a_wide_one_a_bar() -> None:
    widths, _ = place(69, DOWNLOADING)
    assert widths["progress"] == PROGRESS_LABEL
    widths, _ = place(200, DOWNLOADING)
    assert widths["progress"] == PROGRESS_NATURAL


def test_pinned_columns_stay_before_higher_priorities_and_may_shrink_the_name() -> None:
    widths, _ = place(79, SEEDING, pinned=("peers", "category"))
    assert {"peers", "category", "up"} <= widths.keys()
    # Pinned beyond what fits beside the name's minimum: the name shrinks toward its floor first.
    many = ("size", "seeds", "peers", "category", "state")
    widths, _ = place(60, SEEDING, pinned=many)
    assert set(many) <= widths.keys()
    assert NAME_FLOOR <= widths["name"] < min(NAME_MINIMUM, 60 // 3)


def test_role_is_seeding_when_most_torrents_are_complete_and_does_not_flap() -> None:
    assert infer_role(13, 25) == SEEDING
    assert infer_role(5, 25) == DOWNLOADING
    assert infer_role(0, 0) == SEEDING
    # Near half and half the role holds until the share moves well past the middle.
    assert infer_role(11, 25, SEEDING) == SEEDING  # 44 %
    assert infer_role(9, 25, SEEDING) == DOWNLOADING  # 36 %
    assert infer_role(14, 25, DOWNLOADING) == DOWNLOADING  # 56 %
    assert infer_role(16, 25, DOWNLOADING) == SEEDING  # 64 %


def test_columns_leave_strictly_by_priority_no_narrow_one_stands_in() -> None:
    for role in (SEEDING, DOWNLOADING):
        ranked = sorted(
            (COLUMNS[k] for k in DEFAULT_COLUMNS if k != "name"),
            key=lambda c: (-c.rank(role), DEFAULT_COLUMNS.index(c.key)),
        )
        for width in range(40, 160):
            widths, _ = place(width, role)
            kept = [c.key for c in ranked if c.key in widths]
            assert kept == [c.key for c in ranked[: len(kept)]], (role, width, kept)
