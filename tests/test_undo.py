"""Undo plans: only what a command really changes is put back, each torrent to its own old value."""

from __future__ import annotations

from typing import Any

from qbtui.api.models import FilePriority
from qbtui.model.store import Store
from qbtui.model.undo import (
    UndoStack,
    combine,
    plan_category,
    plan_file_priorities,
    plan_limits,
    plan_pause,
    plan_tags,
)

A, B, C = "a" * 40, "b" * 40, "c" * 40


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, ...]] = []

    def __getattr__(self, name: str) -> Any:
        async def record(*args: Any) -> None:
            self.calls.append((name, *args))

        return record


def store() -> Store:
    s = Store()
    s.apply(
        {
            "rid": 1,
            "full_update": True,
            "torrents": {
                A: {"name": "a", "state": "downloading", "category": "tv", "tags": "x", "dl_limit": 1000},
                B: {"name": "b", "state": "pausedDL", "category": "", "tags": "", "dl_limit": -1},
                C: {"name": "c", "state": "uploading", "category": "tv", "tags": "x, y", "dl_limit": 0},
            },
        }
    )
    return s


async def run(item) -> list:  # type: ignore[no-untyped-def]
    api = Recorder()
    await item.inverse(api)
    return api.calls


async def test_pause_undo_resumes_only_what_it_paused() -> None:
    item = plan_pause(store(), [A, B, C], pausing=True)
    assert item is not None and item.description == "pause 2 torrents"
    assert await run(item) == [("resume", [A, C])]
    assert plan_pause(store(), [B], pausing=True) is None  # nothing would change


async def test_category_undo_restores_each_old_category() -> None:
    item = plan_category(store(), [A, B, C], "films")
    assert item is not None
    assert sorted(await run(item)) == sorted([("set_category", [A, C], "tv"), ("set_category", [B], "")])


async def test_tags_undo_touches_only_torrents_that_changed() -> None:
    item = plan_tags(store(), [A, B, C], ["x"], adding=True)
    assert item is not None and await run(item) == [("remove_tags", [B], ["x"])]
    removal = plan_tags(store(), [A, B, C], ["y"], adding=False)
    assert removal is not None and await run(removal) == [("add_tags", [C], ["y"])]


async def test_tags_undo_gives_each_torrent_its_tag_set_back() -> None:
    s = store()
    before = {h: set(s.torrents[h].tags) for h in (A, B, C)}
    item = plan_tags(s, [A, B, C], ["y", "z"], adding=True)
    assert item is not None and item.description == "tags “y”, “z” added to 3 torrents"
    after = {h: before[h] | {"y", "z"} for h in before}
    for name, keys, tags in await run(item):
        assert name == "remove_tags"
        for key in keys:
            after[key] -= set(tags)
    assert after == before  # C keeps the "y" it had before
    assert plan_tags(s, [A, C], ["x"], adding=True) is None  # both have it: nothing to undo


async def test_tags_undo_names_a_single_torrent() -> None:
    item = plan_tags(store(), [A, B], ["x"], adding=False)
    assert item is not None and item.description == "tag “x” removed from “a”"
    assert await run(item) == [("add_tags", [A], ["x"])]


async def test_file_priorities_undo_restores_each_file() -> None:
    previous = {
        0: FilePriority.NORMAL,
        1: FilePriority.SKIP,
        2: FilePriority.HIGH,
        3: FilePriority.NORMAL,
        4: None,  # unknown (never shown): left alone
    }
    item = plan_file_priorities(A, previous, FilePriority.HIGH, "“folder/” (5 files)", "a" * 60)
    assert item is not None
    assert item.description == f"priority high for “folder/” (5 files) in “{'a' * 40}…”"
    calls = await run(item)
    assert sorted(calls) == sorted(
        [
            ("set_file_priority", A, [0, 3], FilePriority.NORMAL),
            ("set_file_priority", A, [1], FilePriority.SKIP),
        ]
    )
    # A file already at the new priority is not touched, and nothing changing means no undo.
    assert plan_file_priorities(A, {2: FilePriority.HIGH}, FilePriority.HIGH, "“b”") is None


async def test_limits_undo_gives_each_its_own_limit_back() -> None:
    item = plan_limits(store(), [A, B, C], download=True)
    assert item is not None
    assert sorted(await run(item)) == sorted(
        [("set_torrent_download_limit", [A], 1000), ("set_torrent_download_limit", [B, C], 0)]
    )


async def test_download_and_upload_limits_undo_as_one_action() -> None:
    s = store()
    item = combine(
        "limits",
        plan_limits(s, [A, B], download=True, new_limit=5000),
        plan_limits(s, [A, B], download=False, new_limit=7000),
    )
    assert item is not None and item.description == "limits"
    calls = await run(item)
    assert [call[0] for call in calls] == ["set_torrent_download_limit"] * 2 + ["set_torrent_upload_limit"]
    assert {(c.hash, c.field, c.new) for c in item.changes} == {
        (A, "dl_limit", 5000),
        (B, "dl_limit", 5000),
        (A, "up_limit", 7000),
        (B, "up_limit", 7000),
    }
    assert combine("nothing", None, None) is None


def test_the_stack_is_bounded_and_newest_first() -> None:
    stack = UndoStack(limit=3)
    for n in range(5):
        stack.push(
            plan_pause(store(), [A], pausing=bool(n % 2 == 0)) or plan_pause(store(), [B], pausing=False)
        )
    assert len(stack) == 3
    assert stack.history()[0] is stack.pop()
