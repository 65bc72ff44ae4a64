"""How the torrent table shares its width among its columns (no Textual here).

Each column is as wide as what it shows needs: its title, or the widest of its cells measured so far
(`natural`). When the terminal is too narrow, columns go by priority, and the priorities follow the
server's role (`infer_role`): a seeding box keeps Up and Ratio before Peers and Size, a downloading
one Progress, Down and ETA. The name gives up width last: it keeps a share of the width
(`name_minimum`), and it gets whatever room the other columns leave.

The rules, in order:

1. Pinned columns come first, then the others by priority for the role; the name is always there.
2. Columns are taken in that order at their narrowest (`compact`: a progress bar shows only its
   percentage, a text column may be cut to its `min_width` with an ellipsis) while they fit beside
   the name at its minimum. The first that does not fit leaves, and so does every one after it
   (a narrow low-priority column never stands in for a wider, more important one). Pinned columns
   that do not fit beside the name at its minimum may shrink the name down to `NAME_FLOOR` before
   they are left out.
3. The room left grows the kept columns back to their natural width, in the same order.
4. Whatever is still left goes to the name.

The columns keep the order the user chose; only their widths and presence change.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from qbtui.model.columns import DOWNLOADING, SEEDING, Column

GAP = 1
#: The most the name keeps for itself before other columns come in (it gets the spare room after).
NAME_MINIMUM = 26
#: Pinned columns may shrink the name down to this.
NAME_FLOOR = 8
#: A progress column shows a bar of this many cells and the percentage ("46.0%", " 100%").
PROGRESS_BAR = 6
PROGRESS_LABEL = 5
PROGRESS_NATURAL = PROGRESS_BAR + 1 + PROGRESS_LABEL
#: Below this many cells a bar says too little: the column shows the percentage alone.
PROGRESS_MIN_BAR = 3

#: The share of completed torrents above which a server counts as seeding, and the margin it must
#: cross to change its mind (so a box near half and half does not swap columns at every poll).
SEEDING_SHARE = 0.5
ROLE_MARGIN = 0.1


@dataclass(frozen=True, slots=True)
class Placed:
    column: Column
    x: int
    width: int


def infer_role(completed: int, total: int, previous: str | None = None) -> str:
    """SEEDING when most torrents are complete (a seedbox), else DOWNLOADING.

    Counting torrents, not speeds: speeds swing every second, while what a box holds changes slowly.
    Once a role is known, the share must move `ROLE_MARGIN` past the middle to change it.
    """
    if total <= 0:
        return previous or SEEDING
    share = completed / total
    if previous == SEEDING:
        return DOWNLOADING if share < SEEDING_SHARE - ROLE_MARGIN else SEEDING
    if previous == DOWNLOADING:
        return SEEDING if share > SEEDING_SHARE + ROLE_MARGIN else DOWNLOADING
    return SEEDING if share >= SEEDING_SHARE else DOWNLOADING


def name_minimum(width: int) -> int:
    """What the name keeps before other columns may take the rest: a third of a narrow table, and
    never more than NAME_MINIMUM cells, so a wide one shows every column before the name grows."""
    return max(NAME_FLOOR, min(NAME_MINIMUM, width // 3))


def title_width(column: Column, sorted_here: bool = False) -> int:
    """The header's need: the title (ASCII: one cell a character), and " ▲" on the sorted column."""
    return len(column.title) + (2 if sorted_here else 0)


def compact(column: Column, natural: int) -> int:
    if column.key == "progress":
        return PROGRESS_LABEL
    if column.min_width is None:
        return natural
    return min(natural, column.min_width)


def natural_width(column: Column, measured: int, sorted_here: bool = False) -> int:
    """What the column needs to show its title and every cell measured so far whole."""
    if column.key == "progress":
        return max(PROGRESS_NATURAL, title_width(column, sorted_here))
    return max(measured, title_width(column, sorted_here))


def layout(
    columns: Sequence[Column],
    natural: Mapping[str, int],
    width: int,
    role: str = SEEDING,
    pinned: Collection[str] = (),
) -> list[Placed]:
    """Which columns show, how wide, and where, for a table `width` cells wide."""
    has_name = any(c.key == "name" for c in columns)
    others = [c for c in columns if c.key != "name"]
    order = {c.key: i for i, c in enumerate(columns)}
    ranked = sorted(others, key=lambda c: (c.key not in pinned, -c.rank(role), order[c.key]))

    def need(c: Column) -> int:
        return compact(c, natural[c.key]) + GAP

    name_min = min(name_minimum(width), max(width - GAP, 1)) if has_name else 0
    budget = width - (name_min + GAP if has_name else 0)
    kept: set[str] = set()
    used = 0
    for c in ranked:
        if used + need(c) > budget:
            break  # this one and every one after it leave, so priorities read top to bottom
        kept.add(c.key)
        used += need(c)
    # Pinned columns left out: the name shrinks toward its floor before they go.
    left_out = [c for c in ranked if c.key in pinned and c.key not in kept]
    if left_out and has_name:
        floor_budget = width - (min(NAME_FLOOR, name_min) + GAP)
        for c in left_out:
            if used + need(c) <= floor_budget:
                kept.add(c.key)
                used += need(c)
    widths = {c.key: compact(c, natural[c.key]) for c in others if c.key in kept}
    spare = width - used - (name_min + GAP if has_name else 0)
    for c in ranked:
        if c.key not in kept or spare <= 0:
            continue
        grown = min(natural[c.key], widths[c.key] + spare)
        if c.key == "progress" and grown < PROGRESS_LABEL + 1 + PROGRESS_MIN_BAR:
            continue
        spare -= grown - widths[c.key]
        widths[c.key] = grown
    if has_name:
        widths["name"] = max(name_min + spare, 1)
    placed: list[Placed] = []
    x = 0
    for c in columns:
        if c.key in widths:
            placed.append(Placed(c, x, widths[c.key]))
            x += widths[c.key] + GAP
    return placed
