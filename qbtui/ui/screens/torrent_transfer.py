"""Moving or copying torrents to another server of the fleet (ctrl+t): the questions (which server,
move or copy, check or trust the data there), then a job that runs in the background with its
progress in the status line, saved under the state directory so that it goes on after qbtui was
closed halfway (qbtui.model.transfer, transfer_run).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from qbtui.api.gates import EXPORT
from qbtui.api.models import Torrent
from qbtui.model.paths import PathMap
from qbtui.model.transfer import (
    FAILED,
    TransferJob,
    forget_job,
    plan_transfer,
    save_job,
    unfinished_jobs,
)
from qbtui.model.transfer_run import Interrupted, TransferRunner
from qbtui.ui.fleet_mode import FleetMode
from qbtui.ui.screens.dialogs import ConfirmDialog, PickOne, confirm_then, names_list
from qbtui.ui.screens.torrent_actions import describe, plural
from qbtui.ui.screens.torrent_share import ShareActions
from qbtui.ui.workers import background

#: Seconds between tries while a server of a running job is not connected.
RETRY = 5.0


class TransferActions(ShareActions):
    """Mixed into the main screen."""

    _transfer: TransferJob | None = None

    def _jobs_dir(self) -> Path | None:
        """Where jobs are kept: beside the UI state (None: the state is kept in memory only)."""
        path = self.qbt.ui_state.path
        return path.parent if path is not None else None

    def _save_job(self, job: TransferJob) -> None:
        directory = self._jobs_dir()
        if directory is not None:
            save_job(directory, job)

    # -- asking -----------------------------------------------------------------------------------

    def action_transfer(self) -> None:
        fleet = self.qbt.fleet
        if fleet is None or len(fleet.members) < 2:
            self.toast(
                "Moving a torrent to another server needs several servers in one table "
                "(qbtui --server all, a group, or a fleet row in W)",
                severity="warning",
                timeout=8,
            )
            return
        if self._transfer is not None:
            self.toast(_report(self._transfer), title="Already running", timeout=8)
            return
        self.with_targets(lambda targets: self._ask_target(fleet, targets), verb="Move to another server")

    def _ask_target(self, fleet: FleetMode, targets: list[Torrent]) -> None:
        complete = [t for t in targets if t.progress >= 1.0]
        if not complete:
            self.toast(
                f"{describe(targets)}: only complete torrents move between servers", severity="warning"
            )
            return
        unable = {t.server: _export_reason(fleet, t.server) for t in complete}
        unable = {server: reason for server, reason in unable.items() if reason}
        if len(unable) == len({t.server for t in complete}):
            # Nothing could go: said before any question, nothing sent.
            said = "\n".join(
                f"{server} cannot export .torrent files: {why}" for server, why in unable.items()
            )
            self.toast(said, title="Cannot move", severity="warning", timeout=10)
            return
        sources = {t.server for t in complete}
        links = dict(fleet.indicator())
        choices = [(name, f"{name} ({links.get(name, '?')})") for name in fleet.names if {name} != sources]
        what = describe(complete)
        left = len(targets) - len(complete)
        title = f"Move or copy {what} to" + (f" ({left} incomplete left out)" if left else "")

        def chosen(target: str | None) -> None:
            if target:
                self._ask_how(fleet, complete, target)

        self.app.push_screen(PickOne(title, choices), chosen)

    def _ask_how(self, fleet: FleetMode, torrents: list[Torrent], target: str) -> None:
        on_target = {t.hash for t in fleet.store.torrents.values() if t.server == target}
        going = [t for t in torrents if t.server != target and t.hash not in on_target]
        if not going:
            self.toast(f"{describe(torrents)}: already on {target}", severity="warning")
            return
        source = ", ".join(dict.fromkeys(t.server for t in going))
        choices = [
            ("move", f"Move: remove from {source} once {target} has verified it (its files stay)"),
            ("copy", f"Copy: keep it on {source} too"),
            ("delete", f"Move and delete its files on {source}"),
        ]

        def how(mode: str | None) -> None:
            if mode:
                self._ask_check(fleet, going, target, mode)

        self.app.push_screen(PickOne(f"{describe(going)} to {target}", choices), how)

    def _ask_check(self, fleet: FleetMode, going: list[Torrent], target: str, mode: str) -> None:
        api = fleet.api(target)
        word = "seedMode" if api is not None and api.info.v2_at_least(2, 16) else "skip checking"
        choices = [
            ("check", f"{target} checks the data where it finds it (reads it all: safe)"),
            ("trust", f"{target} trusts the data and seeds at once ({word})"),
        ]

        def check(answer: str | None) -> None:
            if answer:
                self._confirm(fleet, going, target, mode, trust=answer == "trust")

        self.app.push_screen(PickOne(f"The data of {describe(going)} on {target}", choices), check)

    def _confirm(
        self, fleet: FleetMode, going: list[Torrent], target: str, mode: str, *, trust: bool
    ) -> None:
        maps: dict[str, PathMap] = {name: fleet.path_map(name) for name in fleet.names}
        job = plan_transfer(
            [(t.hash, t.name, t.server, t.save_path, t.category) for t in going],
            target,
            maps,
            remove_source=mode != "copy",
            delete_data=mode == "delete",
            trust_data=trust,
        )
        body = names_list([t.name for t in going])
        places = dict.fromkeys((item.source_path, item.target_path) for item in job.items)
        for source_path, target_path in list(places)[:4]:
            body.append(
                f"\n{source_path or '(default)'} → on {target}: {target_path or '(default)'}", style="dim"
            )
        cannot = sorted({t.server for t in going if _cannot_export(fleet, t.server)})
        if cannot:
            body.append(
                f"\n{', '.join(cannot)} cannot export .torrent files (qBittorrent 4.5 or later): "
                "their torrents will fail and stay where they are.",
                style="bold",
            )
        if mode == "copy":
            body.append(f"\nThey stay on {', '.join(job.sources())}.")
        else:
            body.append(f"\nEach is removed from {', '.join(job.sources())} once {target} has all of it")
            body.append(" (its files kept)." if mode == "move" else ".")
        if mode == "delete":
            body.append(
                f"\nTheir files are deleted on {', '.join(job.sources())}: right only when {target} has "
                f"its own copy. With one shared disk, {target} loses them too.",
                style="bold",
            )
        verb = "Copy" if mode == "copy" else "Move"
        title = f"{verb} {plural(len(going), 'torrent')} to {target}?"
        dialog = ConfirmDialog(title, body, verb, danger=mode == "delete")
        confirm_then(self, dialog, lambda: self._start_transfer(job))

    # -- running ----------------------------------------------------------------------------------

    def _start_transfer(self, job: TransferJob) -> None:
        self._transfer = job
        self._save_job(job)
        self._show_transfer(job)
        self._run_transfer(job)

    def _show_transfer(self, job: TransferJob | None) -> None:
        self.status.transfer = _progress(job) if job is not None else ""
        self.status.redraw()

    @background(group="transfer")
    async def _run_transfer(self, job: TransferJob) -> None:
        fleet = self.qbt.fleet
        try:
            while fleet is not None and fleet is self.qbt.fleet:
                runner = TransferRunner(job, fleet.api, self._save_job, self._show_transfer)
                try:
                    await runner.run()
                except Interrupted as exc:
                    # The job is saved: try again while the fleet is shown (a server back), and
                    # from its file the next time qbtui starts.
                    self.status.transfer = f"⇄ {job.target}: waiting ({exc})"
                    self.status.redraw()
                    await asyncio.sleep(RETRY)
                    continue
                failed = job.count(FAILED)
                self.toast(_report(job), severity="warning" if failed else "information", timeout=12)
                fleet.sync.poke([job.target, *job.sources()])
                return
        finally:
            if self._transfer is job:
                self._transfer = None
            self._show_transfer(None)

    def _resume_transfers(self, fleet: FleetMode) -> None:
        """Jobs left halfway whose servers are all in this table: asked about, one at a time."""
        directory = self._jobs_dir()
        # --read-only changes nothing, a job left halfway included (it waits for a run that may).
        if directory is None or self._transfer is not None or self.qbt.read_only:
            return
        for job in unfinished_jobs(directory):
            if job.target in fleet.members and all(source in fleet.members for source in job.sources()):
                self._ask_resume(job, directory)
                return

    def _ask_resume(self, job: TransferJob, directory: Path) -> None:
        choices = [
            ("go", "Go on: each torrent from where it was"),
            ("later", "Not now: ask again the next time"),
            ("forget", "Forget it: leave everything as it is now (torrents added stay on the target)"),
        ]

        def answered(answer: str | None) -> None:
            if answer == "go":
                self._start_transfer(job)
            elif answer == "forget":
                forget_job(directory, job)

        self.app.push_screen(PickOne(f"Left halfway: {job.summary()}", choices), answered)


def _cannot_export(fleet: FleetMode, server: str) -> bool:
    return bool(_export_reason(fleet, server))


def _export_reason(fleet: FleetMode, server: str) -> str:
    """Why `server` cannot export .torrent files ("" when it can, or is not connected yet)."""
    api = fleet.api(server)
    return (EXPORT.reason(api.info) or "") if api is not None else ""


def _progress(job: TransferJob) -> str:
    done = sum(1 for item in job.items if item.finished)
    checking = [item for item in job.items if item.step == "added"]
    text = f"⇄ {job.target} {done}/{len(job.items)}"
    if checking:
        share = sum(item.progress for item in checking) / len(checking)
        text += f" checking {share:.0%}"
    return text


def _report(job: TransferJob) -> str:
    lines = [job.summary()]
    for item in job.items:
        if item.step == FAILED:
            lines.append(f"• {item.name}: {item.error}")
    return "\n".join(lines[:9])
