"""The torrent list's keys for sharing and seeding: share limits (`t`), export the .torrent (`x`),
copy the magnet link (`y`) or the info hash (`Y`). They follow the rule of every torrent action
(`TorrentActions.with_targets`): the marked torrents, or the highlighted one; hidden marked ones
are asked about. Share limits go on the undo stack.
"""

from __future__ import annotations

from pathlib import Path

from qbtui.api import QbtApi, errors
from qbtui.api.gates import EXPORT, SHARE_LIMITS
from qbtui.api.models import Torrent
from qbtui.model.share_limits import ShareLimits, ShareLimitsEdit
from qbtui.model.sharing import info_hash, magnet_link
from qbtui.model.undo import plan_share_limits, send_share_limits, share_limits_now
from qbtui.ui.screens.local_save import (
    LocalPathPrompt,
    describe_path,
    shown_path,
    torrent_file_name,
    unless_replacing,
)
from qbtui.ui.screens.share_limits import ShareLimitsDialog
from qbtui.ui.screens.torrent_actions import TorrentActions, describe, plural
from qbtui.ui.workers import background
from qbtui.util.atomicfile import write_atomic


class ShareActions(TorrentActions):
    """Mixed into the main screen."""

    def _gated(self, reason: str | None) -> bool:
        """True (after saying why) when the server lacks what the key needs."""
        if reason is not None:
            self.toast(reason, severity="warning", timeout=8)
            return True
        return False

    # -- share limits -------------------------------------------------------------------------

    def action_share_limits(self) -> None:
        api = self.qbt.api
        if self._gated(SHARE_LIMITS.reason(api.info if api else None)):
            return
        self.with_targets(self._share_limits, verb="Share limits")

    def _share_limits(self, targets: list[Torrent]) -> None:
        api = self.qbt.api
        if api is None:
            return
        store, expected = self.qbt.store, self.undo.expected
        current = [share_limits_now(store, t.hash, expected) or ShareLimits() for t in targets]
        hashes = [t.hash for t in targets]

        def chosen(edit: ShareLimitsEdit | None) -> None:
            if edit is None or edit.empty:
                return
            groups, undo = plan_share_limits(self.qbt.store, hashes, edit, self.undo.expected)
            if not groups:
                self.toast(f"{describe(targets)}: those share limits are set already", timeout=3)
                return
            changed = sum(len(keys) for keys in groups.values())
            rest = len(targets) - changed
            note = f" ({rest} had them already)" if rest else ""
            self.run_command(
                lambda api: send_share_limits(api, groups),
                f"Share limits set on {describe([t for t in targets if t.hash in undo_keys(groups)])}{note}",
                undo,
            )

        self.app.push_screen(
            ShareLimitsDialog(f"Share limits of {describe(targets)}", current, api.info), chosen
        )

    # -- export -------------------------------------------------------------------------------

    def action_export(self) -> None:
        api = self.qbt.api
        if self._gated(EXPORT.reason(api.info if api else None)):
            return
        self.with_targets(self._export, verb="Export")

    def _export(self, targets: list[Torrent]) -> None:
        here = Path.cwd()
        if len(targets) == 1:
            torrent = targets[0]
            suggested = shown_path(here / torrent_file_name(torrent.name, torrent.hash))

            def to_file(path: Path | None) -> None:
                if path is not None:
                    unless_replacing(self.app, [path], lambda: self.export_to({torrent.hash: path}))

            prompt = LocalPathPrompt(
                f"Export the .torrent of {describe(targets)} to", suggested, hint="On this machine."
            )
            self.app.push_screen(prompt, to_file)
            return

        def to_folder(folder: Path | None) -> None:
            if folder is None:
                return
            paths = {t.hash: folder / torrent_file_name(t.name, t.hash) for t in targets}
            unless_replacing(self.app, list(paths.values()), lambda: self.export_to(paths))

        prompt = LocalPathPrompt(
            f"Export {plural(len(targets), '.torrent file')} into the folder",
            shown_path(here),
            hint="On this machine; each file is named after its torrent.",
            folder=True,
        )
        self.app.push_screen(prompt, to_folder)

    @background(group="commands")
    async def export_to(self, paths: dict[str, Path]) -> None:
        """Fetch each .torrent and write it (atomically, private: tracker URLs may hold passkeys)."""
        api: QbtApi | None = self.qbt.api
        if api is None:
            self.toast("Not connected to qBittorrent", severity="error")
            return
        written: list[Path] = []
        failed: list[str] = []
        torrents = self.qbt.store.torrents
        for hash, path in paths.items():
            name = torrents[hash].name if hash in torrents else hash[:12]
            try:
                data = await api.export_torrent(hash)
                write_atomic(path, data)
            except errors.QbtError as exc:
                failed.append(f"{name}: {exc}")
            except OSError as exc:
                failed.append(f"{name}: {shown_path(path)}: {exc.strerror or exc}")
            else:
                written.append(path)
        if written:
            where = describe_path(written[0]) if len(written) == 1 else describe_path(written[0].parent)
            what = "the .torrent" if len(written) == 1 else plural(len(written), ".torrent file")
            self.toast(f"Exported {what} to {where}", timeout=5)
        if failed:
            self.toast("\n".join(failed[:8]), title="Not exported", severity="error", timeout=12)

    # -- copying ------------------------------------------------------------------------------

    def action_copy_magnet(self) -> None:
        self.with_targets(lambda targets: self._copy(targets, "magnet"), verb="Copy")

    def action_copy_hash(self) -> None:
        self.with_targets(lambda targets: self._copy(targets, "hash"), verb="Copy")

    def _copy(self, targets: list[Torrent], what: str) -> None:
        """OSC 52: the terminal puts it on the clipboard, over SSH too; tmux passes it on with
        `set -g set-clipboard on` (README)."""
        lines = [magnet_link(t) if what == "magnet" else info_hash(t) for t in targets]
        self.app.copy_to_clipboard("\n".join(lines))
        noun = "magnet link" if what == "magnet" else "info hash"
        what_of = f"the {noun} of {describe(targets)}" if len(targets) == 1 else plural(len(targets), noun)
        self.toast(f"Copied {what_of} to the clipboard", timeout=3)


def undo_keys(groups: dict[ShareLimits, list[str]]) -> set[str]:
    return {key for keys in groups.values() for key in keys}
