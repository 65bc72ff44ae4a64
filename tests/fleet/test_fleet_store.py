"""The fleet's store: each server's own store joined under hash@server keys; the view over it kept
incrementally equals a rebuild, whatever the servers do in whatever order."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from qbtui.model.filterlang import compile_filter
from qbtui.model.fleet import COPIES_FIELD, FleetStore, fleet_key, split_key
from qbtui.model.store import Store
from qbtui.model.view import TorrentView
from tests.test_view import delta

HASHES = [f"{i:040x}" for i in range(6)]
fields = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["alpha", "Beta", "gamma"]),
        "state": st.sampled_from(["downloading", "pausedDL", "stalledUP", "error"]),
        "dlspeed": st.sampled_from([0, 10, 500]),
        "size": st.integers(0, 3),
        "category": st.sampled_from(["", "tv", "linux"]),
        "save_path": st.sampled_from(["/a", "/b"]),
    }
)
states = st.dictionaries(st.sampled_from(HASHES), fields, max_size=6)
SERVERS = ["a", "b", "c"]
steps = st.lists(st.tuples(st.sampled_from(SERVERS), states), min_size=1, max_size=12)


@given(steps, st.sampled_from(["name", "server", "size"]), st.sampled_from([None, "b"]), st.booleans())
def test_incremental_fleet_view_equals_rebuild(
    sequence: list[tuple[str, dict[str, dict[str, Any]]]], sort: str, server: str | None, related: bool
) -> None:
    fleet = FleetStore(SERVERS)
    view = TorrentView(fleet)
    view.sort_column, view.server = sort, server
    if related:
        view.expression = compile_filter("copies>1")
    view.rebuild()
    seen: dict[str, dict[str, dict[str, Any]]] = {}
    rids = dict.fromkeys(SERVERS, 0)
    for name, state in sequence:
        rids[name] += 1
        member = fleet.members[name]
        if name not in seen:
            payload: dict[str, Any] = {"rid": rids[name], "full_update": True, "torrents": state}
        else:
            payload = delta(seen[name], state, rids[name])
        seen[name] = state
        view.apply(fleet.absorb(name, member.apply(payload)))
    # The joined store is exactly the members' torrents under their keys, with the right copies.
    expected = {fleet_key(n, h): t for n, m in fleet.members.items() for h, t in m.torrents.items()}
    assert fleet.torrents == expected
    for key, torrent in fleet.torrents.items():
        assert split_key(key) == (torrent.server, torrent.hash) and torrent.key == key
        holders = [n for n in SERVERS if torrent.hash in fleet.members[n].torrents]
        assert torrent.copies == len(holders)
    fresh = TorrentView(fleet)
    fresh.sort_column, fresh.server, fresh.expression = sort, server, view.expression
    fresh.rebuild()
    assert view.order == fresh.order
    assert +view.counts.status == +fresh.counts.status
    assert +view.counts.categories == +fresh.counts.categories


def _full(store: Store, torrents: dict[str, dict[str, Any]], rid: int = 1) -> Any:
    return store.apply({"rid": rid, "full_update": True, "torrents": torrents})


def test_the_same_hash_on_two_servers_is_two_related_rows() -> None:
    fleet = FleetStore(["nas", "box"])
    view = TorrentView(fleet)
    view.rebuild()
    same = "ab" * 20
    view.apply(
        fleet.absorb("nas", _full(fleet.members["nas"], {same: {"name": "debian"}, "c" * 40: {"name": "x"}}))
    )
    assert fleet.torrents[fleet_key("nas", same)].copies == 1
    changes = fleet.absorb("box", _full(fleet.members["box"], {same: {"name": "debian"}}))
    # The row already shown on nas is reported changed (its marker), the new one added.
    assert changes.added == {fleet_key("box", same)}
    assert changes.changed == {fleet_key("nas", same): {COPIES_FIELD}}
    view.apply(changes)
    assert len(view) == 3
    nas_copy = fleet.torrents[fleet_key("nas", same)]
    assert nas_copy.copies == 2 and [t.server for t in fleet.related(nas_copy)] == ["box"]
    view.expression = compile_filter("copies>1")
    view.refilter()
    assert sorted(view.order) == sorted([fleet_key("nas", same), fleet_key("box", same)])
    view.expression = compile_filter("server:box")
    view.refilter()
    assert view.order == [fleet_key("box", same)]
    # Gone from box: the nas copy is alone again, and says so.
    changes = fleet.absorb("box", fleet.members["box"].apply({"rid": 2, "torrents_removed": [same]}))
    assert changes.removed == {fleet_key("box", same)}
    assert changes.changed == {fleet_key("nas", same): {COPIES_FIELD}} and nas_copy.copies == 1


def test_fleet_speeds_are_the_live_servers_sum() -> None:
    fleet = FleetStore(["a", "b"])
    for rid, (name, speed) in enumerate((("a", 100), ("b", 50)), start=1):
        store = fleet.members[name]
        changes = store.apply({"rid": rid, "full_update": True, "server_state": {"dl_info_speed": speed}})
        fleet.set_live(name, True)
        fleet.absorb(name, changes)
    assert fleet.server_state.dl_info_speed == 150
    assert fleet.set_live("b", False) and fleet.server_state.dl_info_speed == 100
    assert not fleet.set_live("b", False)


def test_clearing_a_member_takes_its_rows_out() -> None:
    fleet = FleetStore(["a", "b"])
    view = TorrentView(fleet)
    view.rebuild()
    view.apply(fleet.absorb("a", _full(fleet.members["a"], {"1" * 40: {"name": "one"}})))
    view.apply(
        fleet.absorb("b", _full(fleet.members["b"], {"1" * 40: {"name": "one"}, "2" * 40: {"name": "two"}}))
    )
    assert len(view) == 3
    changes = fleet.clear_member("b")
    view.apply(changes)
    assert view.order == [fleet_key("a", "1" * 40)]
    assert fleet.members["b"].rid == 0 and not fleet.members["b"].torrents
    assert fleet.torrents[fleet_key("a", "1" * 40)].copies == 1
