"""Models normalise both generations' JSON, map sentinels, keep unknowns, and never crash."""

from __future__ import annotations

import dataclasses
import enum
import json
import math
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbtui.api import coerce
from qbtui.api.coerce import INFINITE_ETA
from qbtui.api.errors import BadResponse
from qbtui.api.models import (
    Category,
    FilePriority,
    LogEntry,
    LogLevel,
    Peer,
    PeerLogEntry,
    ServerInfo,
    ServerState,
    Torrent,
    TorrentFile,
    TorrentProperties,
    TorrentState,
    Tracker,
    TrackerStatus,
    WebSeed,
    categories_from_raw,
    json_list,
    parse_webapi_version,
    split_tags,
)
from tests.hostile import strategies

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


# Anything JSON can carry, hostile strings and numbers past every edge included (tests/hostile).
json_values = strategies.json_values


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


# -- hostile JSON: every parser, every field sane afterwards ---------------------------------------

#: What a parsed field may hold: the model's own types, with numbers a formatter can print.
INT_LIMIT = 2**64


def assert_sane(value: object, where: str) -> None:
    """Numbers finite and within 64 bits, text printable as UTF-8 is not required (names keep what the
    server sent), containers and records checked recursively; `extra` keeps the server's raw values."""
    if isinstance(value, bool) or value is None or isinstance(value, str | enum.Enum):
        return
    if isinstance(value, int):
        assert -INT_LIMIT <= value <= INT_LIMIT, f"{where} = {value!r} is beyond 64 bits"
        float(value)  # formatters turn sizes and speeds into floats
        return
    if isinstance(value, float):
        assert math.isfinite(value), f"{where} = {value!r}"
        return
    if isinstance(value, tuple | list):
        for index, item in enumerate(value):
            assert_sane(item, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"{where} has key {key!r}"
            assert_sane(item, f"{where}[{key!r}]")
        return
    assert dataclasses.is_dataclass(value), f"{where} holds a {type(value).__name__}"
    for item in dataclasses.fields(value):
        if item.name != "extra":
            assert_sane(getattr(value, item.name), f"{where}.{item.name}")


@settings(max_examples=600)
@given(strategies.fields_of([*Torrent.__slots__, "label", "remaining", "dlspeed", "upspeed"]))
def test_torrent_fields_are_sane_after_any_json(raw: dict[str, object]) -> None:
    torrent = Torrent.from_raw(raw, hash="AB")
    assert_sane(torrent, "torrent")
    assert torrent.hash == "ab" and isinstance(torrent.name, str) and isinstance(torrent.category, str)
    assert torrent.size >= 0 and torrent.dl_speed >= 0 and torrent.up_speed >= 0
    assert torrent.downloaded >= 0 and torrent.uploaded >= 0 and torrent.amount_left >= 0
    assert 0.0 <= torrent.progress <= 1.0
    assert torrent.ratio is None or torrent.ratio >= 0
    assert torrent.eta is None or 0 <= torrent.eta < INFINITE_ETA
    assert torrent.dl_limit is None or torrent.dl_limit > 0
    assert torrent.queue_position is None or torrent.queue_position > 0
    assert all(isinstance(tag, str) and tag for tag in torrent.tags)
    assert isinstance(torrent.state, TorrentState) and isinstance(torrent.state_raw, str)
    for when in (torrent.added_on, torrent.completion_on, torrent.seen_complete, torrent.last_activity):
        assert when is None or when > 0


@settings(max_examples=600)
@given(json_values)
def test_every_parser_gives_sane_records_for_any_json(raw: Any) -> None:
    records: list[object] = [
        ServerState.from_raw(raw),
        TorrentProperties.from_raw(raw),
        Tracker.from_raw(raw),
        WebSeed.from_raw(raw),
        TorrentFile.from_raw(raw, 3),
        Peer.from_raw("1.2.3.4:5", raw),
        LogEntry.from_raw(raw),
        PeerLogEntry.from_raw(raw),
        Category.from_raw("c", raw),
        categories_from_raw(raw),
        TrackerStatus.from_raw(raw),
        FilePriority.from_raw(raw),
        LogLevel.from_raw(raw),
        split_tags(raw),
    ]
    for index, record in enumerate(records):
        assert_sane(record, f"record {index}")
    state, _, _, _, file, peer, *_ = records
    assert isinstance(state, ServerState) and isinstance(file, TorrentFile) and isinstance(peer, Peer)
    assert state.refresh_interval is None or 0 < state.refresh_interval <= 3_600_000
    assert state.dl_info_speed >= 0 and state.up_info_speed >= 0
    assert file.size >= 0 and 0.0 <= file.progress <= 1.0
    assert file.piece_range is None or 0 <= file.piece_range[0] <= file.piece_range[1]
    assert peer.dl_speed >= 0 and 0.0 <= peer.progress <= 1.0
    try:
        items = json_list(raw, "query/x?y=1")
    except BadResponse as exc:
        assert str(exc).startswith("query/x: expected a JSON array")
    else:
        assert items == (raw or [])


@settings(max_examples=600)
@given(json_values)
def test_coercions_return_their_type_for_any_json(raw: Any) -> None:
    number = coerce.as_int(raw, None)
    assert number is None or (isinstance(number, int) and -INT_LIMIT <= number <= INT_LIMIT)
    real = coerce.as_float(raw, None)
    assert real is None or math.isfinite(real)
    assert isinstance(coerce.as_str(raw), str) and isinstance(coerce.as_bool(raw), bool)
    assert coerce.as_amount(raw) >= 0
    for value in (coerce.as_time(raw), coerce.as_eta(raw), coerce.as_limit(raw), coerce.as_count(raw)):
        assert value is None or value >= 0


@settings(max_examples=300)
@given(strategies.texts)
def test_version_text_from_any_server(text: str) -> None:
    version = parse_webapi_version(text)
    assert version is None or all(isinstance(part, int) and part >= 0 for part in version)


def test_known_edges() -> None:
    assert parse_webapi_version("2.²") is None  # isdigit() but not int()-able
    assert coerce.as_int(10**4200) == 0 and coerce.as_float(10**4200) == 0.0  # no OverflowError
    assert coerce.as_int("9" * 5000, None) is None  # no int-from-str digit-limit ValueError
    assert coerce.as_amount(-5) == 0 and coerce.as_amount("7") == 7
    assert ServerState.from_raw({"refresh_interval": 10**12}).refresh_interval is None
    assert TorrentFile.from_raw({"piece_range": [5, 2]}, 0).piece_range is None
    assert Torrent.from_raw({"size": -1, "upspeed": "-5"}).size == 0


def test_every_field_of_the_table_reaches_its_attribute_and_nothing_is_dropped() -> None:
    """One table of fields (TORRENT_FIELDS) feeds both from_raw and the store's updates: a field it
    lists is never silently dropped (download_path once was: listed, read by nothing)."""
    from dataclasses import fields

    from qbtui.api.models import TORRENT_COMBINED, TORRENT_FIELDS, TORRENT_KEYS
    from qbtui.model.store import refreshed

    attributes = {f.name for f in fields(Torrent)}
    for raw_name, field in TORRENT_FIELDS.items():
        assert field.attribute in attributes, raw_name
    assert set(TORRENT_FIELDS) | set(TORRENT_COMBINED) | {"hash"} == TORRENT_KEYS
    raw = {"hash": "ab" * 20, "name": "x", "download_path": "/incomplete", "state": "downloading"}
    torrent = Torrent.from_raw(raw)
    assert torrent.download_path == "/incomplete" and "download_path" not in torrent.extra
    moved = refreshed(Torrent.from_raw(raw), {**raw, "download_path": "/elsewhere"}, ["download_path"])
    assert moved.download_path == "/elsewhere"
