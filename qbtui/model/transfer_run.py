"""Running a transfer job (qbtui.model.transfer): export from each source, add on the target, follow
the target until it has verified the data, then remove from the source when moving. No Textual here.

Every step is saved before the next one starts; a job that stops (qbtui closed, a server gone) goes
on from its file. The source is only touched once the target has the whole torrent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from qbtui.api import QbtApi, TorrentFileUpload, errors
from qbtui.api.gates import EXPORT
from qbtui.api.models import AddOptions, Torrent
from qbtui.model.transfer import ADDED, DONE, FAILED, VERIFIED, WAITING, TransferItem, TransferJob

ApiOf = Callable[[str], QbtApi | None]

#: Polls of the target that must agree that a torrent checked incomplete before it counts as failed
#: (the first poll after an add can come before the check has started).
INCOMPLETE_POLLS = 3
#: Polls after an add before a torrent the target never listed counts as refused.
MISSING_POLLS = 30


class Interrupted(Exception):
    """The job cannot go on now (a server is not connected); its file keeps it for later."""


@dataclass(slots=True)
class _Watch:
    incomplete: int = 0
    missing: int = 0


class TransferRunner:
    def __init__(
        self,
        job: TransferJob,
        api_of: ApiOf,
        save: Callable[[TransferJob], None],
        changed: Callable[[TransferJob], None] = lambda job: None,
        *,
        interval: float = 1.0,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.job = job
        self._api_of = api_of
        self._save = save
        self._changed = changed
        self._interval = interval
        self._sleep = sleep
        self._watch: dict[str, _Watch] = {}

    def _api(self, server: str) -> QbtApi:
        api = self._api_of(server)
        if api is None:
            raise Interrupted(f"{server} is not connected")
        return api

    def _step(self, item: TransferItem, step: str, error: str = "") -> None:
        item.step, item.error = step, error
        self._save(self.job)
        self._changed(self.job)

    async def run(self) -> TransferJob:
        """Until every torrent is done or failed; raises Interrupted (the job saved) otherwise."""
        for item in self.job.items:
            if item.step == WAITING:
                await self._add(item)
        while any(item.step == ADDED for item in self.job.items):
            await self._follow()
            if any(item.step == ADDED for item in self.job.items):
                await self._sleep(self._interval)
        await self._finish()
        return self.job

    # -- add ---------------------------------------------------------------------------------------

    async def _add(self, item: TransferItem) -> None:
        target = self._api(self.job.target)
        if await _listed(target, item.hash) is not None:
            # Added before qbtui stopped (or by hand): follow it like one added now.
            self._step(item, ADDED)
            return
        source = self._api(item.source)
        reason = EXPORT.reason(source.info)
        if reason is not None:
            self._step(item, FAILED, f"{item.source} cannot export .torrent files: {reason}")
            return
        try:
            data = await source.export_torrent(item.hash)
        except errors.TorrentNotFound:
            self._step(item, FAILED, f"no longer on {item.source}")
            return
        except errors.ConnectionProblem as exc:
            raise Interrupted(f"{item.source}: {exc}") from None
        except errors.QbtError as exc:
            self._step(item, FAILED, f"{item.source}: {exc}")
            return
        options = AddOptions(
            save_path=item.target_path,
            category=item.category or None,
            skip_checking=self.job.trust_data,
            paused=False,
            auto_tmm=False,
            # The files where the source has them: not the target's own default layout.
            content_layout="Original" if _has_layouts(target) else None,
        )
        try:
            await target.add(files=[TorrentFileUpload(f"{item.hash}.torrent", data)], options=options)
        except errors.ConnectionProblem as exc:
            raise Interrupted(f"{self.job.target}: {exc}") from None
        except errors.QbtError as exc:
            self._step(item, FAILED, f"{self.job.target} refused it: {exc}")
            return
        self._step(item, ADDED)

    # -- follow ------------------------------------------------------------------------------------

    async def _follow(self) -> None:
        target = self._api(self.job.target)
        following = [item for item in self.job.items if item.step == ADDED]
        try:
            listed = {t.hash: t for t in await target.torrents(hashes=[item.hash for item in following])}
        except errors.ConnectionProblem as exc:
            raise Interrupted(f"{self.job.target}: {exc}") from None
        moved = False
        for item in following:
            watch = self._watch.setdefault(item.hash, _Watch())
            torrent = listed.get(item.hash)
            if torrent is None:
                watch.missing += 1
                if watch.missing >= MISSING_POLLS:
                    self._step(item, FAILED, f"{self.job.target} did not list it after adding it")
                continue
            verdict = verified(torrent)
            if verdict is True:
                item.progress = 1.0
                self._step(item, VERIFIED)
                continue
            if torrent.state.is_errored:
                where = item.target_path or "its save path"
                self._step(item, FAILED, f"{self.job.target}: {torrent.state.label} at {where}")
                continue
            if verdict is False:
                watch.incomplete += 1
                if watch.incomplete >= INCOMPLETE_POLLS:
                    self._step(
                        item,
                        FAILED,
                        f"{self.job.target} found {torrent.progress:.0%} of the data at {item.target_path} "
                        f"(it downloads the rest; {item.source} keeps its copy)",
                    )
                continue
            watch.incomplete = 0
            if abs(torrent.progress - item.progress) >= 0.005:
                item.progress = torrent.progress
                moved = True
        if moved:
            self._changed(self.job)

    # -- finish ------------------------------------------------------------------------------------

    async def _finish(self) -> None:
        verified_items = [item for item in self.job.items if item.step == VERIFIED]
        if not self.job.remove_source:
            for item in verified_items:
                self._step(item, DONE)
            return
        by_source: dict[str, list[TransferItem]] = {}
        for item in verified_items:
            by_source.setdefault(item.source, []).append(item)
        for source_name, items in by_source.items():
            source = self._api(source_name)
            try:
                await source.delete([item.hash for item in items], delete_files=self.job.delete_data)
            except errors.ConnectionProblem as exc:
                raise Interrupted(f"{source_name}: {exc}") from None
            except errors.QbtError as exc:
                why = f"on {self.job.target}, but {source_name} refused the removal: {exc}"
                for item in items:
                    self._step(item, FAILED, why)
                continue
            for item in items:
                self._step(item, DONE)


def verified(torrent: Torrent) -> bool | None:
    """True once the target has all of it (checked, or trusted); False when it checked and found
    less; None while it is still checking (or about to)."""
    if torrent.state.is_checking or torrent.state.value in ("allocating", "moving", "metaDL", "forcedMetaDL"):
        return None
    return torrent.progress >= 1.0 and not torrent.state.is_errored


async def _listed(api: QbtApi, hash: str) -> Torrent | None:
    try:
        found = await api.torrents(hashes=[hash])
    except errors.ConnectionProblem as exc:
        raise Interrupted(str(exc)) from None
    return next((t for t in found if t.hash == hash), None)


def _has_layouts(api: QbtApi) -> bool:
    info = api.info
    return not info.is_legacy and info.v2_at_least(2, 7)
