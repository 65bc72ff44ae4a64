"""Every torrent dialog of the main screen refuses invalid values with a reason and stays open;
nothing reaches the server until the value is valid."""

from __future__ import annotations

from textual.widgets import Input, Static

from qbtui.ui.screens.dialogs import LimitsDialog, TextPrompt
from tests.ui.helpers import make_app, until


def error_of(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#error", Static).render())


async def retype(pilot, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    box = pilot.app.screen.query_one(selector, Input)
    box.focus()
    box.value = ""
    await pilot.press(*text) if text else None
    await pilot.pause()


async def test_rename_move_and_limits_refuse_bad_values(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    sent: list[str] = []
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 0 and app.main_screen.table.cursor_hash is not None)
        api = app.api
        assert api is not None
        for name in ("rename", "set_location", "set_download_limit", "set_upload_limit"):

            async def record(*args, _name=name, **kwargs):  # type: ignore[no-untyped-def]
                sent.append(_name)

            setattr(api, name, record)

        await pilot.press("n")  # rename
        await until(pilot, lambda: isinstance(app.screen, TextPrompt), what="rename prompt")
        await retype(pilot, "#value", "   ")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt) and error_of(app) == "A name cannot be empty"
        await pilot.press("escape")

        await pilot.press("m")  # move
        await until(pilot, lambda: isinstance(app.screen, TextPrompt), what="move prompt")
        await retype(pilot, "#value", "")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt) and "directory" in error_of(app)
        await pilot.press("escape")

        await pilot.press("l")  # per-torrent limits
        await until(pilot, lambda: isinstance(app.screen, LimitsDialog), what="limits dialog")
        await retype(pilot, "#download", "-2M")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LimitsDialog) and "negative" in error_of(app).lower()
        await retype(pilot, "#download", "fast")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LimitsDialog) and "not a rate" in error_of(app)
        await pilot.press("escape")
        await pilot.pause()
    assert sent == []
