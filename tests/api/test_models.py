"""Models normalise both generations' JSON, map sentinels, keep unknowns, and never crash."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbtui.api.models import (
    Category,
    FilePriority,
    LogEntry,
    LogLevel,
    Peer,
    ServerInfo,
    ServerState,
    Torrent,
    TorrentFile,
    TorrentProperties,
    TorrentState,
    Tracker,
    TrackerStatus,
    categories_from_raw,
    parse_webapi_version,
)

SAMPLES = Path(__file__).parents[1] / "data" / "legacy-4.0.4-samples"


def sample_body(name: str) -> object:
    text = (SAMPLES / name).read_text()
    return json.loads(text.split("\n\n", 1)[1])


def test_legacy_torrent_sample() -> None:
    seeding, paused = (Torrent.from_raw(raw) for raw in sample_body("query_torrents.txt"))
    assert seeding.hash == "38c6f3ba65ac60f1fb153db435c26cbeef025373"
    assert seeding.state is TorrentState.STALLED_UP and seeding.state.is_complete
    assert seeding.queue_position is None  # priority 0: not queued
    assert seeding.eta is None  # 8640000 = infinite
    assert seeding.seen_complete is None  # 4294967295 = never
    assert seeding.completion_on == 1795926652
    assert seeding.dl_limit is None and seeding.ratio_limit is None
    assert seeding.category == "tests" and seeding.tags == ()
    assert paused.state is TorrentState.PAUSED_DL and paused.state.is_paused
    assert paused.queue_position == 1
    assert paused.completion_on is None and paused.last_activity is None
    assert paused.extra == {}


def test_maindata_torrent_is_keyed_by_hash() -> None:
    data = sample_body("sync_maindata_rid0.txt")
    assert isinstance(data, dict)
    torrents = [Torrent.from_raw(raw, hash=h) for h, raw in data["torrents"].items()]
    assert {t.name for t in torrents} == {"sample-file.bin", "multi"}
    state = ServerState.from_raw(data["server_state"])
    assert state.refresh_interval == 1500 and state.queueing is True
    assert state.global_ratio is None  # "-"
    assert state.connection_status == "firewalled"


def test_v5_state_names_and_unknown_states() -> None:
    assert Torrent.from_raw({"state": "stoppedUP"}).state is TorrentState.PAUSED_UP
    odd = Torrent.from_raw({"state": "someFutureState", "brand_new_field": 3})
    assert odd.state is TorrentState.UNKNOWN and odd.state_raw == "someFutureState"
    assert odd.extra == {"brand_new_field": 3}


def test_properties_sample_sentinels() -> None:
    props = TorrentProperties.from_raw(sample_body("query_propertiesGeneral_single.txt"))  # type: ignore[arg-type]
    assert props.creation_date is None  # 4294967295
    assert props.last_seen is None  # -1
    assert props.eta is None
    assert props.piece_size == 16384 and props.pieces_have == 13
    assert props.created_by == "torf 4.3.1" and props.comment == "legacy test"


def test_files_sample_priorities_and_seed_flag() -> None:
    raw = sample_body("query_propertiesFiles_multi.txt")
    first, second = (TorrentFile.from_raw(item, i) for i, item in enumerate(raw))  # type: ignore[arg-type]
    assert first.priority is FilePriority.NORMAL and first.priority_raw == 4
    assert first.is_seed is False and second.is_seed is None
    assert second.piece_range == (0, 4) and second.index == 1


def test_tracker_status_text_and_codes() -> None:
    (tracker,) = (Tracker.from_raw(t) for t in sample_body("query_propertiesTrackers_single.txt"))  # type: ignore[union-attr]
    assert tracker.status is TrackerStatus.NOT_WORKING
    assert Tracker.from_raw({"url": "x", "status": 2}).status is TrackerStatus.WORKING
    assert Tracker.from_raw({"url": "** [DHT] **", "status": 0}).is_pseudo


def test_log_timestamps_ms_legacy_and_seconds_v2_and_html_unescaped() -> None:
    legacy = LogEntry.from_raw({"id": 1, "timestamp": 1795926619764, "type": 4, "message": "a &amp; b"})
    v2 = LogEntry.from_raw({"id": 1, "timestamp": 1795926619, "type": 8, "message": "x"})
    assert abs(legacy.timestamp - 1795926619.764) < 1e-3
    assert v2.timestamp == 1795926619
    assert legacy.level is LogLevel.WARNING and legacy.message == "a & b"
    assert v2.level is LogLevel.CRITICAL


def test_peer_sample() -> None:
    data = sample_body("sync_torrent_peers_with_peer_rid0.txt")
    assert isinstance(data, dict)
    ((key, raw),) = data["peers"].items()
    peer = Peer.from_raw(key, raw)
    assert peer.ip == "127.0.0.1" and peer.port == 28882 and peer.connection == "μTP"


def test_categories_as_list_or_object() -> None:
    assert categories_from_raw(["a", "b"]) == {"a": Category("a"), "b": Category("b")}
    cats = categories_from_raw({"tv": {"name": "tv", "savePath": "/tv", "download_path": False}})
    assert cats == {"tv": Category("tv", "/tv", None)}


def test_versions() -> None:
    assert parse_webapi_version("2.8.19") == (2, 8, 19)
    assert parse_webapi_version("2.0") == (2, 0)
    assert parse_webapi_version("<html>") is None
    from qbtui.api.models import ApiGeneration

    info = ServerInfo(ApiGeneration.V2, (2, 11))
    assert info.v2_at_least(2, 11, 0) and info.uses_stop_start and not info.legacy_at_least(1)


def test_wrong_types_become_defaults() -> None:
    torrent = Torrent.from_raw({"size": "12", "progress": "bogus", "eta": None, "ratio": "NaN", "tags": 5})
    assert torrent.size == 12 and torrent.progress == 0.0 and torrent.eta is None and torrent.ratio is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([*Torrent.__slots__, "label", "remaining", "x"]), json_values))
def test_torrent_from_any_json_never_raises(raw: dict[str, object]) -> None:
    torrent = Torrent.from_raw(raw, hash="ab")
    assert 0.0 <= torrent.progress <= 1.0


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_other_models_from_any_json_never_raise(raw: object) -> None:
    ServerState.from_raw(raw)  # type: ignore[arg-type]
    TorrentProperties.from_raw(raw)  # type: ignore[arg-type]
    Tracker.from_raw(raw)  # type: ignore[arg-type]
    TorrentFile.from_raw(raw, 0)  # type: ignore[arg-type]
    Peer.from_raw("k", raw)  # type: ignore[arg-type]
    LogEntry.from_raw(raw)  # type: ignore[arg-type]
    categories_from_raw(raw)
