"""Editing a torrent from the details panel on real servers: web seeds in HTTP sources (5.1+), the
comment (5.2+) and the incomplete path (4.4+) in General. A server without one says why, and the
key sends nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from qbtui.api.models import Peer
from qbtui.ui.screens.dialogs import ConfirmDialog, TextPrompt
from qbtui.ui.screens.server_path_prompt import ServerPathPrompt
from qbtui.ui.widgets.details import GeneralTab, HttpSourcesTab
from qbtui.ui.widgets.details.peers import peer_row
from qbtui.ui.widgets.details.prompts import LinesPrompt, TextBlockPrompt
from tests.details.harness import until
from tests.details.test_panel_nox import add_sample, panel_on
from tests.details.test_panel_sim import settled
from tests.support.noxserver import NoxInstance


def toasts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


@pytest.mark.nox
async def test_web_seeds_add_edit_remove(nox_clean: NoxInstance, tmp_path: Path) -> None:
    hash = add_sample(nox_clean, tmp_path)
    async with panel_on(nox_clean, hash, "http-sources") as (pilot, app, _panel):
        tab = app.query_one(HttpSourcesTab)
        await settled(pilot, tab)
        tab.table.focus()
        await pilot.press("a")
        if not nox_clean.at_least(5, 1):
            assert not isinstance(app.screen, LinesPrompt)
            await until(
                pilot, lambda: any("Adding web seeds needs qBittorrent 5.1.0" in t for t in toasts(app))
            )
            return
        await until(pilot, lambda: isinstance(app.screen, LinesPrompt), what="the add prompt")
        app.screen.query_one(TextArea).text = "http://127.0.0.1:13/one/\nhttps://127.0.0.1:14/two/"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: len(tab.seeds) == 2, timeout=15, what="two seeds listed")
        tab.table.move_cursor(row=tab.table.get_row_index("http://127.0.0.1:13/one/"))
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt), what="the edit prompt")
        app.screen.query_one(Input).value = "ftp://127.0.0.1:15/three/"
        await pilot.press("enter")
        await until(
            pilot,
            lambda: {s.url for s in tab.seeds} == {"ftp://127.0.0.1:15/three/", "https://127.0.0.1:14/two/"},
            timeout=15,
            what="edited",
        )
        tab.table.move_cursor(row=tab.table.get_row_index("https://127.0.0.1:14/two/"))
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        app.screen.query_one("#confirm").press()
        await until(pilot, lambda: [s.url for s in tab.seeds] == ["ftp://127.0.0.1:15/three/"], timeout=15)


@pytest.mark.nox
async def test_comment_and_incomplete_path(nox_clean: NoxInstance, tmp_path: Path) -> None:
    hash = add_sample(nox_clean, tmp_path)
    async with panel_on(nox_clean, hash, "general") as (pilot, app, _panel):
        tab = app.query_one(GeneralTab)
        await settled(pilot, tab)
        tab.query_one(".body").focus()
        await pilot.press("c")
        if not nox_clean.at_least(5, 2):
            assert not isinstance(app.screen, TextBlockPrompt)
            await until(pilot, lambda: any("comment needs qBittorrent 5.2.0" in t for t in toasts(app)))
        else:
            await until(pilot, lambda: isinstance(app.screen, TextBlockPrompt), what="the comment prompt")
            app.screen.query_one(TextArea).text = "first line\nsecond line"
            await pilot.press("ctrl+s")
            await until(
                pilot,
                lambda: tab.data is not None and tab.data.properties.comment == "first line\nsecond line",
                timeout=15,
                what="the new comment",
            )
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ServerPathPrompt), what="the path prompt")
        target = tmp_path / "incomplete-here"
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: nox_clean.torrent(hash)["download_path"] == str(target),  # type: ignore[index]
            timeout=15,
            what="the incomplete path",
        )


def test_peer_country_code_and_relevance_cells() -> None:
    peer = Peer.from_raw(
        "1.2.3.4:5",
        {"ip": "1.2.3.4", "port": 5, "country": "Germany", "country_code": "de", "relevance": 0.25},
    )
    row = [cell.plain for cell in peer_row(peer, with_country=True)]
    assert row[9] == "25.0%" and row[10] == "DE Germany"
    unresolved = Peer.from_raw("1.2.3.4:5", {"country": "N/A", "country_code": "", "relevance": 1})
    cells = [cell.plain for cell in peer_row(unresolved, with_country=True)]
    assert cells[9] == "100%" and cells[10] == ""
