"""Moving torrents between servers, without servers: the save path through both path maps, the job
file, and a job that stops halfway going on from its file without adding anything twice."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from qbtui.api import errors
from qbtui.api.models import AddOptions, ApiGeneration, ServerInfo, Torrent, TorrentState
from qbtui.model.paths import PathMap
from qbtui.model.transfer import (
    ADDED,
    DONE,
    FAILED,
    WAITING,
    BadJobFile,
    job_path,
    plan_transfer,
    read_job,
    save_job,
    unfinished_jobs,
)
from qbtui.model.transfer_run import INCOMPLETE_POLLS, Interrupted, TransferRunner

V2_45 = ServerInfo(ApiGeneration.V2, (2, 8, 19), "v4.5.2")
V2_53 = ServerInfo(ApiGeneration.V2, (2, 16, 2), "v5.3.0")
V2_44 = ServerInfo(ApiGeneration.V2, (2, 8, 5), "v4.4.5")
H1, H2 = "a" * 40, "b" * 40


def test_the_save_path_goes_through_both_path_maps() -> None:
    maps = {
        "nas": PathMap.of([("/downloads", "/srv/pool")]),
        "box": PathMap.of([("/data", "/srv/pool"), ("/data/tv", "/srv/tv")]),
    }
    job = plan_transfer(
        [
            (H1, "one", "nas", "/downloads/films", "films"),
            (H2, "two", "nas", "/elsewhere/x", ""),
        ],
        "box",
        maps,
        remove_source=True,
    )
    assert [item.target_path for item in job.items] == ["/data/films", "/elsewhere/x"]
    assert job.items[0].category == "films" and not job.delete_data
    # The longest prefix wins; a shared path the target has no entry for is used as it is.
    back = plan_transfer([(H1, "one", "box", "/data/tv/show", "")], "nas", maps, remove_source=False)
    assert back.items[0].target_path == "/srv/tv/show"
    to_nas = plan_transfer([(H1, "one", "box", "/data/films/", "")], "nas", maps, remove_source=False)
    assert to_nas.items[0].target_path == "/downloads/films/"
    # Deleting the source's files only ever comes with a move.
    assert not plan_transfer([], "nas", maps, remove_source=False, delete_data=True).delete_data


def test_the_job_file_round_trips_and_finished_jobs_leave(tmp_path: Path) -> None:
    job = plan_transfer([(H1, "one", "nas", "/d", "")], "box", {}, remove_source=True, trust_data=True)
    save_job(tmp_path, job)
    path = job_path(tmp_path, job)
    assert path.stat().st_mode & 0o077 == 0, "the job file is private"
    again = read_job(path)
    assert again == job
    assert [j.id for j in unfinished_jobs(tmp_path)] == [job.id]
    job.items[0].step = DONE
    save_job(tmp_path, job)
    assert not path.exists() and unfinished_jobs(tmp_path) == []
    bad = path.with_name("20260101-000000-abcdef.json")
    items = [{"hash": H1, "step": "exploded"}]
    document = {"version": 1, "id": bad.stem, "target": "box", "remove_source": True, "items": items}
    bad.write_text(json.dumps(document))
    with pytest.raises(BadJobFile):
        read_job(bad)
    assert unfinished_jobs(tmp_path) == [] and bad.exists(), "an unreadable job is skipped and kept"


# -- the runner against fake servers -----------------------------------------------------------------


@dataclass
class FakeServer:
    info: ServerInfo
    torrents_here: dict[str, Torrent] = field(default_factory=dict)
    adds: list[AddOptions] = field(default_factory=list)
    deletes: list[tuple[list[str], bool]] = field(default_factory=list)
    #: Polls the added torrent spends checking, then the progress it ends with.
    checking_polls: int = 2
    found: float = 1.0
    polls: dict[str, int] = field(default_factory=dict)

    async def torrents(self, *, hashes: list[str] | None = None, **_: Any) -> list[Torrent]:
        found = []
        for hash in hashes or list(self.torrents_here):
            torrent = self.torrents_here.get(hash)
            if torrent is None:
                continue
            seen = self.polls[hash] = self.polls.get(hash, 0) + 1
            if torrent.state is TorrentState.CHECKING_UP and seen > self.checking_polls:
                torrent.progress = self.found
                torrent.state = TorrentState.STALLED_UP if self.found >= 1 else TorrentState.STALLED_DL
            found.append(torrent)
        return found

    async def export_torrent(self, hash: str) -> bytes:
        if hash not in self.torrents_here:
            raise errors.TorrentNotFound(hash)
        return b"d4:infod4:name3:onee"

    async def add(self, urls: Any = (), files: Any = (), options: AddOptions | None = None) -> None:
        assert options is not None
        self.adds.append(options)
        hash = files[0].filename.removesuffix(".torrent")
        self.torrents_here[hash] = _torrent(hash, TorrentState.CHECKING_UP, 0.0, options.save_path or "")

    async def delete(self, hashes: list[str], *, delete_files: bool) -> None:
        self.deletes.append((list(hashes), delete_files))
        for hash in hashes:
            self.torrents_here.pop(hash, None)


def _torrent(hash: str, state: TorrentState, progress: float, save_path: str = "/d") -> Torrent:
    return Torrent(hash=hash, name=hash[:4], state=state, progress=progress, save_path=save_path)


async def _no_sleep(_: float) -> None:
    await asyncio.sleep(0)


def _run(job: Any, servers: dict[str, Any], state: Path) -> Any:
    runner = TransferRunner(job, servers.get, lambda j: save_job(state, j), sleep=_no_sleep)
    return asyncio.run(runner.run())


def test_a_move_stopped_halfway_goes_on_from_its_file(tmp_path: Path) -> None:
    seeding = {h: _torrent(h, TorrentState.UPLOADING, 1.0) for h in (H1, H2)}
    nas = FakeServer(V2_45, seeding)
    box = FakeServer(V2_53)
    maps = {"nas": PathMap.of([("/d", "/pool")]), "box": PathMap.of([("/data", "/pool")])}
    job = plan_transfer(
        [(H1, "one", "nas", "/d", ""), (H2, "two", "nas", "/d", "")], "box", maps, remove_source=True
    )
    save_job(tmp_path, job)
    # The source goes away once both are added: the target checks them, the source is not touched.
    servers: dict[str, Any] = {"box": box, "nas": nas}

    def gone(j: Any) -> None:
        save_job(tmp_path, j)
        if all(item.step != WAITING for item in j.items):
            servers.pop("nas", None)

    runner = TransferRunner(job, servers.get, gone, sleep=_no_sleep)
    with pytest.raises(Interrupted, match="nas is not connected"):
        asyncio.run(runner.run())
    assert len(box.adds) == 2 and nas.deletes == []
    assert box.adds[0].save_path == "/data" and box.adds[0].skip_checking is False
    assert box.adds[0].content_layout == "Original" and box.adds[0].paused is False
    # qbtui again: the job is read back and goes on; nothing is added twice.
    left = unfinished_jobs(tmp_path)
    assert [j.id for j in left] == [job.id] and {i.step for i in left[0].items} <= {ADDED, "verified"}
    done = _run(left[0], {"box": box, "nas": nas}, tmp_path)
    assert len(box.adds) == 2, "resuming added again"
    assert nas.deletes == [([H1, H2], False)], "removed from the source, its files kept"
    assert [i.step for i in done.items] == [DONE, DONE] and unfinished_jobs(tmp_path) == []


def test_the_source_stays_when_the_target_finds_less_or_cannot_export(tmp_path: Path) -> None:
    nas = FakeServer(V2_45, {H1: _torrent(H1, TorrentState.UPLOADING, 1.0)})
    box = FakeServer(V2_53, found=0.4)
    job = plan_transfer([(H1, "one", "nas", "/d", "")], "box", {}, remove_source=True, delete_data=True)
    done = _run(job, {"box": box, "nas": nas}, tmp_path)
    assert done.items[0].step == FAILED and "found 40% of the data at /d" in done.items[0].error
    assert nas.deletes == [], "the source was touched although the target lacks data"
    assert box.polls[H1] >= box.checking_polls + INCOMPLETE_POLLS
    # A 4.4 source cannot export: said plainly, nothing is added.
    old = FakeServer(V2_44, {H2: _torrent(H2, TorrentState.UPLOADING, 1.0)})
    other = FakeServer(V2_53)
    job = plan_transfer([(H2, "two", "old", "/d", "")], "box", {}, remove_source=True)
    done = _run(job, {"box": other, "old": old}, tmp_path)
    assert done.items[0].step == FAILED and other.adds == []
    assert "old cannot export .torrent files" in done.items[0].error and "4.5" in done.items[0].error


def test_a_copy_trusting_the_data_keeps_the_source(tmp_path: Path) -> None:
    nas = FakeServer(V2_45, {H1: _torrent(H1, TorrentState.UPLOADING, 1.0)})
    box = FakeServer(V2_53, checking_polls=0)
    job = plan_transfer([(H1, "one", "nas", "/d", "")], "box", {}, remove_source=False, trust_data=True)
    done = _run(job, {"box": box, "nas": nas}, tmp_path)
    assert done.items[0].step == DONE and nas.deletes == [] and box.adds[0].skip_checking is True
