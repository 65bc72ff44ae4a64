"""Moving or copying torrents to another server of the fleet: the job, what each torrent has got
to, and the small file that lets a job go on after qbtui was closed halfway. No Textual here.

A torrent goes through these steps, each one recorded before the next starts, so that a job read
back from its file goes on from where it was (and a step done twice does no harm):

    waiting   -> added      the .torrent was exported from the source and added on the target, at
                            the source's save path as the target sees it (the path maps)
    added     -> verified   the target has checked the data (or was told to trust it) and has all of it
    verified  -> done       copying: nothing more; moving: removed from the source (its files kept
                            unless the job says to delete them)
    any       -> failed     with the reason; the source is never touched then
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from qbtui.model.paths import PathMap, map_path
from qbtui.util.atomicfile import write_atomic

WAITING, ADDED, VERIFIED, DONE, FAILED = "waiting", "added", "verified", "done", "failed"
STEPS = (WAITING, ADDED, VERIFIED, DONE, FAILED)
FINISHED = frozenset({DONE, FAILED})

#: The file's own version: a job written by a later qbtui is left alone, not misread.
VERSION = 1


@dataclass(slots=True)
class TransferItem:
    """One torrent of a job."""

    hash: str
    name: str
    source: str
    #: Where the source keeps it, and where the target will look for the same files.
    source_path: str
    target_path: str
    category: str = ""
    step: str = WAITING
    error: str = ""
    #: The target's progress while checking (0..1), for the progress line; not needed to resume.
    progress: float = 0.0

    @property
    def finished(self) -> bool:
        return self.step in FINISHED


@dataclass(slots=True)
class TransferJob:
    """Torrents of one or more source servers going to one target server."""

    id: str
    target: str
    #: Remove each torrent from its source once the target has verified it (a move).
    remove_source: bool
    #: ... and delete the source's files with it (only ever when asked).
    delete_data: bool = False
    #: Trust the data on the target instead of checking it (skip_checking; seedMode on WebAPI 2.16+).
    trust_data: bool = False
    items: list[TransferItem] = field(default_factory=list)
    created: float = 0.0

    @property
    def verb(self) -> str:
        return "Moving" if self.remove_source else "Copying"

    @property
    def finished(self) -> bool:
        return all(item.finished for item in self.items)

    def count(self, *steps: str) -> int:
        return sum(1 for item in self.items if item.step in steps)

    def sources(self) -> list[str]:
        return list(dict.fromkeys(item.source for item in self.items))

    def summary(self) -> str:
        """One line: what is where ("Moving 10 torrents to box: 4 done, 3 checking, 1 failed")."""
        total = len(self.items)
        noun = "torrent" if total == 1 else "torrents"
        parts = []
        for step, word in ((DONE, "done"), (VERIFIED, "verified"), (ADDED, "checking"), (WAITING, "waiting")):
            if n := self.count(step):
                parts.append(f"{n} {word}")
        if n := self.count(FAILED):
            parts.append(f"{n} failed")
        return f"{self.verb} {total} {noun} to {self.target}: " + ", ".join(parts)


def plan_transfer(
    torrents: Iterable[tuple[str, str, str, str, str]],
    target: str,
    path_maps: dict[str, PathMap],
    *,
    remove_source: bool,
    delete_data: bool = False,
    trust_data: bool = False,
) -> TransferJob:
    """A job for (hash, name, source server, save path, category) rows; a row already on the
    target is left out by the caller (the same torrent cannot be added twice)."""
    items = []
    empty = PathMap()
    for hash, name, source, save_path, category in torrents:
        mapped = map_path(save_path, path_maps.get(source, empty), path_maps.get(target, empty))
        items.append(TransferItem(hash, name, source, save_path, mapped, category))
    return TransferJob(
        id=f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}",
        target=target,
        remove_source=remove_source,
        delete_data=delete_data and remove_source,
        trust_data=trust_data,
        items=items,
        created=time.time(),
    )


# -- the job files ---------------------------------------------------------------------------------


def jobs_dir(state_dir: Path) -> Path:
    return state_dir / "transfers"


def job_path(state_dir: Path, job: TransferJob) -> Path:
    return jobs_dir(state_dir) / f"{job.id}.json"


def save_job(state_dir: Path, job: TransferJob) -> None:
    """Write the job (private, in one step); a finished job's file is removed."""
    path = job_path(state_dir, job)
    if job.finished:
        path.unlink(missing_ok=True)
        return
    document = {"version": VERSION, **asdict(job)}
    write_atomic(path, json.dumps(document, indent=1))


def forget_job(state_dir: Path, job: TransferJob) -> None:
    job_path(state_dir, job).unlink(missing_ok=True)


class BadJobFile(ValueError):
    """A job file that cannot be read back (it is left where it is)."""


def _item(raw: Any) -> TransferItem:
    if not isinstance(raw, dict):
        raise BadJobFile("an item is not an object")
    known = {f.name for f in fields(TransferItem)}
    values = {k: v for k, v in raw.items() if k in known}
    try:
        item = TransferItem(**values)
    except TypeError as exc:
        raise BadJobFile(f"an item lacks a field: {exc}") from None
    if item.step not in STEPS or not all(
        isinstance(getattr(item, name), str) for name in ("hash", "name", "source", "target_path", "step")
    ):
        raise BadJobFile(f"an item has a bad step or field: {item.step!r}")
    return item


def read_job(path: Path) -> TransferJob:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadJobFile(f"{path.name}: {exc}") from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise BadJobFile(f"{path.name}: not a version {VERSION} job")
    try:
        job = TransferJob(
            id=str(document["id"]),
            target=str(document["target"]),
            remove_source=bool(document["remove_source"]),
            delete_data=bool(document.get("delete_data", False)),
            trust_data=bool(document.get("trust_data", False)),
            items=[_item(raw) for raw in document.get("items", [])],
            created=float(document.get("created", 0.0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BadJobFile(f"{path.name}: {exc}") from None
    if job.id != path.stem:
        raise BadJobFile(f"{path.name}: names job {job.id}")
    return job


def unfinished_jobs(state_dir: Path) -> list[TransferJob]:
    """Jobs left halfway, oldest first; unreadable files are skipped (and kept for the user)."""
    directory = jobs_dir(state_dir)
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.json")):
        try:
            job = read_job(path)
        except BadJobFile:
            continue
        if not job.finished:
            found.append(job)
    return sorted(found, key=lambda job: job.created)
