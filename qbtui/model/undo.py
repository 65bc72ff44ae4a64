"""Undo for reversible actions: pause/resume, category, tags, speed limits, file priorities.

No Textual here: the UI reaches the one stack through `qbtui.ui.undoing`.

Before a command is sent, `plan_*` reads the torrents' current values from the store and builds the
inverse: only what the command will really change is put back (resuming what was paused a moment
ago, not torrents that were already running; giving each torrent back its own old category).
The values a recent command set but no poll has shown yet come from the stack's `Expectations`;
each plan lists what its command changes (`changes`), which its inverse changes back.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from qbtui.api.base import QbtApi
from qbtui.api.models import FilePriority, Torrent
from qbtui.model.expectations import (
    CATEGORY,
    DOWNLOAD_LIMIT,
    PAUSED,
    SHARE_LIMITS,
    UPLOAD_LIMIT,
    Change,
    Expectations,
    tag_field,
)
from qbtui.model.share_limits import ShareLimits, ShareLimitsEdit, describe, share_limits_of
from qbtui.model.store import Store
from qbtui.util.format import plural

Inverse = Callable[[QbtApi], Awaitable[object]]
T = TypeVar("T")
#: How many actions the history keeps.
HISTORY = 20


@dataclass(frozen=True, slots=True)
class Undoable:
    description: str
    inverse: Inverse
    at: float = field(default_factory=time.time)
    #: What the action changes (its inverse changes it back).
    changes: tuple[Change, ...] = ()


class UndoStack:
    def __init__(self, limit: int = HISTORY, expected: Expectations | None = None) -> None:
        self.limit = limit
        self.expected = expected if expected is not None else Expectations()
        self._items: list[Undoable] = []

    def push(self, item: Undoable | None) -> None:
        """An action that worked: undoable, and its values expected until a poll shows them."""
        if item is None:
            return
        self.expected.expect(item.changes)
        self._items.append(item)
        del self._items[: -self.limit]

    def undone(self, item: Undoable) -> None:
        """`item`'s inverse worked: its old values are now the expected ones."""
        self.expected.expect(change.reversed() for change in item.changes)

    def pop(self) -> Undoable | None:
        return self._items.pop() if self._items else None

    def history(self) -> list[Undoable]:
        """Newest first."""
        return list(reversed(self._items))

    def __len__(self) -> int:
        return len(self._items)


def combine(description: str, *items: Undoable | None) -> Undoable | None:
    """One undoable action made of several (None where a part changes nothing); its inverse undoes
    the parts in order."""
    parts = [item for item in items if item is not None]
    if not parts:
        return None

    async def inverse(api: QbtApi) -> None:
        for part in parts:
            await part.inverse(api)

    return Undoable(description, inverse, changes=tuple(change for part in parts for change in part.changes))


def _names(store: Store, hashes: Sequence[str]) -> str:
    if len(hashes) == 1 and hashes[0] in store.torrents:
        return f"“{store.torrents[hashes[0]].name}”"
    return plural(len(hashes), "torrent")


def _current(expected: Expectations | None, key: str, field: str, actual: T) -> T:
    """The store's value, or what a command that worked a moment ago set instead."""
    return expected.value(key, field, actual) if expected is not None else actual


def is_paused(torrent: Torrent, expected: Expectations | None = None) -> bool:
    """Paused, counting a pause or resume that worked but that no poll has shown yet."""
    return _current(expected, torrent.hash, PAUSED, torrent.state.is_paused)


def plan_pause(
    store: Store, hashes: Iterable[str], pausing: bool, expected: Expectations | None = None
) -> Undoable | None:
    """Undo a pause by resuming exactly the torrents it stopped (and the other way round)."""
    torrents = store.torrents
    changed = [h for h in hashes if h in torrents and is_paused(torrents[h], expected) != pausing]
    if not changed:
        return None
    changes = tuple(Change(key, PAUSED, not pausing, pausing) for key in changed)
    verb = "pause" if pausing else "resume"

    async def inverse(api: QbtApi) -> None:
        await (api.resume(changed) if pausing else api.pause(changed))

    return Undoable(f"{verb} {_names(store, changed)}", inverse, changes=changes)


def plan_category(
    store: Store, hashes: Iterable[str], category: str, expected: Expectations | None = None
) -> Undoable | None:
    previous: dict[str, list[str]] = defaultdict(list)
    for key in hashes:
        torrent = store.torrents.get(key)
        if torrent is None:
            continue
        old = _current(expected, key, CATEGORY, torrent.category)
        if old != category:
            previous[old].append(key)
    if not previous:
        return None
    count = sum(len(v) for v in previous.values())

    async def restore(api: QbtApi) -> None:
        for old, keys in previous.items():
            await api.set_category(keys, old)

    return Undoable(
        f"category “{category or 'none'}” on {plural(count, 'torrent')}",
        restore,
        changes=tuple(Change(key, CATEGORY, old, category) for old, keys in previous.items() for key in keys),
    )


def plan_tags(
    store: Store,
    hashes: Iterable[str],
    tags: Sequence[str],
    adding: bool,
    expected: Expectations | None = None,
) -> Undoable | None:
    """Undo removes only the tags a torrent did not have (or adds back only those it had), so each
    torrent gets its own previous tag set back."""
    per_tag: dict[str, list[str]] = defaultdict(list)
    changed: dict[str, None] = {}  # ordered set: the torrents the command really changes
    for key in hashes:
        torrent = store.torrents.get(key)
        if torrent is None:
            continue
        for tag in tags:
            if _current(expected, key, tag_field(tag), tag in torrent.tags) != adding:
                per_tag[tag].append(key)
                changed[key] = None
    if not per_tag:
        return None

    async def restore(api: QbtApi) -> None:
        for tag, keys in per_tag.items():
            if adding:
                await api.remove_tags(keys, [tag])
            else:
                await api.add_tags(keys, [tag])

    label = ", ".join(f"“{tag}”" for tag in per_tag)
    tag_word = "tag" if len(per_tag) == 1 else "tags"
    names = _names(store, list(changed))
    done = f"added to {names}" if adding else f"removed from {names}"
    changes = tuple(
        Change(key, tag_field(tag), not adding, adding) for tag, keys in per_tag.items() for key in keys
    )
    return Undoable(f"{tag_word} {label} {done}", restore, changes=changes)


def _limit(value: int | None) -> int:
    """Bytes/s, 0 for unlimited (the API says unlimited as -1, 0 or nothing)."""
    return value if value and value > 0 else 0


def plan_limits(
    store: Store,
    hashes: Iterable[str],
    download: bool,
    new_limit: int | None = None,
    expected: Expectations | None = None,
) -> Undoable | None:
    """Each torrent gets its own old limit back (None or ≤ 0 = unlimited). With `new_limit`, the
    plan also says what the command sets, so a second change before the next poll plans right."""
    field = DOWNLOAD_LIMIT if download else UPLOAD_LIMIT
    previous: dict[int, list[str]] = defaultdict(list)
    for key in hashes:
        torrent = store.torrents.get(key)
        if torrent is not None:
            limit = _limit(torrent.dl_limit if download else torrent.up_limit)
            previous[_current(expected, key, field, limit)].append(key)
    if not previous:
        return None

    async def restore(api: QbtApi) -> None:
        for limit, keys in previous.items():
            if download:
                await api.set_torrent_download_limit(keys, limit)
            else:
                await api.set_torrent_upload_limit(keys, limit)

    kind = "download" if download else "upload"
    keys = [key for keys in previous.values() for key in keys]
    return Undoable(
        f"{kind} limit on {plural(len(keys), 'torrent')}",
        restore,
        changes=tuple(
            Change(key, field, old, _limit(new_limit)) for old, keys in previous.items() for key in keys
        )
        if new_limit is not None
        else (),
    )


def share_limits_now(store: Store, key: str, expected: Expectations | None = None) -> ShareLimits | None:
    """A torrent's share limits as far as we know (a change that worked counts before a poll)."""
    raw = store.raw.get(key)
    if raw is None:
        return None
    return _current(expected, key, SHARE_LIMITS, share_limits_of(raw))


async def send_share_limits(api: QbtApi, groups: Mapping[ShareLimits, Sequence[str]]) -> None:
    """One request per set of values: the server sets every limit of the torrents it is given."""
    for limits, keys in groups.items():
        await api.set_share_limits(
            list(keys),
            limits.ratio,
            limits.seeding_minutes,
            limits.inactive_minutes,
            action=limits.action,
            mode=limits.mode,
        )


def plan_share_limits(
    store: Store, hashes: Iterable[str], edit: ShareLimitsEdit, expected: Expectations | None = None
) -> tuple[dict[ShareLimits, list[str]], Undoable | None]:
    """What to send (the torrents whose limits the edit changes, grouped by their new values; a
    field the edit leaves out keeps each torrent's own value) and the undo that gives each torrent
    its own old limits back."""
    new_groups: dict[ShareLimits, list[str]] = defaultdict(list)
    old_groups: dict[ShareLimits, list[str]] = defaultdict(list)
    changes: list[Change] = []
    for key in hashes:
        old = share_limits_now(store, key, expected)
        if old is None:
            continue
        new = edit.applied(old)
        if new == old:
            continue
        new_groups[new].append(key)
        old_groups[old].append(key)
        changes.append(Change(key, SHARE_LIMITS, old, new))
    if not changes:
        return {}, None

    async def restore(api: QbtApi) -> None:
        await send_share_limits(api, old_groups)

    keys = [change.hash for change in changes]
    only = next(iter(new_groups)) if len(new_groups) == 1 else None
    what = describe(only) if only is not None else "share limits"
    return dict(new_groups), Undoable(f"{what} on {_names(store, keys)}", restore, changes=tuple(changes))


@dataclass(frozen=True, slots=True)
class Flag:
    """A per-torrent on/off setting: the Torrent field that shows it and how to set it."""

    field: str
    label: str
    #: Sets the torrents to the value. Toggle endpoints flip each torrent they get: callers pass
    #: only the torrents whose state differs from the value, so a mixed set ends in one state.
    send: Callable[[QbtApi, list[str], bool], Awaitable[object]]


def _toggle_sequential(api: QbtApi, hashes: list[str], value: bool) -> Awaitable[object]:
    return api.toggle_sequential(hashes)


def _toggle_first_last(api: QbtApi, hashes: list[str], value: bool) -> Awaitable[object]:
    return api.toggle_first_last_piece(hashes)


FLAGS: dict[str, Flag] = {
    "sequential": Flag("seq_dl", "Sequential download", _toggle_sequential),
    "first_last": Flag("f_l_piece_prio", "First and last pieces first", _toggle_first_last),
    "super_seeding": Flag("super_seeding", "Super seeding", lambda api, h, v: api.set_super_seeding(h, v)),
    "auto_tmm": Flag("auto_tmm", "Automatic management", lambda api, h, v: api.set_auto_management(h, v)),
    "force_start": Flag("force_start", "Forced start", lambda api, h, v: api.set_force_start(h, v)),
}


def flag_of(torrent: Torrent, flag: Flag, expected: Expectations | None = None) -> bool:
    """The flag as far as we know: a change that worked counts before a poll shows it."""
    return bool(_current(expected, torrent.hash, flag.field, getattr(torrent, flag.field)))


def flag_target(torrents: Sequence[Torrent], flag: Flag, expected: Expectations | None = None) -> bool:
    """The state a key sets: off when every torrent has it on, else on (a mixed set goes on)."""
    return not all(flag_of(t, flag, expected) for t in torrents)


def plan_flag(
    store: Store, hashes: Iterable[str], flag: Flag, value: bool, expected: Expectations | None = None
) -> tuple[list[str], Undoable | None]:
    """The torrents whose flag the command changes (the others already have `value`), and the
    undo that sets exactly those back."""
    torrents = store.torrents
    changed = [h for h in hashes if h in torrents and flag_of(torrents[h], flag, expected) != value]
    if not changed:
        return [], None

    async def inverse(api: QbtApi) -> object:
        return await flag.send(api, changed, not value)

    description = f"{flag.label.lower()} {'on' if value else 'off'} for {_names(store, changed)}"
    changes = tuple(Change(key, flag.field, not value, value) for key in changed)
    return changed, Undoable(description, inverse, changes=changes)


#: How much of a torrent's name an undo description quotes (the history is a notification).
NAME_LIMIT = 40


def plan_file_priorities(
    hash: str,
    previous: Mapping[int, FilePriority | None],
    priority: FilePriority,
    what: str,
    torrent_name: str | None = None,
) -> Undoable | None:
    """Undo a file priority change: each file gets back the priority the content tab showed for it
    (`previous`: file index → priority); files that already had `priority`, or whose priority is not
    known, are left alone."""
    by_priority: dict[FilePriority, list[int]] = defaultdict(list)
    for index, old in sorted(previous.items()):
        if old is not None and old != priority:
            by_priority[FilePriority(old)].append(index)
    if not by_priority:
        return None

    async def restore(api: QbtApi) -> None:
        for old, indexes in by_priority.items():
            await api.set_file_priority(hash, indexes, old)

    where = ""
    if torrent_name:
        short = torrent_name if len(torrent_name) <= NAME_LIMIT else torrent_name[:NAME_LIMIT] + "…"
        where = f" in “{short}”"
    return Undoable(f"priority {priority.name.lower()} for {what}{where}", restore)
