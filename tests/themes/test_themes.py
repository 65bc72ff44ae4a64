"""Shipped and user themes: all four load, every qbtui colour is a theme variable, a bad file is
reported once and the app falls back to the default theme."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbtui.ui.themes import (
    DEFAULT_THEME,
    QBTUI_VARIABLES,
    SHIPPED_DIR,
    ThemeFileError,
    load_theme_dirs,
    theme_from_toml,
)
from tests.ui.helpers import make_app, until

SHIPPED = {"qbtui-dark", "qbtui-light", "qbtui-high-contrast", "qbtui-16"}


def test_the_four_shipped_themes_load_and_define_every_qbtui_variable() -> None:
    loaded = load_theme_dirs(SHIPPED_DIR)
    assert loaded.problems == []
    assert set(loaded.themes) == SHIPPED
    for path in SHIPPED_DIR.glob("*.toml"):
        text = path.read_text()
        for variable in QBTUI_VARIABLES:
            assert f"\n{variable} = " in text, f"{path.name} leaves out {variable}"
    assert loaded.themes["qbtui-light"].dark is False
    assert loaded.themes["qbtui-16"].ansi is True
    assert all(
        v.startswith("ansi_") for k, v in loaded.themes["qbtui-16"].variables.items() if k in QBTUI_VARIABLES
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('name = "x"\nprimary = "#zzz"\n', "primary: '#zzz' is not a colour"),
        ('primary = "#fff"\n', "needs a name"),
        ('name = "x"\n', "needs a primary colour"),
        ('name = "x"\nprimary = "#fff"\nshadow = 1\n', "unknown key 'shadow'"),
        ('name = "x"\nprimary = "#fff"\n[variables]\ntorrent-error = 7\n', "variables.torrent-error must be"),
        ('name = "x"\nprimary = "#fff"\ntext_alpha = 3\n', "text_alpha must be a number from 0 to 1"),
        ("name = \n", "Invalid value"),
    ],
)
def test_bad_theme_files_say_why(text: str, problem: str) -> None:
    with pytest.raises(ThemeFileError, match=r"mine\.toml") as caught:
        theme_from_toml(text, "mine.toml")
    assert problem in str(caught.value)


def test_a_partial_user_theme_inherits_qbtui_variables() -> None:
    theme = theme_from_toml(
        'name = "mine"\nprimary = "#ff8800"\n[variables]\ntorrent-error = "magenta"\n', "t"
    )
    assert theme.variables["torrent-error"] == "magenta"
    assert theme.variables["piece-have"] == QBTUI_VARIABLES["piece-have"]


async def test_app_uses_the_chosen_theme_and_reports_a_bad_one_once(sim_server, tmp_path: Path) -> None:
    user_dir = tmp_path / "themes"
    user_dir.mkdir()
    (user_dir / "broken.toml").write_text('name = "broken"\nprimary = "nope"\n')
    (user_dir / "mine.toml").write_text('name = "mine"\nprimary = "#ff8800"\n')
    app = make_app(sim_server.url, theme="broken", user_theme_dir=user_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: len(app.view) > 0, what="data")
        assert app.theme == DEFAULT_THEME
        warnings = [n.message for n in app._notifications]
        assert sum("broken.toml" in w for w in warnings) == 1
        assert any("theme 'broken' not found" in w for w in warnings)
        assert "mine" in app.available_themes
        app.theme = "mine"  # switching live, as the palette does
        await pilot.pause()
        assert app.theme_variables["torrent-downloading"] == QBTUI_VARIABLES["torrent-downloading"]


async def test_unknown_keymap_ids_are_reported_and_known_ones_remap(sim_server, tmp_path: Path) -> None:
    app = make_app(sim_server.url, keymap={"view.sidebar": "z", "no.such": "y"})
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: len(app.view) > 0, what="data")
        assert any("no binding has the id 'no.such'" in n.message for n in app._notifications)
        screen = app.main_screen
        assert screen.sidebar_shown
        await pilot.press("z")
        assert not screen.sidebar_shown
        await pilot.press("b")  # the old key no longer toggles it
        assert not screen.sidebar_shown
