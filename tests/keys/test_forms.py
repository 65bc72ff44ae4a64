"""Forms that fit the terminal and show their state without colour (issue 14)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button

from qbtui.ui.widgets.toggles import OnOffSwitch, TickBox
from tests.ui.helpers import connection_screen, make_app, until


class Toggles(App[None]):
    def compose(self) -> ComposeResult:
        yield TickBox("ticked", True, id="on")
        yield TickBox("unticked", False, id="off")
        yield OnOffSwitch(True, id="switch-on")
        yield OnOffSwitch(False, id="switch-off")


async def test_checkboxes_and_switches_read_without_colour() -> None:
    app = Toggles()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        text = {w.id: str(w.render()).strip() for w in app.query("TickBox, OnOffSwitch")}
        assert "✓" in text["on"] and "✓" not in text["off"] and "X" not in text["off"]
        assert text["switch-on"].endswith("on") and text["switch-off"].endswith("off")
        box = app.query_one("#off", TickBox)
        box.toggle()
        await pilot.pause()
        assert "✓" in str(box.render())


async def test_the_connection_screen_fits_60x20_with_its_buttons_and_keys(tmp_path) -> None:
    app = make_app("http://127.0.0.1:9", state_dir=tmp_path, config_path=tmp_path / "config.toml")
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await connection_screen(pilot, timeout=20)
        await pilot.pause(0.3)
        width, height = app.size
        for button in screen.query(Button):
            region = button.region
            assert region.width and region.height, f"{button.id} is not shown"
            assert region.right <= width and region.bottom <= height - 1, f"{button.id} off screen: {region}"
        footer = screen.query_one("KeyFooter")
        assert footer.region.bottom == height
        url = screen.query_one("#connection-url")
        await until(pilot, lambda: app.focused is url, what="the address focused (the server is unreachable)")
        # Enter in a field connects (here: tries again), as the button does.
        calls: list[object] = []
        app.reconnect = lambda **kwargs: calls.append(kwargs)  # type: ignore[method-assign]
        await pilot.press("enter")
        await until(pilot, lambda: bool(calls), what="Enter retried")


async def test_the_first_start_says_what_it_does(tmp_path) -> None:
    from textual.widgets import Label

    from qbtui.ui.screens.connection import ConnectionScreen

    app = make_app(
        "http://127.0.0.1:9",
        state_dir=tmp_path,
        config_path=tmp_path / "config.toml",
        first_run=True,
        start_sync=False,
        password=None,
        username=None,
    )  # type: ignore[arg-type]
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConnectionScreen) and bool(app.screen.query(Label)))
        screen = app.screen
        labels = [str(label.render()) for label in screen.query(Label)]
        assert "Password" in labels and not any("keeps the current" in label for label in labels)
        hint = str(screen.query_one("#connection-hint").render())
        assert "closes by itself" not in hint and "Save" in hint
        # The first field still empty: the username (the address has the usual default).
        await until(pilot, lambda: app.focused is screen.query_one("#connection-username"), what="username")
