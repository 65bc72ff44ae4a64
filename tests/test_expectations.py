"""Expectations: what a command set counts while newer polls still show the old value, until it
expires; and the undo plans read through them, so a second action before the next poll plans from
the first."""

from __future__ import annotations

from qbtui.model.expectations import CATEGORY, PAUSED, Change, Expectations, tag_field
from qbtui.model.store import Store
from qbtui.model.undo import UndoStack, is_paused, plan_category, plan_limits, plan_pause, plan_tags
from tests.test_undo import Recorder

A, B = "a" * 40, "b" * 40


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def store() -> Store:
    s = Store()
    s.apply(
        {
            "rid": 1,
            "full_update": True,
            "torrents": {
                A: {"name": "a", "state": "downloading", "category": "tv", "tags": "x", "up_limit": 500},
                B: {"name": "b", "state": "uploading", "category": "", "tags": "", "up_limit": -1},
            },
        }
    )
    return s


def test_an_expected_value_holds_until_a_newer_poll_shows_it() -> None:
    generation = [1]
    expected = Expectations(generation=lambda: generation[0])
    expected.expect([Change(A, CATEGORY, "tv", "movies")])
    # The store still says "tv": the command's effect is not in any poll yet.
    assert expected.value(A, CATEGORY, "tv") == "movies"
    # A newer poll that still shows the old value (qBittorrent refreshes states every 1.5 s).
    generation[0] = 2
    assert expected.value(A, CATEGORY, "tv") == "movies"
    assert len(expected) == 1
    # A poll that shows it ends the expectation.
    generation[0] = 3
    assert expected.value(A, CATEGORY, "movies") == "movies"
    assert len(expected) == 0
    assert expected.value(A, CATEGORY, "books") == "books"


def test_a_poll_showing_anything_but_the_old_value_wins() -> None:
    generation = [1]
    expected = Expectations(generation=lambda: generation[0])
    expected.expect([Change(A, PAUSED, False, True), Change(B, CATEGORY, "", "movies")])
    generation[0] = 2
    # Another client set B's category to "books" meanwhile: the store is right, not our command.
    assert expected.value(B, CATEGORY, "books") == "books"
    # A's pause is still pending (the poll still shows it running).
    assert expected.value(A, PAUSED, False) is True
    assert len(expected) == 1


def test_forget_drops_a_fields_expectations() -> None:
    expected = Expectations()
    expected.expect(
        [Change(A, PAUSED, False, True), Change(B, PAUSED, True, False), Change(A, CATEGORY, "", "x")]
    )
    expected.forget(PAUSED)
    assert expected.value(A, PAUSED, False) is False and expected.value(B, PAUSED, True) is True
    assert expected.value(A, CATEGORY, "") == "x"


def test_an_expectation_the_server_never_shows_expires() -> None:
    clock, generation = Clock(), [1]
    expected = Expectations(generation=lambda: generation[0], ttl=10, clock=clock)
    expected.expect([Change(A, PAUSED, False, True)])
    generation[0] = 5  # polls came, the server still says running (it ignored the command)
    clock.now += 9
    assert expected.value(A, PAUSED, False) is True
    clock.now += 2
    assert expected.value(A, PAUSED, False) is False
    assert len(expected) == 0


def test_expired_expectations_are_dropped_even_if_never_read() -> None:
    clock = Clock()
    expected = Expectations(ttl=10, clock=clock)
    expected.expect(Change(str(n), PAUSED, False, True) for n in range(1000))
    clock.now += 11
    expected.expect([Change(A, PAUSED, False, True)])
    assert len(expected) == 1


def test_expectations_are_per_torrent_and_field() -> None:
    expected = Expectations()
    expected.expect([Change(A, tag_field("keep"), False, True)])
    assert expected.value(A, tag_field("keep"), False) is True
    assert expected.value(A, tag_field("other"), False) is False
    assert expected.value(B, tag_field("keep"), False) is False


async def test_pause_then_resume_before_a_poll_plans_from_the_pause() -> None:
    s = store()
    stack = UndoStack(expected=Expectations(generation=lambda: s.rid))
    pause = plan_pause(s, [A], pausing=True, expected=stack.expected)
    assert pause is not None
    stack.push(pause)  # the pause worked; no poll since
    assert is_paused(s.torrents[A], stack.expected)
    resume = plan_pause(s, [A], pausing=False, expected=stack.expected)
    assert resume is not None and resume.description == "resume “a”"
    api = Recorder()
    await resume.inverse(api)  # type: ignore[arg-type]
    assert api.calls == [("pause", [A])]
    # Without the expectation the store alone would say "already running": nothing to resume.
    assert plan_pause(s, [A], pausing=False) is None


async def test_two_category_changes_before_a_poll_undo_one_step_each() -> None:
    s = store()
    stack = UndoStack(expected=Expectations(generation=lambda: s.rid))
    first = plan_category(s, [A, B], "movies", stack.expected)
    assert first is not None
    stack.push(first)
    second = plan_category(s, [A, B], "books", stack.expected)
    assert second is not None
    stack.push(second)
    api = Recorder()
    item = stack.pop()
    assert item is second
    await item.inverse(api)  # type: ignore[arg-type]
    # Undoing the second change goes back to the first one's category, not past it.
    assert api.calls == [("set_category", [A, B], "movies")]
    stack.undone(item)
    assert stack.expected.value(A, CATEGORY, "tv") == "movies"
    api.calls.clear()
    item = stack.pop()
    assert item is first
    await item.inverse(api)  # type: ignore[arg-type]
    assert api.calls == [("set_category", [A], "tv"), ("set_category", [B], "")]
    stack.undone(item)
    assert stack.expected.value(A, CATEGORY, "tv") == "tv"


def test_a_tag_added_a_moment_ago_counts_as_there() -> None:
    s = store()
    expected = Expectations(generation=lambda: s.rid)
    added = plan_tags(s, [B], ["keep"], adding=True, expected=expected)
    assert added is not None
    expected.expect(added.changes)
    assert plan_tags(s, [B], ["keep"], adding=True, expected=expected) is None  # nothing more to add
    removed = plan_tags(s, [B], ["keep"], adding=False, expected=expected)
    assert removed is not None and removed.description == "tag “keep” removed from “b”"


async def test_a_second_limit_change_undoes_to_the_first() -> None:
    s = store()
    expected = Expectations(generation=lambda: s.rid)
    first = plan_limits(s, [A, B], download=False, new_limit=2000, expected=expected)
    assert first is not None
    expected.expect(first.changes)
    second = plan_limits(s, [A, B], download=False, new_limit=0, expected=expected)
    assert second is not None
    api = Recorder()
    await second.inverse(api)  # type: ignore[arg-type]
    assert api.calls == [("set_torrent_upload_limit", [A, B], 2000)]
