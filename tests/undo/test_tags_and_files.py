"""u on the torrent list undoes what the categories/tags dialogs and the Content tab changed.

The full app against the legacy simulator and a real qbittorrent-nox (WebAPI v2): every action lands
on the main screen's one stack, and undo gives each torrent (each file) its own previous value back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from qbtui.api.models import FilePriority
from qbtui.ui.app import QbtuiApp
from qbtui.ui.screens.categories import CategoriesScreen, TagsScreen
from qbtui.ui.widgets.details import ContentTab, DetailsPanel
from qbtui.util.torrentfile import parse
from tests.support.noxfix import nox_for, nox_params
from tests.support.noxserver import NoxInstance, make_sample_torrent
from tests.ui.helpers import make_app, until

FILES = {"docs/guide.txt": 20_000, "docs/images/a.png": 30_000, "video.bin": 60_000}


@dataclass
class Target:
    url: str
    username: str
    password: str
    generation: str  # legacy, v2
    nox: NoxInstance | None = None


def add_paused(nox: NoxInstance, directory: Path, name: str) -> str:
    torrent, _ = make_sample_torrent(directory / "src", name, FILES)
    info_hash = parse(torrent.read_bytes()).info_hash
    nox.add_torrent_file(torrent, savepath=str(directory / "save"), paused="true")
    nox.wait_for_torrent(info_hash, lambda t: t["state"] in ("pausedDL", "stoppedDL"), what="paused")
    return info_hash


@pytest.fixture(params=["legacy", *nox_params("v2")])
def target(request: pytest.FixtureRequest) -> Target:
    if request.param == "legacy":
        server = request.getfixturevalue("sim_server")
        return Target(server.url, "admin", "adminadmin", "legacy")
    nox = nox_for(request)
    return Target(nox.url, nox.username, nox.password, "v2", nox)


def app_for(target: Target, tmp_path: Path) -> QbtuiApp:
    return make_app(target.url, username=target.username, password=target.password, state_dir=tmp_path)


async def eventually(
    pilot: Pilot[None], probe: Callable[[], Awaitable[bool]], what: str, timeout: float = 15.0
) -> None:
    """Ask the server until `probe` holds (the UI's own view may lag a poll behind)."""
    for _ in range(int(timeout / 0.1)):
        if await probe():
            return
        await pilot.pause(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def on_screen(pilot: Pilot[None], kind: type, filled: bool = True) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), what=kind.__name__)
    if filled:
        items = pilot.app.screen.query_one("#items", OptionList)
        await until(pilot, lambda: items.option_count > 0, what=f"{kind.__name__} listed")
    await pilot.pause()


def highlight(pilot: Pilot[None], name: str) -> None:
    items = pilot.app.screen.query_one("#items", OptionList)
    ids = [items.get_option_at_index(i).id for i in range(items.option_count)]
    items.highlighted = ids.index(name)


def undoable(app: QbtuiApp) -> int:
    """How many commands `u` can undo. A command goes on the stack once its own answer is handled;
    the server (and a poll) can show its effect before that."""
    return len(app.undo)


def history(app: QbtuiApp) -> str:
    return next(n.message for n in reversed(list(app._notifications)) if n.title == "Undo history")


async def test_file_priorities_are_undone_file_by_file(
    target: Target, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if target.nox is not None:
        hash = add_paused(target.nox, tmp_path, "qbtui-undo-files")
    else:
        sim = request.getfixturevalue("sim")
        hash = next(h for h, t in sim.torrents.items() if t.name.startswith("Blender 2.79b demo files"))
    app = app_for(target, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        # Listed in the table, not only in the store (the poll worker fills the store before the
        # screen has handled the update): the cursor is moved to its row next.
        await until(pilot, lambda: app.view.index_of(hash) is not None, what="the torrent listed")
        api = app.api
        assert api is not None

        async def on_server() -> dict[int, FilePriority]:
            return {f.index: f.priority for f in await api.files(hash)}

        def reaches(wanted: dict[int, FilePriority]) -> Callable[[], Awaitable[bool]]:
            async def probe() -> bool:
                return await on_server() == wanted

            return probe

        main = app.main_screen
        main.table.move_to_row(app.view.index_of(hash))
        await pilot.pause()
        main.action_toggle_details()
        panel = main.query_one(DetailsPanel)
        # No timed polls: the tree changes only when a command (or an undo) asks for fresh data.
        panel.poll_loop.interval = 3600
        panel.select_tab("content")
        tab = panel.query_one(ContentTab)
        await until(pilot, lambda: tab.loaded, what="the file tree")
        view = tab.view
        view.focus()
        original = await on_server()
        assert set(original.values()) == {FilePriority.NORMAL}

        # 1. The last row (a file) to maximum.
        await pilot.press("end")
        last = view.current
        assert last is not None and last.index is not None
        await pilot.press("3")
        maximum = {**original, last.index: FilePriority.MAXIMUM}
        await eventually(pilot, reaches(maximum), "maximum on the server")
        tree = view.file_tree
        assert tree is not None
        # The undo of the next step is planned from what the tree shows: wait for the panel's poll.
        await until(pilot, lambda: tree.files[last.index].priority is FilePriority.MAXIMUM, what="shown")

        # 2. That file and the first folder (every file, or docs/) to skip, all at once.
        await pilot.press("space", "home", "space")
        marked = sorted(tree.marked)
        assert last.index in marked and len(marked) >= 2
        await pilot.press("0")
        skipped = {**maximum, **dict.fromkeys(marked, FilePriority.SKIP)}
        await eventually(pilot, reaches(skipped), "skip on the server")
        await until(pilot, lambda: undoable(app) == 2, what="both changes on the undo stack")

        await pilot.press("H")
        await pilot.pause()
        listed = history(app)
        newest = listed.index(f"priority skip for {len(marked)} marked files")
        assert newest < listed.index("priority maximum for")

        def shown() -> dict[int, FilePriority | None]:
            return view.priorities(sorted(original))

        # Undo 2: the file that was at maximum goes back to maximum, the others to normal.
        await pilot.press("u")
        await eventually(pilot, reaches(maximum), "step 2 undone")
        await until(pilot, lambda: shown() == maximum, what="the tree refreshed after the undo")
        # Undo 1: back to where it started.
        await pilot.press("u")
        await eventually(pilot, reaches(original), "step 1 undone")
        await until(pilot, lambda: shown() == original, what="the tree refreshed after the undo")
        await pilot.press("u")
        await until(
            pilot, lambda: any(n.message == "Nothing to undo" for n in app._notifications), what="empty"
        )


async def test_category_set_in_the_dialog_is_undone(target: Target, tmp_path: Path) -> None:
    if target.nox is not None:
        add_paused(target.nox, tmp_path, "qbtui-undo-category")
    app = app_for(target, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 0, what="torrents")
        api = app.api
        assert api is not None
        await api.create_category("undo-test")
        main = app.main_screen
        main.table.move_to_row(0)
        await pilot.pause()
        await pilot.press("K")
        await on_screen(pilot, CategoriesScreen)
        # The torrent the dialog acts on, as it says (not the row the test meant to highlight: a
        # late first update can move the cursor back to the top of a differently sorted list).
        (hash,) = app.screen.targets  # type: ignore[attr-defined]
        before = app.store.torrents[hash].category
        assert before != "undo-test"
        await until(pilot, lambda: "undo-test" in app.screen.categories, what="the new category")  # type: ignore[attr-defined]
        await pilot.pause()
        highlight(pilot, "undo-test")
        assert app.screen.selected() == "undo-test"  # type: ignore[attr-defined]
        await pilot.press("a")
        try:
            await until(pilot, lambda: app.store.torrents[hash].category == "undo-test", what="assigned")
        except AssertionError as exc:
            # What the dialog and the app said, to tell a refused or misdirected command from a slow one.
            status = str(app.screen.query_one("#status").content) if app.screen is not main else ""
            toasts = [n.message for n in app._notifications]
            tagged = [t.hash[:8] for t in await api.torrents() if t.category == "undo-test"]
            raise AssertionError(
                f"{exc}; target {hash[:8]}, on the server in undo-test: {tagged}; screen {app.screen}, "
                f"status {status!r}, toasts {toasts}"
            ) from exc

        def status() -> str:
            return str(app.screen.query_one("#status").content)  # type: ignore[attr-defined]

        # A poll can bring the new category before the dialog has handled the command's answer.
        await until(pilot, lambda: "set to" in status(), what="the dialog's status after the change")
        assert status().endswith("(u on the torrent list undoes)")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is main, what="back on the list")
        await pilot.press("u")
        await until(pilot, lambda: app.store.torrents[hash].category == before, what="category restored")


@pytest.mark.nox
async def test_tags_added_and_removed_in_the_dialog_are_undone(
    nox_clean: NoxInstance, tmp_path: Path
) -> None:
    """Tags need WebAPI v2.3: a real qbittorrent-nox only."""
    first = add_paused(nox_clean, tmp_path, "qbtui-undo-tags-1")
    second = add_paused(nox_clean, tmp_path, "qbtui-undo-tags-2")
    target = Target(nox_clean.url, nox_clean.username, nox_clean.password, "v2", nox_clean)
    app = app_for(target, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        # In the table, not only in the store: ctrl+a marks the rows the table shows.
        await until(pilot, lambda: {first, second} <= set(app.view.order), what="both torrents")
        api = app.api
        assert api is not None
        await api.create_tags(["keep", "other"])
        await api.add_tags([first], ["keep"])
        await api.add_tags([second], ["other"])
        original = {first: ("keep",), second: ("other",)}

        def tags() -> dict[str, tuple[str, ...]]:
            return {h: tuple(sorted(app.store.torrents[h].tags)) for h in (first, second)}

        await until(pilot, lambda: tags() == original, what="the tags listed")
        main = app.main_screen
        main.table.focus()
        await pilot.press("ctrl+a")  # mark both
        await pilot.press("K")
        await on_screen(pilot, CategoriesScreen, filled=False)
        await pilot.press("t")
        await on_screen(pilot, TagsScreen)
        highlight(pilot, "keep")
        await pilot.press("a")  # `first` already has it
        await until(pilot, lambda: tags() == {first: ("keep",), second: ("keep", "other")}, what="tagged")
        highlight(pilot, "other")
        await pilot.press("r")  # `first` never had it
        await until(pilot, lambda: tags() == {first: ("keep",), second: ("keep",)}, what="untagged")
        await pilot.press("escape", "escape")
        await until(pilot, lambda: app.screen is main, what="back on the list")
        await until(pilot, lambda: undoable(app) == 2, what="both changes on the undo stack")
        await pilot.press("H")
        await pilot.pause()
        listed = history(app)
        assert listed.index("tag “other” removed from") < listed.index("tag “keep” added to")
        await pilot.press("u")
        await until(pilot, lambda: tags() == {first: ("keep",), second: ("keep", "other")}, what="re-tagged")
        await pilot.press("u")
        await until(pilot, lambda: tags() == original, what="each torrent's own tags back")
