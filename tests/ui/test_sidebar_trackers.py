"""The sidebar's tracker entries: labels that tell trackers apart, and the tracker-status entries."""

from __future__ import annotations

from qbtui.ui.widgets.sidebar import FilterChoice, tracker_labels
from qbtui.ui.widgets.torrent_table import TorrentTable
from tests.ui.helpers import make_app, until


def test_trackers_on_one_host_are_told_apart_by_port_then_scheme() -> None:
    urls = [
        "http://127.0.0.1:6969/announce",
        "udp://127.0.0.1:1337/announce",
        "https://tracker.example.org/announce",
    ]
    assert tracker_labels(urls) == {
        urls[0]: "127.0.0.1:6969",
        urls[1]: "127.0.0.1:1337",
        urls[2]: "tracker.example.org",
    }
    same_port = ["http://127.0.0.1:6969/announce", "udp://127.0.0.1:6969/announce"]
    assert tracker_labels(same_port) == {
        same_port[0]: "http://127.0.0.1:6969",
        same_port[1]: "udp://127.0.0.1:6969",
    }
    paths = ["http://t.example/a", "http://t.example/b", "not a url"]
    assert tracker_labels(paths) == {paths[0]: paths[0], paths[1]: paths[1], paths[2]: "not a url"}


async def test_not_working_lists_the_torrents_without_a_working_tracker(sim_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qbtui.ui.widgets.sidebar import Sidebar

    app = make_app(sim_server.url, state_dir=tmp_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await until(pilot, lambda: len(app.view) > 0, what="first data")
        sidebar = app.main_screen.query_one(Sidebar)
        store = app.store
        await until(
            pilot,
            lambda: any(not t.tracker for t in store.torrents.values()),
            timeout=20,
            what="a torrent without a working tracker",
        )
        ids = [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)]
        assert "tracker-status:working" in ids and "tracker-status:not working" in ids
        # Legacy servers do not say how many trackers a torrent has: no Trackerless entry to mislead.
        assert "tracker-status:trackerless" not in ids
        sidebar.post_message(Sidebar.FilterChosen(sidebar, FilterChoice("tracker-status", "not working")))
        table = app.main_screen.query_one(TorrentTable)
        await until(pilot, lambda: app.view.tracker_status == "not working", what="the filter applied")
        assert app.view.order and all(not store.torrents[h].tracker for h in app.view.order)
        assert len(app.view.order) == app.view.counts.tracker_status["not working"]
        assert table.cursor_hash in app.view.order
