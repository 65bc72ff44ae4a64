"""The torrent table caches the styles its rows use: a theme switch or a stale link restyles them."""

from __future__ import annotations

from tests.ui.helpers import make_app, until


def row_background(app) -> object:  # type: ignore[no-untyped-def]
    table = app.main_screen.table
    strip = table.render_line(2)  # a row below the cursor's
    return next(segment.style.bgcolor for segment in strip if segment.style is not None)


async def test_row_styles_follow_a_theme_switch_and_the_stale_class(sim_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: len(app.view) > 2, what="first data")
        table = app.main_screen.table
        dark = row_background(app)
        assert dark == table.rich_style.bgcolor
        app.theme = "qbtui-light"
        await pilot.pause()
        light = row_background(app)
        assert light != dark and light == table.rich_style.bgcolor
        table.add_class("-stale")
        await pilot.pause()
        assert row_background(app) == table.rich_style.bgcolor
