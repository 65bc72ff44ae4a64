"""The / filter takes the filter language: fields, units, negation; a bad expression is underlined
and the last good filter stays."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.ui.helpers import make_app, until


async def test_filter_language_in_the_name_filter(sim_server, tmp_path) -> None:
    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app.view) > 5)
        await pilot.press("slash", *"state:downloading size>1G")
        await pilot.pause()
        shown = [app.store.torrents[h] for h in app.view.order]
        # qBittorrent's "downloading" family: every incomplete torrent (queued and paused ones too).
        assert shown and all(t.progress < 1 and t.size > 1024**3 for t in shown)
        assert len(shown) < len(app.store.torrents)
        good = list(app.view.order)
        box = app.main_screen.query_one("#name-filter", Input)
        box.value = "state:downloading size>1G ratio<"  # incomplete: underlined, the last good filter stays
        await pilot.pause()
        error = app.main_screen.query_one("#filter-error", Static)
        assert error.has_class("-visible") and "ratio<" in str(error.render())
        assert app.view.order == good
        box.value = "!category:linux"
        await pilot.pause()
        assert not error.has_class("-visible")
        assert app.view.order and all(app.store.torrents[h].category != "linux" for h in app.view.order)
        box.value = "ubuntu"  # a plain word: the name filter
        await pilot.pause()
        assert app.view.expression is None and app.view.name_filter == "ubuntu"
        assert all("ubuntu" in app.store.torrents[h].name.lower() for h in app.view.order)
