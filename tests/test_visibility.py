"""Who can see the app (qbtui.model.visibility) and the poller's rest while nobody can (issue 18)."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

from qbtui.model.store import Store
from qbtui.model.sync import Poller, SyncUpdate
from qbtui.model.visibility import Multiplexer, Visibility, find_multiplexers


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def socket_file(tmp_path: Path, name: str = "default") -> Path:
    path = tmp_path / name
    path.touch()
    os.chmod(path, 0o600)
    return path


def attach(path: Path, attached: bool) -> None:
    mode = stat.S_IMODE(os.stat(path).st_mode)
    os.chmod(path, mode | stat.S_IXUSR if attached else mode & ~stat.S_IXUSR)


def test_tmux_and_screen_are_found_from_their_variables(tmp_path: Path) -> None:
    found = find_multiplexers({"TMUX": "/tmp/tmux-1000/default,4242,0"})
    assert [(m.name, m.socket) for m in found] == [("tmux", Path("/tmp/tmux-1000/default"))]
    found = find_multiplexers({"STY": "4321.pts-0.box", "SCREENDIR": str(tmp_path)})
    assert [(m.name, m.socket) for m in found] == [("screen", tmp_path / "4321.pts-0.box")]
    assert find_multiplexers({"TERM": "xterm"}) == []
    assert find_multiplexers({"TMUX": ""}) == []


def test_the_owner_exec_bit_says_attached(tmp_path: Path) -> None:
    mux = Multiplexer("tmux", socket_file(tmp_path))
    assert mux.attached() is False
    attach(mux.socket, True)
    assert mux.attached() is True
    assert Multiplexer("tmux", tmp_path / "gone").attached() is None


def test_detached_counts_only_after_someone_was_attached(tmp_path: Path) -> None:
    path = socket_file(tmp_path)
    seen = Visibility([Multiplexer("tmux", path)], clock=Clock())
    seen.look()
    assert seen.seen  # started detached (tmux new -d): nobody has left yet
    attach(path, True)
    seen.look()
    assert seen.seen
    attach(path, False)
    seen.look()
    assert not seen.seen and seen.detached
    attach(path, True)
    seen.look()
    assert seen.seen


def test_focus_out_is_unseen_and_input_is_someone_for_a_while(tmp_path: Path) -> None:
    clock = Clock()
    path = socket_file(tmp_path)
    attach(path, True)
    seen = Visibility([Multiplexer("tmux", path)], clock=clock, grace=30.0)
    seen.look()
    seen.focused = False
    assert not seen.seen
    seen.focused = True
    assert seen.seen
    attach(path, False)
    seen.look()
    assert not seen.seen
    seen.saw_input()  # `tmux send-keys` into a detached session: someone is there
    clock.now += 29
    assert seen.seen
    clock.now += 2
    assert not seen.seen


class Api:
    def __init__(self) -> None:
        self.calls = 0

    async def maindata(self, rid: int = 0) -> dict[str, object]:
        self.calls += 1
        return {"rid": rid + 1, "server_state": {"dl_info_speed": 1}}

    async def close(self) -> None:
        pass


def poller(interval: float = 0.05, unseen: float | None = 30.0) -> tuple[Poller, Api, list[SyncUpdate]]:
    api = Api()
    updates: list[SyncUpdate] = []

    async def connector() -> Api:
        return api

    made = Poller(connector, Store(), updates.append, interval=interval)  # type: ignore[arg-type]
    made.unseen_interval = unseen
    return made, api, updates


async def test_unseen_rests_long_and_marks_the_next_sample_coarse() -> None:
    made, _, updates = poller()
    assert await made.poll_once() == 0.05
    made.set_unseen(True)
    assert await made.poll_once() == 30.0
    assert not updates[-1].coarse  # taken after a normal rest
    made.set_unseen(False)
    assert await made.poll_once() == 0.05
    assert updates[-1].coarse  # the rest before it was the long one
    assert await made.poll_once() == 0.05
    assert not updates[-1].coarse


async def test_never_quiet_when_unseen_interval_is_off() -> None:
    made, _, _ = poller(unseen=None)
    made.set_unseen(True)
    assert await made.poll_once() == 0.05


async def test_someone_looking_again_polls_at_once() -> None:
    made, api, _ = poller()
    made.set_unseen(True)
    task = asyncio.create_task(made.run())
    try:
        while api.calls < 1:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)
        assert api.calls == 1  # resting 30 s
        made.set_unseen(False)
        async with asyncio.timeout(5):
            while api.calls < 4:  # at once, then at the normal rate
                await asyncio.sleep(0.01)
    finally:
        task.cancel()


def test_since_input_counts_from_the_last_key() -> None:
    now = [100.0]
    seen = Visibility(clock=lambda: now[0])
    assert seen.since_input() == float("inf")
    seen.saw_input()
    now[0] = 102.5
    assert seen.since_input() == 2.5
