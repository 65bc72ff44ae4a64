"""What the torrent list's keys do to torrents: pause, remove, recheck, move, rename, limits, flags.

The rule every action follows (README, "Keys"): an action acts on the marked torrents, or on the
highlighted one when none is marked. Marked torrents that the filter or the sidebar hides are never
touched without asking first ("2 of the 5 marked torrents are hidden by the filter"), and an action
that is heavy for the server (recheck, move) or that reaches every torrent (pause all, resume all)
asks with the count and the total size. What a command changes goes on the undo stack (`u`).

With several servers in one table (a fleet) the targets may be on several servers: each action sends
one request per server (concurrently: a slow one never holds up the others), says what each server
answered, and its undo remembers which server each change went to.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.text import Text

from qbtui.api import QbtApi, errors
from qbtui.api.base import PartialFailure
from qbtui.api.models import Torrent
from qbtui.model.expectations import PAUSED, Expectations
from qbtui.model.paths import same_place
from qbtui.model.store import Store
from qbtui.model.undo import (
    FLAGS,
    Undoable,
    UndoStack,
    across_servers,
    combine,
    flag_of,
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
    from qbtui.ui.fleet_mode import FleetMode
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


def by_server(torrents: Sequence[Torrent]) -> dict[str, list[Torrent]]:
    """The torrents of each server, in their order ("" is the one server when there is one)."""
    groups: dict[str, list[Torrent]] = {}
    for torrent in torrents:
        groups.setdefault(torrent.server, []).append(torrent)
    return groups


def place(torrent: Torrent) -> str:
    """Where a torrent's files are: its content path (4.4+), else its save path and name."""
    if torrent.content_path:
        return torrent.content_path
    return torrent.save_path.rstrip("/\\") + "/" + torrent.name if torrent.save_path else ""


def shared_copies(fleet: FleetMode, targets: Sequence[Torrent]) -> list[tuple[Torrent, Torrent]]:
    """(target, other) where another server, not among the targets, has the same info-hash in the
    same place (through both servers' path maps)."""
    leaving = {t.key for t in targets}
    found = []
    for torrent in targets:
        if torrent.copies < 2:
            continue
        here = fleet.path_map(torrent.server)
        for other in fleet.store.related(torrent):
            if other.key in leaving:
                continue
            if same_place(place(torrent), here, place(other), fleet.path_map(other.server)):
                found.append((torrent, other))
                break
    return found


def on_hashes(command: Callable[[QbtApi, list[str]], Awaitable[object]], hashes: list[str]) -> Command:
    """`command` bound to these hashes (one server's share of an action)."""
    return lambda api: command(api, hashes)


@dataclass(frozen=True, slots=True)
class Part:
    """What one server is sent for an action ("": the one server when there is one)."""

    server: str
    command: Command
    undo: Undoable | None = None
    #: How many of the action's torrents are on this server (for the per-server report).
    count: int = 0


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
        table, view = self.table, self.qbt.view
        torrents = view.store.torrents  # by the table's keys: hash@server in a fleet
        if not table.marked:
            cursor = table.cursor_hash
            return ([torrents[cursor]] if cursor in torrents else []), []
        marked = [(h, torrents[h]) for h in view.in_display_order(table.marked) if h in torrents]
        shown = [t for h, t in marked if view.is_shown(h)]
        return shown, [t for h, t in marked if not view.is_shown(h)]

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
        cursor = self.qbt.view.store.torrents.get(self.table.cursor_hash or "")
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

    def _failures_by_name(self, failure: PartialFailure, server: str = "") -> str:
        """Which torrents a bulk command failed for, by name, each with the server's reason."""
        torrents = self._store_of(server).torrents
        where = f"{server}: " if server else ""
        lines = [f"{where}{failure.action.capitalize()} failed for {len(failure.failed)} of {failure.total}:"]
        for key, error in list(failure.failed.items())[:8]:
            torrent = torrents.get(key)
            lines.append(f"• {torrent.name if torrent else key[:12]}: {error}")
        if len(failure.failed) > 8:
            lines.append(f"… and {len(failure.failed) - 8} more")
        return "\n".join(lines)

    # -- several servers: one request per server --------------------------------------------------

    def _store_of(self, server: str) -> Store:
        """The store a server's torrents are in, by hash ("": the one server shown)."""
        fleet = self.qbt.fleet
        return fleet.member_store(server) if fleet is not None and server in fleet.members else self.qbt.store

    def _api_of(self, server: str) -> QbtApi | None:
        fleet = self.qbt.fleet
        if fleet is not None and server:
            return fleet.api(server)
        return self.qbt.api

    def _expected(self, server: str) -> Expectations:
        return self.undo.expected_for(server)

    def send(self, parts: Sequence[Part], done: str, *, undoing: Undoable | None = None) -> None:
        """Send each server its part; one server alone goes as it always has (`run_command`)."""
        if not parts:
            return
        if len(parts) == 1 and not parts[0].server:
            part = parts[0]
            self.run_command(part.command, done, part.undo, undoing)
            return
        self._run_parts(list(parts), done, undoing)

    @background(group="commands")
    async def _run_parts(self, parts: list[Part], done: str, undoing: Undoable | None) -> None:
        """One request per server, all at once; the toast says what each server answered, and only
        what worked becomes undoable."""

        async def one(part: Part) -> errors.QbtError | None:
            api = self._api_of(part.server)
            if api is None:
                return errors.QbtError("not connected")
            try:
                await part.command(api)
            except errors.QbtError as exc:
                return exc
            return None

        results = await asyncio.gather(*(one(part) for part in parts))
        worked = [part for part, error in zip(parts, results, strict=True) if error is None]
        failed = [(part, error) for part, error in zip(parts, results, strict=True) if error is not None]
        undo = across_servers(
            done, [replace(part.undo, server=part.server) for part in worked if part.undo is not None]
        )
        self.undo.push(undo)
        if undoing is not None:
            kept = tuple(p for p in undoing.per_server() if p.server in {w.server for w in worked})
            self.undo.undone(replace(undoing, parts=kept) if undoing.parts else undoing)
        fleet = self.qbt.fleet
        if fleet is not None:
            fleet.sync.poke(part.server for part in parts)
        else:
            self.qbt.poke()
        counts = ", ".join(f"{part.server} {part.count}" if part.count else part.server for part in worked)
        if worked:
            self.toast(f"{done} ({counts})" + (" (u undoes)" if undo is not None else ""), timeout=4)
        if failed:
            lines = []
            for part, error in failed:
                if isinstance(error, PartialFailure):
                    lines.append(self._failures_by_name(error, part.server))
                else:
                    lines.append(f"{part.server}: {error}")
            title = "Partly refused" if worked else "Refused"
            self.toast("\n".join(lines), title=title, severity="error", timeout=12)

    def _on_targets(
        self,
        verb: str,
        command: Callable[[QbtApi, list[str]], Awaitable[object]],
        *,
        heavy: Heavy | None = None,
    ) -> None:
        def act(targets: list[Torrent]) -> None:
            parts = [
                Part(server, on_hashes(command, [t.hash for t in group]), count=len(group))
                for server, group in by_server(targets).items()
            ]
            self.send(parts, f"{verb} {describe(targets)}")

        self.with_targets(act, verb=verb, heavy=heavy)

    # -- undo ---------------------------------------------------------------------------------------

    def action_undo(self) -> None:
        item = self.undo.pop()
        if item is None:
            self.toast("Nothing to undo", severity="warning")
            return
        # Each part goes back to the server it was sent to.
        parts = [Part(part.server, part.inverse) for part in item.per_server()]
        self.send(parts, f"Undid: {item.description}", undoing=item)

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
            # Paused as far as we know: a pause that worked a moment ago counts before a poll shows
            # it, so pressing p twice pauses and resumes.
            pausing = not all(is_paused(t, self._expected(t.server)) for t in targets)
            state = words.paused.lower() if pausing else "running"
            parts: list[Part] = []
            moved: list[Torrent] = []
            for server, group in by_server(targets).items():
                store, expected = self._store_of(server), self._expected(server)
                plan = plan_pause(store, [t.hash for t in group], pausing=pausing, expected=expected)
                changed = {change.hash for change in plan.changes} if plan is not None else set()
                keys = [t.hash for t in group if t.hash in changed]
                if not keys:
                    continue
                moved += [t for t in group if t.hash in changed]

                async def send(api: QbtApi, keys: list[str] = keys) -> None:
                    await (api.pause(keys) if pausing else api.resume(keys))

                parts.append(Part(server, send, plan, len(keys)))
            if not moved:
                self.toast(f"{describe(targets)}: already {state}", timeout=3)
                return
            rest = len(targets) - len(moved)
            note = f" ({rest} already {state})" if rest else ""
            done = words.paused if pausing else words.resumed
            self.send(parts, f"{done} {describe(moved)}{note}")

        self.with_targets(act, verb=words.toggle)

    def _everything(self, pausing: bool) -> None:
        """P and R: every torrent on the server, asked first with the count; u puts each torrent
        back in its own state (only those this changed)."""
        words = self.qbt.words
        torrents = list(self.qbt.view.store.torrents.values())
        parts: list[Part] = []
        changing = 0
        for server, group in by_server(torrents).items():
            store, expected = self._store_of(server), self._expected(server)
            plan = plan_pause(store, [t.hash for t in group], pausing=pausing, expected=expected)
            count = len(plan.changes) if plan is not None else 0
            changing += count
            if count:
                command: Command = (
                    (lambda api: api.pause("all")) if pausing else (lambda api: api.resume("all"))
                )
                parts.append(Part(server, command, plan, count))
        verb = words.pause if pausing else words.resume
        now, after = ("running", words.paused.lower()) if pausing else (words.paused.lower(), "running")
        everyone = plural(len(torrents), "torrent")
        if not changing:
            self.toast(f"All {everyone} are already {after}")
            return
        already = len(torrents) - changing
        where = (
            "on the server"
            if len(parts) == 1 and not parts[0].server
            else f"on {plural(len(parts), 'server')}"
        )
        body = f"{changing} of the {everyone} {where} {'is' if changing == 1 else 'are'} {now}"
        if already:
            body += f"; the {already} already {after} stay as they are"
        body += f". u puts exactly these {changing} back."
        done = f"{words.paused if pausing else words.resumed} all torrents ({changing} changed)"

        def confirmed() -> None:
            for part in parts:  # "all" also reaches torrents added since the plan
                self._expected(part.server).forget(PAUSED)
            self.send(parts, done)

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
            # On unless every target has it on (a change that worked counts before a poll shows it).
            value = not all(flag_of(t, flag, self._expected(t.server)) for t in targets)
            state = "on" if value else "off"
            parts: list[Part] = []
            moved: list[Torrent] = []
            for server, group in by_server(targets).items():
                store, expected = self._store_of(server), self._expected(server)
                changed, plan = plan_flag(store, [t.hash for t in group], flag, value, expected)
                if not changed:
                    continue
                if name == "force_start":
                    expected.forget(PAUSED)  # forcing starts a paused torrent
                moved += [t for t in group if t.hash in set(changed)]
                parts.append(
                    Part(
                        server,
                        on_hashes(lambda api, h: flag.send(api, h, value), changed),
                        plan,
                        len(changed),
                    )
                )
            if not moved:
                self.toast(f"{flag.label} is already {state} for {describe(targets)}", timeout=3)
                return
            rest = len(targets) - len(moved)
            note = f" ({rest} already {state})" if rest else ""
            self.send(parts, f"{flag.label} {state} for {describe(moved)}{note}")

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
        # The server on screen; in a fleet, the highlighted row's (and the toast names it).
        fleet = self.qbt.fleet
        server = fleet.focus if fleet is not None else ""
        on_now = bool(self._store_of(server).server_state.use_alt_speed_limits)
        where = f"{server}: a" if server else "A"
        self.send(
            [Part(server, lambda api: api.toggle_alternative_speed_limits())],
            f"{where}lternative speed limits " + ("off" if on_now else "on"),
        )

    # -- actions that ask first -----------------------------------------------------------------

    def action_delete(self, with_data: bool = False) -> None:
        self.with_targets(lambda targets: self._delete_shared_first(targets, with_data), verb="Remove")

    def _delete_shared_first(self, targets: list[Torrent], with_data: bool) -> None:
        """In a fleet: say first which of these another server seeds from the same files (through
        the servers' path maps), before the usual remove dialog."""
        fleet = self.qbt.fleet
        shared = shared_copies(fleet, targets) if fleet is not None else []
        if not shared:
            self._delete(targets, with_data)
            return
        body = Text(
            "Another server seeds the same torrent from the same files:\n\n",
        )
        for torrent, other in shared[:8]:
            body.append(f"• {safe(torrent.name)}", style="bold")
            body.append(f" on {torrent.server}: {other.server} seeds it from {safe(place(other))}\n")
        if len(shared) > 8:
            body.append(f"… and {len(shared) - 8} more\n")
        body.append(
            "\nRemoving it here leaves the files to the other server; deleting the data would take "
            "them away from under it too.",
            style="bold",
        )

        def answered(go_on: bool | None) -> None:
            if go_on:
                self._delete(targets, with_data)

        count = len({t.key for t, _ in shared})
        title = f"{plural(count, 'torrent')} to remove {'is' if count == 1 else 'are'} also seeded elsewhere"
        self.app.push_screen(ConfirmDialog(title, body, "Go on", danger=True), answered)

    def _delete(self, targets: list[Torrent], with_data: bool) -> None:
        names = [t.name for t in targets]
        total = total_size(targets)

        def remove(delete_files: bool) -> None:
            verb = "Deleted with data" if delete_files else "Removed"
            parts = [
                Part(
                    server,
                    on_hashes(
                        lambda api, h: api.delete(h, delete_files=delete_files), [t.hash for t in group]
                    ),
                    count=len(group),
                )
                for server, group in by_server(targets).items()
            ]
            self.send(parts, f"{verb} {describe(targets)}")

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
        # Every category any of the servers has (a server that lacks one gets it created).
        categories = sorted(self.qbt.view.store.categories, key=str.casefold)
        choices = [("", "(no category)")] + [(name, name) for name in categories]

        def chosen(name: str | None) -> None:
            if name is None:
                return
            parts = []
            for server, group in by_server(targets).items():
                store = self._store_of(server)
                hashes = [t.hash for t in group]
                existing = name in store.categories or name == ""

                async def assign(api: QbtApi, hashes: list[str] = hashes, existing: bool = existing) -> None:
                    if not existing:
                        # A conflict: created a moment ago (here or by another client) and not polled
                        # yet. A name the server refuses fails again, with its reason, in set_category.
                        with contextlib.suppress(errors.Conflict):
                            await api.create_category(name)
                    await api.set_category(hashes, name)

                undo = plan_category(store, hashes, name, self._expected(server))
                parts.append(Part(server, assign, undo, len(group)))
            label = f"category “{name}”" if name else "no category"
            self.send(parts, f"Set {label} on {describe(targets)}")

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
        groups = by_server(targets)

        def chosen(path: str | None) -> None:
            if path:
                parts = [
                    Part(
                        server,
                        on_hashes(lambda api, h: api.set_location(h, path), [t.hash for t in group]),
                        count=len(group),
                    )
                    for server, group in groups.items()
                ]
                self.send(parts, f"Moving {describe(targets)} to {path}")

        paths = {t.save_path for t in targets}
        hint = "" if len(paths) <= 1 else "The torrents are in different places now."
        if len(groups) > 1:
            hint = (
                hint + " " if hint else ""
            ) + f"The path is used as typed on each of the {len(groups)} servers."
        self.app.push_screen(
            ServerPathPrompt(
                f"Move {describe(targets)} ({fmt.size(total_size(targets))}) to",
                paths.pop() if len(paths) == 1 else "",
                hint=hint,
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
                self.send(
                    [Part(torrent.server, lambda api: api.rename(torrent.hash, name))], f"Renamed to “{name}”"
                )

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
            parts = []
            for server, group in by_server(targets).items():
                hashes = [t.hash for t in group]

                async def apply(api: QbtApi, hashes: list[str] = hashes) -> None:
                    await api.set_torrent_download_limit(hashes, download)
                    await api.set_torrent_upload_limit(hashes, upload)

                store, expected = self._store_of(server), self._expected(server)
                undo = combine(
                    f"limits on {describe(group)}",
                    plan_limits(store, hashes, download=True, new_limit=download, expected=expected),
                    plan_limits(store, hashes, download=False, new_limit=upload, expected=expected),
                )
                parts.append(Part(server, apply, undo, len(group)))
            self.send(
                parts, f"Limits for {describe(targets)}: ↓ {fmt.limit(download)}, ↑ {fmt.limit(upload)}"
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
