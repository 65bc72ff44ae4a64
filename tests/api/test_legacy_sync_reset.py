"""Legacy servers list categories only in a full `sync/maindata` (rid=0), which resets the session's
sync state on the server: a change made just before it would be in no later delta. The next poll
after such a request asks for everything, so the poll loop never misses it."""

from __future__ import annotations

from qbtui.api import ConnectionSettings, connect
from qbtui.model.store import Store


async def test_a_change_before_a_categories_request_still_reaches_the_store(sim_server) -> None:  # type: ignore[no-untyped-def]
    api = await connect(ConnectionSettings(url=sim_server.url, username="admin", password="adminadmin"))
    try:
        store = Store()
        store.apply(await api.maindata(0))
        hash = next(iter(store.torrents))
        before = store.torrents[hash].category
        wanted = "music" if before != "music" else "books"
        await api.set_category([hash], wanted)
        await api.categories()  # the categories dialog on a legacy server
        store.apply(await api.maindata(store.rid))
        assert store.torrents[hash].category == wanted
    finally:
        await api.close()
