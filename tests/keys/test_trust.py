"""Acting on what the user can see, asking before bulk and heavy changes, and saying what changed
(issue 14). Against the simulator; the commands are checked where they are sent (the API)."""

from __future__ import annotations

from textual.widgets import Input, Static

from qbtui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, DeleteDialog, TextPrompt
from qbtui.ui.screens.torrent_actions import MOVE
from tests.keys.test_type_ahead import spy, started
from tests.keys.typing import type_ahead
from tests.ui.helpers import make_app, until

SIZE = (140, 40)


def dialog_text(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(s.render()) for s in app.screen.query(Static))


def toasts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


async def mark_two_and_hide_one(pilot, app) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Mark two torrents, then filter so that only the first is shown. Returns (shown, hidden)."""
    main = app.main_screen
    order = list(app.view.order)
    shown, hidden = order[0], order[1]
    main.table.marked.update({shown, hidden})
    main._refresh_counts()
    word = app.store.torrents[shown].name
    type_ahead(app, "slash", *word, "enter")
    await until(pilot, lambda: not app.view.is_shown(hidden) and app.view.is_shown(shown), what="one hidden")
    await until(pilot, lambda: main.table.has_focus, what="back on the table")
    return shown, hidden


async def test_an_action_asks_before_touching_a_marked_torrent_the_filter_hides(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        sent = await spy(app, "pause", "resume")
        shown, hidden = await mark_two_and_hide_one(pilot, app)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), what="the hidden-torrents question")
        text = dialog_text(app)
        assert "1 of the 2 marked torrents is hidden by the filter" in text
        assert app.store.torrents[hidden].name in text
        assert not sent
        # Enter takes the focused answer: only what is shown.
        await pilot.press("enter")
        await until(pilot, lambda: bool(sent), what="the command")
        assert [hashes for _, (hashes,) in sent] == [[shown]]

        sent.clear()
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), what="asked again")
        app.screen.query_one("#answer-all").press()
        await until(pilot, lambda: bool(sent), what="the command on both")
        # The shown one is paused as far as the app knows (the first p, before any poll): of the
        # two, only the hidden one still needs pausing.
        assert sent == [("pause", ([hidden],))]

        sent.clear()
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), what="asked a third time")
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert not sent and app.screen is app.main_screen


async def test_every_action_follows_the_rule(sim_server, tmp_path) -> None:
    """Delete, recheck, category, move, limits and the flags all ask about hidden marked torrents."""
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await mark_two_and_hide_one(pilot, app)
        for key in ("d", "c", "C", "m", "l", "o", "F", "Z", "M", "f", "plus", "S", "K"):
            await pilot.press(key)
            await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), what=f"{key}: the question")
            assert "hidden by the filter" in dialog_text(app), key
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main_screen, what=f"{key}: cancelled")


async def test_all_marked_hidden_offers_only_them_or_nothing(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        sent = await spy(app, "recheck")
        main = app.main_screen
        hidden = app.view.order[-1]
        main.table.marked.add(hidden)
        type_ahead(app, "slash", *"no torrent has this name", "enter")
        await until(pilot, lambda: len(app.view) == 0, what="everything filtered out")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), what="the question")
        assert "the 1 marked torrent is hidden" in dialog_text(app)
        assert not app.screen.query("#answer-shown")
        assert app.focused is app.screen.query_one("#answer-cancel"), "a heavy action starts on Cancel"
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert not sent


async def test_pause_all_asks_with_the_count_and_u_puts_each_torrent_back(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        torrents = app.store.torrents
        running = {h for h, t in torrents.items() if not t.state.is_paused}
        paused = set(torrents) - running
        assert running and paused, "the demo has both"
        await pilot.press("P")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        text = dialog_text(app)
        assert f"Pause all {len(torrents)} torrents?" in text
        assert f"{len(running)} of the {len(torrents)} torrents on the server are running" in text
        await pilot.press("enter")
        # Torrents in error stay in error, paused or not.
        await until(
            pilot,
            lambda: all(t.state.is_paused or t.state_raw in ("error", "missingFiles") for t in torrents.values()),  # noqa: E501
            what="all paused",
        )
        sent = await spy(app, "resume", "pause")
        await pilot.press("u")
        await until(pilot, lambda: bool(sent), what="the undo")
        assert len(sent) == 1 and sent[0][0] == "resume" and set(sent[0][1][0]) == running


async def test_resume_all_cancelled_sends_nothing(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        sent = await spy(app, "resume", "pause")
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert not sent


async def test_recheck_of_several_asks_with_count_and_size_and_of_one_does_not(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        sent = await spy(app, "recheck")
        await pilot.press("c")
        await until(pilot, lambda: bool(sent), what="recheck of the highlighted torrent")
        sent.clear()
        await pilot.press("space", "space")  # marks two
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        text = dialog_text(app)
        assert "Recheck 2 torrents?" in text and "in total" in text and "disk" in text
        assert app.focused is app.screen.query_one("#cancel"), "Enter typed ahead cancels"
        app.screen.query_one("#confirm").press()
        await until(pilot, lambda: bool(sent), what="the recheck")
        assert len(sent[0][1][0]) == 2


async def test_moving_several_asks_first(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await pilot.press("space", "space", "m")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert MOVE.why in dialog_text(app)
        app.screen.query_one("#confirm").press()
        await until(pilot, lambda: isinstance(app.screen, TextPrompt), what="then the path")


async def test_pause_says_how_many_it_changed(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        torrents = app.store.torrents
        main = app.main_screen
        paused = [h for h in app.view.order if torrents[h].state.is_paused][:2]
        running = [h for h in app.view.order if not torrents[h].state.is_paused][:1]
        main.table.marked.update(paused + running)
        await pilot.press("p")
        await until(pilot, lambda: any(m.startswith("Paused") for m in toasts(app)), what="the toast")
        said = next(m for m in toasts(app) if m.startswith("Paused"))
        assert said.startswith(f"Paused “{torrents[running[0]].name}” (2 already paused)"), said


async def test_flags_set_a_mixed_set_to_one_state_say_it_and_undo(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        torrents = app.store.torrents
        on = next(h for h in app.view.order if torrents[h].seq_dl)
        off = next(h for h in app.view.order if not torrents[h].seq_dl)
        app.main_screen.table.marked.update({on, off})
        sent = await spy(app, "toggle_sequential")
        await pilot.press("o")
        await until(pilot, lambda: bool(sent), what="the toggle")
        assert sent == [("toggle_sequential", ([off],))], "only the one that was off is flipped"
        await until(pilot, lambda: any("Sequential download on for" in m for m in toasts(app)), what="said")
        assert any("(1 already on)" in m for m in toasts(app))
        # Pressed again before any poll: both are on as far as we know, so now both go off.
        sent.clear()
        await pilot.press("o")
        await until(pilot, lambda: bool(sent), what="the second toggle")
        assert sorted(sent[0][1][0]) == sorted([on, off])
        await until(pilot, lambda: any("Sequential download off for" in m for m in toasts(app)), what="off")
        sent.clear()
        await pilot.press("u")
        await until(pilot, lambda: bool(sent), what="the undo")
        assert sorted(sent[0][1][0]) == sorted([on, off])


async def test_q_in_preferences_with_edits_asks_before_quitting(sim_server, tmp_path) -> None:
    from qbtui.ui.screens.preferences import PreferencesScreen

    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await pilot.press("comma")
        await until(pilot, lambda: isinstance(app.screen, PreferencesScreen) and app.screen.form is not None)
        prefs = app.screen
        field = next(f for f in prefs.query(Input) if not f.password and f.value.isdigit())
        field.focus()
        await pilot.press("1")
        prefs.query_one("#prefs-save").focus()  # off the text field, where q would be typed
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the quit question")
        assert "Quit and lose your edits?" in dialog_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is prefs, what="back in the form")
        assert app.is_running
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="Esc asks too")
        assert "Discard your edits?" in dialog_text(app)


async def test_q_without_edits_quits_at_once(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, what="quit")


async def test_escape_closes_the_details_panel(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        main = app.main_screen
        await pilot.press("enter")
        await until(pilot, lambda: main.details_open, what="details open")
        await pilot.press("escape")
        await until(pilot, lambda: not main.details_open, what="details closed by Esc")
        await pilot.press("enter", "tab")  # into the panel
        await until(pilot, lambda: main.details_open and not main.table.has_focus, what="focus in the panel")
        await pilot.press("escape")
        await until(pilot, lambda: not main.details_open and main.table.has_focus, what="back on the list")


async def test_every_dialog_shows_its_own_keys_and_not_the_screen_beneath(sim_server, tmp_path) -> None:
    from qbtui.ui.widgets.key_footer import KeyFooter, shown_keys

    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        for key in ("d", "m", "n", "l", "C", "S", "K", "X", "a", "s", "O", "v", "W", "question_mark"):
            await pilot.press(key)
            await until(pilot, lambda: app.screen is not app.main_screen, what=f"{key} opens a dialog")
            dialog = app.screen
            await until(pilot, lambda d=dialog: bool(d.query(KeyFooter)), what=f"{key}: a footer")
            descriptions = {entry[2] for entry in shown_keys(dialog)}
            assert not {"Pause/Resume", "Filter", "Sidebar"} & descriptions, (key, descriptions)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main_screen, what=f"{key}: closed by Esc")


async def test_delete_lists_the_torrents_in_the_tables_order(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        order = list(app.view.order)[:4]
        app.main_screen.table.marked.update(reversed(order))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DeleteDialog), what="the delete dialog")
        text = dialog_text(app)
        positions = [text.index(app.store.torrents[h].name) for h in order]
        assert positions == sorted(positions)


async def test_toasts_leave_the_status_line_readable(sim_server, tmp_path) -> None:
    from textual.widgets._toast import ToastRack

    from qbtui.ui.widgets.status_bar import StatusBar

    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        for n in range(4):
            app.notify(f"toast {n}", timeout=30)
        await pilot.pause(0.3)
        rack = app.main_screen.query_one(ToastRack)
        status = app.main_screen.query_one(StatusBar)
        bottom = max(toast.region.bottom for toast in rack.query("Toast"))
        assert bottom <= status.region.y, (bottom, status.region)


async def test_a_missing_password_is_asked_for_not_sent_empty(sim_server, tmp_path) -> None:
    from qbtui.ui.screens.connection import ConnectionScreen
    from tests.ui.helpers import connection_screen

    app = make_app(sim_server.url, state_dir=tmp_path, password=None)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        screen = await connection_screen(pilot, timeout=20)
        assert isinstance(screen, ConnectionScreen)
        assert "no password" in screen.problem_text()
        password = screen.query_one("#connection-password")
        await until(pilot, lambda: app.focused is password, what="the password field focused")
        assert sim_server.sim.bans.failures("127.0.0.1") == 0, "an empty login was sent"
        type_ahead(app, *"adminadmin", "enter")
        await until(pilot, lambda: len(app.view) > 0, timeout=20, what="connected with the typed password")
        assert sim_server.sim.bans.failures("127.0.0.1") == 0
