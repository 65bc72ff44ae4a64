"""What the torrent list's keys do to torrents: pause, remove, recheck, move, rename, limits, flags.

The rule every action follows (README, "Keys"): an action acts on the marked torrents, or on the
highlighted one when none is marked. Marked torrents that the filter or the sidebar hides are never
touched without asking first ("2 of the 5 marked torrents are hidden by the filter"), and an action
that is heavy for the server (recheck, move) or that reaches every torrent (pause all, resume all)
asks with the count and the total size. What a command changes goes on the undo stack (`u`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from qbtui.api import QbtApi, errors
from qbtui.api.base import PartialFailure
from qbtui.api.models import Torrent
from qbtui.model.expectations import PAUSED
from qbtui.model.undo import (
    FLAGS,
    Undoable,
    UndoStack,
    combine,
    flag_target,
    is_paused,
    plan_category,
    plan_flag,
    plan_limits,
    plan_pause,
)
from qbtui.ui.screens.dialogs import (
    ChoiceDialog,
    ConfirmDialog,
    DeleteDialog,
    Limits,
    LimitsDialog,
    PickOne,
    TextPrompt,
    confirm_then,
    names_list,
)
from qbtui.ui.screens.main_parts import MainParts
from qbtui.ui.screens.server_path_prompt import ServerPathPrompt
from qbtui.ui.text import safe
from qbtui.ui.workers import background
from qbtui.util import format as fmt
from qbtui.util.units import parse_rate

if TYPE_CHECKING:
    from qbtui.ui.widgets.torrent_table import TorrentTable

Command = Callable[[QbtApi], Awaitable[object]]
Act = Callable[[list[Torrent]], object]

#: Toasts quote at most this much of a torrent's name.
DESCRIBED_NAME_LIMIT = 120


@dataclass(frozen=True, slots=True)
class Heavy:
    """An action that costs the server a lot per torrent: asked for when it reaches several."""

    verb: str  # "Recheck"
    why: str  # what it costs, one sentence


RECHECK = Heavy("Recheck", "Rechecking reads every piece back from disk: hours of disk I/O for large ones.")
MOVE = Heavy("Move", "Moving copies the data on the server's disk; the torrents stop until it is done.")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def describe(torrents: Sequence[Torrent]) -> str:
    if len(torrents) == 1:
        name = torrents[0].name
        return f"“{name[:DESCRIBED_NAME_LIMIT]}…”" if len(name) > DESCRIBED_NAME_LIMIT else f"“{name}”"
    return plural(len(torrents), "torrent")


def total_size(torrents: Sequence[Torrent]) -> int:
    return sum(t.total_size or t.size for t in torrents)


class TorrentActions(MainParts):
    """The torrent commands of the main screen (its bindings name these actions)."""

    @property
    def undo(self) -> UndoStack:
        stack = self.qbt.undo
        assert stack is not None  # QbtuiApp always has one
        return stack

    @property
    def table(self) -> TorrentTable:
        raise NotImplementedError

    # -- which torrents ---------------------------------------------------------------------------

    def chosen(self) -> tuple[list[Torrent], list[Torrent]]:
        """(shown, hidden), each in the table's order: the marked torrents the table shows and those
        the filter hides; with nothing marked, the highlighted torrent."""
        table, view, torrents = self.table, self.qbt.view, self.qbt.store.torrents
        if not table.marked:
            cursor = table.cursor_hash
            return ([torrents[cursor]] if cursor in torrents else []), []
        marked = [torrents[h] for h in view.in_display_order(table.marked) if h in torrents]
        shown = [t for t in marked if view.is_shown(t.hash)]
        return shown, [t for t in marked if not view.is_shown(t.hash)]

    def with_targets(self, act: Act, *, verb: str, heavy: Heavy | None = None) -> None:
        """Call `act` with the torrents an action is for, once the user has said which when some
        are hidden, and confirmed a heavy action on several."""
        shown, hidden = self.chosen()
        if not shown and not hidden:
            self.toast("No torrent selected", severity="warning")
            return
        everything = shown + hidden
        if not hidden and (heavy is None or len(shown) < 2):
            act(shown)
            return
        if not hidden:
            assert heavy is not None
            body = names_list([t.name for t in shown])
            body.append(f"{fmt.size(total_size(shown))} in total. {heavy.why}", style="bold")
            title = f"{heavy.verb} {plural(len(shown), 'torrent')}?"
            confirm_then(self, ConfirmDialog(title, body, heavy.verb, danger=True), lambda: act(shown))
            return
        count = len(hidden)
        title = (
            f"{verb}: {count} of the {len(everything)} marked torrents "
            f"{'is' if count == 1 else 'are'} hidden by the filter"
        )
        body = Text("Hidden by the filter:\n")
        body.append_text(names_list([t.name for t in hidden]))
        if heavy is not None:
            body.append(f"\n{heavy.why}", style="bold")
        answers = [("all", f"All {len(everything)} ({fmt.size(total_size(everything))})")]
        cursor = self.qbt.store.torrents.get(self.table.cursor_hash or "")
        if shown:
            answers.insert(0, ("shown", f"Only the {len(shown)} shown ({fmt.size(total_size(shown))})"))
        else:
            title = f"{verb}: the {plural(count, 'marked torrent')} {'is' if count == 1 else 'are'} hidden"
            if cursor is not None:
                # Nothing marked is on screen: the highlighted row is what the user may have meant.
                answers.insert(0, ("highlighted", "The highlighted one"))
                body.append(f"\nHighlighted: {safe(cursor.name)}", style="dim")

        def answered(answer: str | None) -> None:
            if answer == "shown":
                act(shown)
            elif answer == "highlighted" and cursor is not None:
                act([cursor])
            elif answer == "all":
                act(everything)

        focus = "shown" if shown and heavy is None else "cancel"
        self.app.push_screen(
            ChoiceDialog(title, body, answers, focus=focus, danger=heavy is not None), answered
        )

    # -- sending ----------------------------------------------------------------------------------

    @background(group="commands")
    async def run_command(
        self, command: Command, done: str, undo: Undoable | None = None, undoing: Undoable | None = None
    ) -> None:
        """Send one command; toast the result or the server's reason, then poll at once.
        `undo`, planned from the state before the command, becomes undoable once it worked;
        `undoing` is the item whose inverse `command` is."""
        api = self.qbt.api
        if api is None:
            self.toast("Not connected to qBittorrent", severity="error")
            return
        try:
            await command(api)
        except PartialFailure as exc:
            self.toast(self._failures_by_name(exc), title="Partly refused", severity="error", timeout=12)
        except errors.QbtError as exc:
            self.toast(str(exc), title="Refused", severity="error", timeout=8)
        else:
            self.undo.push(undo)
            if undoing is not None:
                self.undo.undone(undoing)
            self.toast(done + (" (u undoes)" if undo is not None else ""), timeout=3)
        finally:
            self.qbt.poke()

    def _failures_by_name(self, failure: PartialFailure) -> str:
        """Which torrents a bulk command failed for, by name, each with the server's reason."""
        torrents = self.qbt.store.torrents
        lines = [f"{failure.action.capitalize()} failed for {len(failure.failed)} of {failure.total}:"]
        for key, error in list(failure.failed.items())[:8]:
            torrent = torrents.get(key)
            lines.append(f"• {torrent.name if torrent else key[:12]}: {error}")
        if len(failure.failed) > 8:
            lines.append(f"… and {len(failure.failed) - 8} more")
        return "\n".join(lines)

    def _on_targets(
        self,
        verb: str,
        command: Callable[[QbtApi, list[str]], Awaitable[object]],
        *,
        heavy: Heavy | None = None,
    ) -> None:
        def act(targets: list[Torrent]) -> None:
            hashes = [t.hash for t in targets]
            self.run_command(lambda api: command(api, hashes), f"{verb} {describe(targets)}")

        self.with_targets(act, verb=verb, heavy=heavy)

    # -- undo ---------------------------------------------------------------------------------------

    def action_undo(self) -> None:
        item = self.undo.pop()
        if item is None:
            self.toast("Nothing to undo", severity="warning")
            return
        self.run_command(item.inverse, f"Undid: {item.description}", undoing=item)

    def action_undo_history(self) -> None:
        items = self.undo.history()
        if not items:
            self.toast("No actions to undo yet", timeout=3)
            return
        lines = [f"{time.strftime('%H:%M:%S', time.localtime(i.at))}  {i.description}" for i in items]
        self.toast(
            "\n".join(["Newest first; u undoes the top one:", *lines]), title="Undo history", timeout=10
        )

    # -- pause and resume ---------------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        words = self.qbt.words

        def act(targets: list[Torrent]) -> None:
            store, expected = self.qbt.store, self.undo.expected
            # Paused as far as we know: a pause that worked a moment ago counts before a poll shows
            # it, so pressing p twice pauses and resumes.
            pausing = not all(is_paused(t, expected) for t in targets)
            hashes = [t.hash for t in targets]
            plan = plan_pause(store, hashes, pausing=pausing, expected=expected)
            changed = {change.hash for change in plan.changes} if plan is not None else set()
            state = words.paused.lower() if pausing else "running"
            if not changed:
                self.toast(f"{describe(targets)}: already {state}", timeout=3)
                return
            moved = [t for t in targets if t.hash in changed]
            rest = len(targets) - len(moved)
            note = f" ({rest} already {state})" if rest else ""

            async def send(api: QbtApi) -> None:
                keys = [t.hash for t in moved]
                await (api.pause(keys) if pausing else api.resume(keys))

            done = words.paused if pausing else words.resumed
            self.run_command(send, f"{done} {describe(moved)}{note}", plan)

        self.with_targets(act, verb=words.toggle)

    def _everything(self, pausing: bool) -> None:
        """P and R: every torrent on the server, asked first with the count; u puts each torrent
        back in its own state (only those this changed)."""
        store, expected, words = self.qbt.store, self.undo.expected, self.qbt.words
        torrents = list(store.torrents.values())
        plan = plan_pause(store, [t.hash for t in torrents], pausing=pausing, expected=expected)
        verb = words.pause if pausing else words.resume
        now, after = ("running", words.paused.lower()) if pausing else (words.paused.lower(), "running")
        changing = len(plan.changes) if plan is not None else 0
        everyone = plural(len(torrents), "torrent")
        if not changing:
            self.toast(f"All {everyone} are already {after}")
            return
        already = len(torrents) - changing
        body = f"{changing} of the {everyone} on the server {'is' if changing == 1 else 'are'} {now}"
        if already:
            body += f"; the {already} already {after} stay as they are"
        body += f". u puts exactly these {changing} back."
        done = f"{words.paused if pausing else words.resumed} all torrents ({changing} changed)"

        def confirmed() -> None:
            self.undo.expected.forget(PAUSED)  # "all" also reaches torrents added since the plan
            self.run_command(lambda api: api.pause("all") if pausing else api.resume("all"), done, plan)

        confirm_then(self, ConfirmDialog(f"{verb} all {everyone}?", body, f"{verb} all"), confirmed)

    def action_pause_all(self) -> None:
        self._everything(pausing=True)

    def action_resume_all(self) -> None:
        self._everything(pausing=False)

    # -- one-shot commands ----------------------------------------------------------------------

    def action_recheck(self) -> None:
        self._on_targets("Rechecking", lambda api, h: api.recheck(h), heavy=RECHECK)

    def action_reannounce(self) -> None:
        self._on_targets("Reannounced", lambda api, h: api.reannounce(h))

    def action_queue(self, move: str) -> None:
        words = {
            "increase": "Moved up",
            "decrease": "Moved down",
            "top": "Moved to the top",
            "bottom": "Moved to the bottom",
        }
        self._on_targets(words[move], lambda api, h: api.move_in_queue(h, move))  # type: ignore[arg-type]

    # -- flags: sequential, first/last piece, super seeding, automatic management, forced start ---

    def _set_flag(self, name: str) -> None:
        """Set the flag to one state on every target (on, unless all have it on), say which, and
        make it undoable; torrents already in that state are left alone."""
        flag = FLAGS[name]

        def act(targets: list[Torrent]) -> None:
            store, expected = self.qbt.store, self.undo.expected
            value = flag_target(targets, flag, expected)
            changed, plan = plan_flag(store, [t.hash for t in targets], flag, value, expected)
            state = "on" if value else "off"
            if not changed:
                self.toast(f"{flag.label} is already {state} for {describe(targets)}", timeout=3)
                return
            if name == "force_start":
                self.undo.expected.forget(PAUSED)  # forcing starts a paused torrent
            rest = len(targets) - len(changed)
            moved = [t for t in targets if t.hash in set(changed)]
            note = f" ({rest} already {state})" if rest else ""
            self.run_command(
                lambda api: flag.send(api, changed, value),
                f"{flag.label} {state} for {describe(moved)}{note}",
                plan,
            )

        self.with_targets(act, verb=flag.label)

    def action_sequential(self) -> None:
        self._set_flag("sequential")

    def action_first_last(self) -> None:
        self._set_flag("first_last")

    def action_super_seeding(self) -> None:
        self._set_flag("super_seeding")

    def action_auto_tmm(self) -> None:
        self._set_flag("auto_tmm")

    def action_force_start(self) -> None:
        self._set_flag("force_start")

    def action_toggle_alt_speed(self) -> None:
        on_now = bool(self.qbt.store.server_state.use_alt_speed_limits)
        self.run_command(
            lambda api: api.toggle_alternative_speed_limits(),
            "Alternative speed limits " + ("off" if on_now else "on"),
        )

    # -- actions that ask first -----------------------------------------------------------------

    def action_delete(self, with_data: bool = False) -> None:
        self.with_targets(lambda targets: self._delete(targets, with_data), verb="Remove")

    def _delete(self, targets: list[Torrent], with_data: bool) -> None:
        names = [t.name for t in targets]
        hashes = [t.hash for t in targets]
        total = total_size(targets)

        def remove(delete_files: bool) -> None:
            verb = "Deleted with data" if delete_files else "Removed"
            self.run_command(
                lambda api: api.delete(hashes, delete_files=delete_files), f"{verb} {describe(targets)}"
            )

        def chosen(choice: object) -> None:
            if choice is None:
                return
            if not getattr(choice, "delete_files", False):
                remove(False)
                return
            body = Text("This permanently deletes these files from the server's disk:\n\n")
            body.append_text(names_list(names))
            body.append(f"\n{fmt.size(total)} in total. This cannot be undone.", style="bold")
            confirm_then(
                self,
                ConfirmDialog(f"Delete {fmt.size(total)} of data?", body, "Delete data", danger=True),
                lambda: remove(True),
            )

        self.app.push_screen(DeleteDialog(names, total_size=total, with_data=with_data), chosen)

    def action_category(self) -> None:
        self.with_targets(self._category, verb="Category")

    def _category(self, targets: list[Torrent]) -> None:
        categories = sorted(self.qbt.store.categories, key=str.casefold)
        choices = [("", "(no category)")] + [(name, name) for name in categories]

        def chosen(name: str | None) -> None:
            if name is None:
                return
            hashes = [t.hash for t in targets]
            existing = name in self.qbt.store.categories or name == ""

            async def assign(api: QbtApi) -> None:
                if not existing:
                    # A conflict: created a moment ago (here or by another client) and not polled
                    # yet. A name the server refuses fails again, with its reason, in set_category.
                    with contextlib.suppress(errors.Conflict):
                        await api.create_category(name)
                await api.set_category(hashes, name)

            label = f"category “{name}”" if name else "no category"
            undo = plan_category(self.qbt.store, hashes, name, self.undo.expected)
            self.run_command(assign, f"Set {label} on {describe(targets)}", undo)

        current = targets[0].category if len({t.category for t in targets}) == 1 else None
        self.app.push_screen(
            PickOne(
                f"Category for {describe(targets)}",
                choices,
                current=current,
                allow_new="a new category",
            ),
            chosen,
        )

    def action_location(self) -> None:
        self.with_targets(self._location, verb="Move", heavy=MOVE)

    def _location(self, targets: list[Torrent]) -> None:
        hashes = [t.hash for t in targets]

        def chosen(path: str | None) -> None:
            if path:
                self.run_command(
                    lambda api: api.set_location(hashes, path), f"Moving {describe(targets)} to {path}"
                )

        paths = {t.save_path for t in targets}
        self.app.push_screen(
            ServerPathPrompt(
                f"Move {describe(targets)} ({fmt.size(total_size(targets))}) to",
                paths.pop() if len(paths) == 1 else "",
                hint="" if len(paths) <= 1 else "The torrents are in different places now.",
                validate=lambda value: None if value.strip() else "Give a directory on the server",
            ),
            chosen,
        )

    def action_rename(self) -> None:
        shown, hidden = self.chosen()
        targets = shown + hidden
        if len(targets) != 1:
            self.toast("Rename works on one torrent: highlight it and unmark the rest", severity="warning")
            return
        self.with_targets(lambda targets: self._rename(targets[0]), verb="Rename")

    def _rename(self, torrent: Torrent) -> None:
        # The prompt shows the name made safe; submitting that unchanged is no rename.
        current = safe(torrent.name)

        def chosen(name: str | None) -> None:
            if name and name != current:
                self.run_command(lambda api: api.rename(torrent.hash, name), f"Renamed to “{name}”")

        self.app.push_screen(
            TextPrompt(
                "New name",
                current,
                validate=lambda value: None if value.strip() else "A name cannot be empty",
            ),
            chosen,
        )

    def action_limits(self) -> None:
        self.with_targets(self._limits, verb="Limits")

    def _limits(self, targets: list[Torrent]) -> None:
        def shown(values: set[int | None]) -> str:
            return fmt.limit(values.pop()) if len(values) == 1 else ""

        def chosen(limits: Limits | None) -> None:
            if limits is None:
                return
            download, upload = limits.download, limits.upload
            hashes = [t.hash for t in targets]

            async def apply(api: QbtApi) -> None:
                await api.set_torrent_download_limit(hashes, download)
                await api.set_torrent_upload_limit(hashes, upload)

            store, expected = self.qbt.store, self.undo.expected
            undo = combine(
                f"limits on {describe(targets)}",
                plan_limits(store, hashes, download=True, new_limit=download, expected=expected),
                plan_limits(store, hashes, download=False, new_limit=upload, expected=expected),
            )
            self.run_command(
                apply,
                f"Limits for {describe(targets)}: ↓ {fmt.limit(download)}, ↑ {fmt.limit(upload)}",
                undo,
            )

        self.app.push_screen(
            LimitsDialog(
                f"Speed limits for {describe(targets)}",
                shown({t.dl_limit for t in targets}),
                shown({t.up_limit for t in targets}),
                parse_rate,
            ),
            chosen,
        )
