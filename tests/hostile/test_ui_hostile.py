"""The TUI against the hostile simulator (Pilot): the list, the sidebar, every details tab of the
hostile torrents, the log pane, help and the palette. Nothing crashes; markup shows as literal text;
no escape sequence, control, bidi or invisible character reaches a cell; what the server got wrong
shows as unknown."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from qbtui.sim import Simulator, ThreadedServer
from qbtui.sim.hostile import CATEGORIES, STRINGS, TAGS, hostile_hash
from qbtui.ui.app import QbtuiApp
from qbtui.ui.text import safe
from qbtui.ui.widgets.details.base import DetailTab
from qbtui.ui.widgets.details.panel import DetailsPanel
from qbtui.ui.widgets.log_pane import LogPane, one_line
from tests.hostile.screen import assert_inert, screen_strips, screen_text
from tests.ui.helpers import make_app, until

SIZE = (200, 60)
#: Tab order of the details panel.
TABS = ("general", "trackers", "peers", "http-sources", "content", "pieces", "speed")


#: Toasts are part of every broad test: MainScreen.toast makes its text inert.
TOASTS = True


@pytest.fixture
async def running(
    hostile_server: ThreadedServer, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[QbtuiApp, Pilot[None]]]:
    app = make_app(hostile_server.url, interval=0.3, state_dir=tmp_path)
    toasts = TOASTS or request.node.get_closest_marker("toasts") is not None
    async with app.run_test(size=SIZE, notifications=toasts, tooltips=True) as pilot:
        await until(
            pilot,
            lambda: len(app.view) >= 59 and app.main_screen.table.cursor_hash is not None,
            what="the hostile torrents",
        )
        yield app, pilot
        assert app.is_running, "the app quit (a data-driven action ran?)"
    assert app.return_code in (None, 0)


def seen(app: QbtuiApp) -> str:
    assert_inert(screen_strips(app))
    return screen_text(app)


def prefix(text: str, length: int = 20) -> str:
    return safe(text)[:length].rstrip()


async def show(app: QbtuiApp, pilot: Pilot[None], key: str) -> str:
    """Highlight a torrent of the hostile set; return its hash."""
    info_hash = hostile_hash(key)
    await until(pilot, lambda: app.main_screen.table.move_to_hash(info_hash), what=f"row of {key}")
    await pilot.pause()
    return info_hash


async def test_list_and_sidebar_show_every_hostile_string_literally(running) -> None:  # type: ignore[no-untyped-def]
    app, pilot = running
    for key, text in STRINGS.items():
        await show(app, pilot, key)
        if text.strip():
            assert prefix(text) in seen(app), key
    screen = seen(app)
    for literal in (
        "[bold red]RED ALERT[/bold red]",
        "[@click=app.quit]quit[/] now",
        "stray [/] close [/bold] tags [",
        "[$accent on $error]var[/] $accent $text",
        "\\[not markup] [b]\\[/b]",
        "\ufffd[31mANSI red\ufffd[0m text",
    ):
        assert literal in screen
    # The sidebar lists the hostile categories, "\x00any" among them as a category of its own.
    for category in CATEGORIES:
        assert prefix(category, 14) in screen, category
    assert "\ufffdany" in screen and "● All" in screen
    # Tags and trackers sections (v2 servers): fed the hostile names directly.
    sidebar = app.main_screen.sidebar
    sidebar.show_v2_sections = True
    trackers = ["http://[bold]x[/].invalid/a", "udp://\x1b[31mansi.invalid:1/a", "", "not a url \u202e"]
    sidebar.update_counts(app.view.counts, list(app.store.categories), [*TAGS, "", "\x00any"], trackers)
    await pilot.pause()
    screen = seen(app)
    assert "[b]tag[/b]" in screen and "タグ" in screen


@pytest.mark.parametrize(
    "keys",
    [
        ("markup-bold", "markup-click", "ansi-osc8", "controls", "bidi-override"),
        ("zero-width", "emoji", "surrogate", "huge", "html"),
        ("corrupt-types", "corrupt-missing", "corrupt-numbers", "corrupt-nan"),
        ("corrupt-html", "corrupt-truncated", "corrupt-shape", "corrupt-state"),
    ],
    ids=["markup-and-escapes", "unicode-and-size", "wrong-values", "broken-answers"],
)
async def test_every_details_tab(running, keys: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    app, pilot = running
    panel = app.main_screen.query_one(DetailsPanel)
    await pilot.press("enter")
    for key in keys:
        await show(app, pilot, key)
        text = STRINGS.get(key, "")
        for step, pane in enumerate(TABS):
            if step:
                await pilot.press("right_square_bracket")
            await until(
                pilot, lambda pane=pane: panel.active_tab is not None and pane == panel.active_tab.PANE_ID
            )
            tab = panel.active_tab
            assert isinstance(tab, DetailTab)
            await until(
                pilot,
                lambda tab=tab: tab.loaded or tab.note.kind in ("error", "unsupported"),
                what=f"{key}: {pane}",
            )
            await pilot.pause()
            screen = seen(app)
            if (
                key.startswith("corrupt-")
                and key in ("corrupt-html", "corrupt-truncated")
                and pane not in ("webseeds", "speed")  # speed draws the app's own history, no request
            ):
                # HTML where JSON was promised, or JSON cut short: each named for what it is.
                said = "expected JSON, got text/html" if key == "corrupt-html" else "broken JSON"
                assert said in screen, f"{key}: {pane}"
            elif key == "corrupt-shape" and pane in ("trackers", "content", "http-sources"):
                assert "expected a JSON array" in screen, f"{key}: {pane}"
            elif text.strip() and pane in ("general", "trackers", "content"):
                assert prefix(text, 12) in screen, f"{key}: {pane}"
            if pane == "general" and key == "corrupt-numbers":
                # A date past year 9999; the whole tab, not only the part the panel shows, and
                # word by word (labels are padded to line up).
                from qbtui.ui.widgets.details.general import GeneralView

                view = panel.query_one(GeneralView)
                lines = " ".join(view.render_line(y).text for y in range(view.size.height))
                assert "Created on: ?" in " ".join(lines.split())
        await pilot.press("right_square_bracket")  # back to General for the next torrent
    assert app.is_running


async def test_log_and_peer_log_render_every_line_inert(running) -> None:  # type: ignore[no-untyped-def]
    app, pilot = running
    await pilot.press("L")
    pane = app.main_screen.query_one(LogPane)
    await until(pilot, lambda: len(pane.view.entries) >= len(STRINGS) + 20, what="the log")
    await pilot.pause()
    rows = [pane.view.render_row(index) for index in range(len(pane.view.entries))]
    assert_inert(rows, "log")
    lines = ["".join(segment.text for segment in row) for row in rows]
    for key, text in STRINGS.items():
        # As the log shows it: HTML entities decoded (qBittorrent escapes its log), on one line.
        wanted = one_line(html.unescape(f"hostile log line ({key}): {text}"))[:80].rstrip()
        assert any(wanted in line for line in lines), key
    assert any(line.startswith("?    ") and "weird log entry 0" in line for line in lines)  # year 31690708
    seen(app)
    await pilot.press("v")
    await until(pilot, lambda: len(pane.view.entries) >= len(STRINGS), what="the peer log")
    await pilot.pause()
    rows = [pane.view.render_row(index) for index in range(len(pane.view.entries))]
    assert_inert(rows, "peer log")
    assert any("[bold red]RED ALERT[/bold red]" in "".join(s.text for s in row) for row in rows)
    seen(app)


async def test_help_and_palette(running) -> None:  # type: ignore[no-untyped-def]
    app, pilot = running
    await show(app, pilot, "markup-click")
    await pilot.press("question_mark")
    await pilot.pause(0.3)
    assert "Help" in type(app.screen).__name__ or app.screen is not app.main_screen
    seen(app)
    await pilot.press("escape")
    await pilot.pause(0.2)
    await pilot.press("ctrl+p")
    await pilot.pause(0.3)
    await pilot.press(*"details")
    await pilot.pause(0.5)
    seen(app)
    await pilot.press("escape")
    await pilot.pause(0.2)
    assert app.screen is app.main_screen
    seen(app)


async def test_clicking_a_name_that_is_markup_runs_nothing(running) -> None:  # type: ignore[no-untyped-def]
    app, pilot = running
    for key in ("markup-click", "markup-link"):
        await show(app, pilot, key)
        lines = screen_text(app).splitlines()
        literal = safe(STRINGS[key])[:12]
        row = next(index for index, line in enumerate(lines) if literal in line)
        column = lines[row].index(literal) + 2
        await pilot.click(offset=(column, row))
        await pilot.pause(0.2)
        await pilot.hover(offset=(column, row))
        await pilot.pause(0.2)
        assert app.is_running
        seen(app)




@pytest.mark.toasts
async def test_a_toast_naming_a_hostile_torrent_is_inert(running) -> None:  # type: ignore[no-untyped-def]
    app, pilot = running
    await show(app, pilot, "ansi-title")
    await pilot.press("p")
    await until(pilot, lambda: bool(app._notifications), what="the toast")
    await pilot.pause(0.3)
    seen(app)


@pytest.mark.toasts
async def test_a_toast_quoting_an_error_page_is_inert(running) -> None:  # type: ignore[no-untyped-def]
    app, pilot = running
    # Every 15th sync/maindata answer is an error page, truncated JSON or garbage.
    for _ in range(3):
        await until(pilot, lambda: app.poller.failures > 0, timeout=20, what="a failed poll")
        await pilot.pause(0.3)
        seen(app)
        await until(pilot, lambda: app.poller.failures == 0, what="recovery")


async def test_a_hostile_server_state_and_maindata_faults_leave_the_status_bar_sane(  # type: ignore[no-untyped-def]
    running, hostile_sim: Simulator
) -> None:
    app, pilot = running
    polls = app.poller.polls
    await until(pilot, lambda: app.poller.failures > 0, timeout=20, what="a failed poll")
    seen(app)
    await until(pilot, lambda: app.poller.failures == 0 and app.poller.polls > polls + 1, what="recovery")
    # The poller's counters move in the worker before the screen has handled the update it
    # posted, so on a loaded machine the first frame after recovery can still be the old one.
    await until(pilot, lambda: "59 torrents" in screen_text(app), what="the count back on screen")
    seen(app)
