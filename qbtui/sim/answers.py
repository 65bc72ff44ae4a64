"""What the API shows of the engine's state, field for field as 4.0.4's btjson.cpp builds it (facts §3).

Every builder honours the configured API version: fields introduced later are left out.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from qbtui.sim import swarm, versions
from qbtui.sim.model import MAX_ETA, MAX_RATIO, NEVER, SimTorrent
from qbtui.sim.sync import Keyed
from qbtui.sim.wire import float32, qt_float

if TYPE_CHECKING:
    from qbtui.sim.engine import Engine

_UNRESERVED = frozenset(b"-_!.~*()ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def lt_escape(text: str) -> str:
    """libtorrent's escape_string: lower-case hex, `-_!.~*()` and alphanumerics kept."""
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02x}" for b in text.encode("utf-8", "surrogatepass"))


def magnet_uri(t: SimTorrent) -> str:
    # Trackers and web seeds are only ever appended in the legacy API: their counts key the cache.
    key = (t.dn, len(t.trackers), len(t.url_seeds))
    if t.magnet is not None and t.magnet[0] == key:
        return t.magnet[1]
    parts = [f"magnet:?xt=urn:btih:{t.hash}"]
    if t.dn:
        parts.append(f"dn={lt_escape(t.dn)}")
    parts += [f"tr={lt_escape(x.url)}" for x in t.trackers]
    parts += [f"ws={lt_escape(url)}" for url in sorted(t.url_seeds)]
    t.magnet = (key, "&".join(parts))
    return t.magnet[1]


def eta(eng: Engine, t: SimTorrent) -> int:
    if t.paused:
        return MAX_ETA
    dl_avg, ul_avg = t.average_speeds()
    if t.is_seed:
        max_ratio, max_minutes = eng.global_max_ratio, eng.global_max_seeding
        if max_ratio < 0 and max_minutes < 0:
            return MAX_ETA
        ratio_eta = MAX_ETA
        if ul_avg > 0 and max_ratio >= 0:
            real_dl = t.downloaded if t.downloaded > 0 else t.wanted_bytes
            ratio_eta = int((real_dl * max_ratio - t.uploaded) / ul_avg)
        seeding_eta = MAX_ETA
        if max_minutes >= 0:
            seeding_eta = max(0, max_minutes * 60 - t.seeding_seconds(eng.time))
        return min(ratio_eta, seeding_eta)
    if not dl_avg:
        return MAX_ETA
    return (t.wanted_bytes - t.done_bytes) // dl_avg


def last_activity(eng: Engine, t: SimTorrent) -> int:
    if t.paused or t.checking:
        return 0
    if t.last_activity_at is None:
        # libtorrent says -1 ("never") and qBittorrent subtracts it from now.
        return eng.time + 1
    return t.last_activity_at


def _seeds(t: SimTorrent) -> int:
    return sum(1 for p in t.peers.values() if p.seed)


def torrent_view(eng: Engine, t: SimTorrent) -> dict[str, Any]:
    """The torrent object of query/torrents and sync/maindata, without `hash`."""
    api = eng.api
    seeds = _seeds(t)
    leechers = len(t.peers) - seeds
    ratio = t.real_ratio()
    view: dict[str, Any] = {
        "name": t.name,
        "size": t.wanted_bytes,
        "progress": t.progress(),
        "dlspeed": t.dlspeed,
        "upspeed": t.upspeed,
        "priority": eng.queue_pos.get(t.hash, 0),
        "num_seeds": seeds,
        "num_complete": t.scrape_seeds if t.scrape_seeds > 0 else seeds,
        "num_leechs": leechers,
        "num_incomplete": t.scrape_leechers if t.scrape_leechers > 0 else leechers,
        "ratio": -1 if ratio > MAX_RATIO else qt_float(ratio),
        "eta": eta(eng, t),
        "state": eng.state_of(t),
        "seq_dl": t.seq_dl,
        "category" if api >= versions.CATEGORIES else "label": t.category,
        "super_seeding": t.super_seeding,
        "force_start": eng.is_forced(t),
    }
    if t.meta is not None:
        view["f_l_piece_prio"] = t.first_last
    if api >= versions.SAVE_PATH:
        view["save_path"] = t.save_path
    if api >= versions.ADDED_ON:
        view["added_on"] = t.added_on
        view["completion_on"] = t.completion_on if t.completion_on is not None else NEVER
    if api >= versions.EXTENDED_TORRENT:
        view.update(
            tracker=t.current_tracker,
            dl_limit=t.dl_limit,
            up_limit=t.up_limit,
            downloaded=t.downloaded,
            uploaded=t.uploaded,
            downloaded_session=t.downloaded_session,
            uploaded_session=t.uploaded_session,
            completed=t.done_bytes,
            ratio_limit=qt_float(eng.global_max_ratio),
            seen_complete=t.seen_complete if t.seen_complete is not None else NEVER,
            last_activity=last_activity(eng, t),
            total_size=t.meta.total_size if t.meta is not None else -1,
        )
        view["amount_left" if api >= versions.AMOUNT_LEFT else "remaining"] = t.wanted_bytes - t.done_bytes
    if api >= versions.V4_COMMANDS:
        view["magnet_uri"] = magnet_uri(t)
        view["auto_tmm"] = t.auto_tmm
    if api >= versions.V404_FIELDS:
        view["tags"] = ", ".join(sorted(t.tags))
        view["time_active"] = t.published_active
    return view


# -- query/torrents: filter and sort ---------------------------------------------------------------

_DOWNLOADING = {"downloading", "metaDL", "stalledDL", "checkingDL", "pausedDL", "queuedDL", "forcedDL"}
_SEEDING = {"uploading", "stalledUP", "checkingUP", "queuedUP", "forcedUP"}
_COMPLETED = _SEEDING | {"pausedUP"}
_ACTIVE = {"metaDL", "downloading", "forcedDL", "uploading", "forcedUP"}


def matches_filter(name: str | None, view: dict[str, Any], t: SimTorrent) -> bool:
    state = view["state"]
    if name == "downloading":
        return state in _DOWNLOADING
    if name == "seeding":
        return state in _SEEDING
    if name == "completed":
        return state in _COMPLETED
    if name == "paused":
        return t.paused
    if name == "resumed":
        return not t.paused
    if name in ("active", "inactive"):
        active = state in _ACTIVE or (state == "stalledDL" and t.upspeed > 0)
        return active if name == "active" else not active
    if name == "errored":
        return state in ("error", "missingFiles")
    return True


def sort_key(value: Any) -> tuple[int, Any]:
    """QVariant ordering: numbers numerically, strings by UTF-16 code units, missing first."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool | int | float):
        return (1, value)
    return (2, str(value).encode("utf-16-be", "surrogatepass"))


# -- per-torrent queries -----------------------------------------------------------------------------


def properties(eng: Engine, t: SimTorrent) -> dict[str, Any]:
    api = eng.api
    now = eng.time
    meta = t.meta
    active = t.published_active
    finished = t.seeding_seconds(now)
    ratio = t.real_ratio()
    data: dict[str, Any] = {
        "save_path": t.save_path,
        "creation_date": -1,
        "piece_size": meta.piece_length if meta is not None else -1,
        "comment": meta.comment if meta is not None else "",
        "total_wasted": t.wasted,
        "total_uploaded": t.uploaded,
        "total_uploaded_session": t.uploaded_session,
        "total_downloaded": t.downloaded,
        "total_downloaded_session": t.downloaded_session,
        "up_limit": t.up_limit if t.up_limit > 0 else -1,
        "dl_limit": t.dl_limit if t.dl_limit > 0 else -1,
        "time_elapsed": active,
        "seeding_time": finished,
        "nb_connections": len(t.peers),
        "nb_connections_limit": int(eng.prefs.get("max_connec_per_torrent", 100)),
        "share_ratio": -1 if ratio > MAX_RATIO else qt_float(ratio),
    }
    if api >= 4:
        announce = [x.next_announce - now for x in t.trackers if x.next_announce > now]
        data.update(
            addition_date=t.added_on,
            completion_date=t.completion_on if t.completion_on is not None and meta is not None else -1,
            created_by=meta.created_by if meta is not None else "",
            dl_speed_avg=t.downloaded // (1 + active - min(finished, active)),
            dl_speed=t.dlspeed,
            eta=eta(eng, t),
            last_seen=t.seen_complete if t.seen_complete is not None and meta is not None else -1,
            peers=len(t.peers) - _seeds(t),
            peers_total=t.scrape_leechers if t.scrape_leechers > 0 else len(t.peers) - _seeds(t),
            pieces_have=t.pieces_have(),
            pieces_num=meta.piece_count if meta is not None else -1,
            reannounce=min(announce) if announce and t.running_since is not None else 0,
            seeds=_seeds(t),
            seeds_total=t.scrape_seeds if t.scrape_seeds > 0 else _seeds(t),
            total_size=meta.total_size if meta is not None else -1,
            up_speed_avg=t.uploaded // (1 + active),
            up_speed=t.upspeed,
        )
    if meta is not None:
        data["creation_date"] = meta.creation_date if meta.creation_date is not None else NEVER
    return data


def trackers(t: SimTorrent) -> list[dict[str, Any]]:
    return [{"url": x.url, "status": x.status, "num_peers": x.num_peers, "msg": x.msg} for x in t.trackers]


def web_seeds(t: SimTorrent) -> list[dict[str, Any]]:
    return [{"url": url} for url in sorted(t.url_seeds)]


def files(eng: Engine, t: SimTorrent) -> list[dict[str, Any]]:
    meta = t.meta
    if meta is None:
        return []
    availability = _availability(t)
    out = []
    for index, item in enumerate(meta.files):
        entry: dict[str, Any] = {
            "name": item.path,
            "size": item.size,
            "progress": qt_float(t.file_progress(item)),
            "priority": item.priority,
        }
        if index == 0:
            entry["is_seed"] = t.is_seed
        if eng.api >= versions.V4_COMMANDS:
            entry["piece_range"] = list(meta.file_pieces(item))
        if eng.api >= versions.V404_FIELDS:
            if availability is None:
                entry["availability"] = -1
            else:
                first, last = meta.file_pieces(item)
                count = last - first + 1
                entry["availability"] = qt_float(round(availability * count) / count)
        out.append(entry)
    return out


def _availability(t: SimTorrent) -> float | None:
    """Share of pieces some connected peer has; None for a seed (libtorrent gives no picker data)."""
    if t.is_seed:
        return None
    if any(p.seed for p in t.peers.values()):
        return 1.0
    missing = 1.0
    for peer in t.peers.values():
        missing *= 1.0 - peer.progress
    return 1.0 - missing


def piece_hashes(t: SimTorrent) -> list[str]:
    meta = t.meta
    if meta is None:
        return []
    return [meta.piece_hash(i, t.hash) for i in range(meta.piece_count)]


def peers_snapshot(eng: Engine, t: SimTorrent) -> dict[str, Any]:
    api = eng.api
    peers = Keyed()
    for peer in t.peers.values():
        flag_text, flag_desc = swarm.flags(t, peer)
        view: dict[str, Any] = {
            "ip": peer.ip,
            "port": peer.port,
            "client": peer.client,
            "progress": float32(peer.progress),
            "dl_speed": peer.dl_speed,
            "up_speed": peer.up_speed,
            "downloaded": peer.downloaded,
            "uploaded": peer.uploaded,
            "connection": "μTP" if peer.utp else "BT",
            "flags": flag_text,
            "flags_desc": flag_desc,
            "relevance": swarm.relevance(t, peer),
            "country_code": peer.country_code,
            "country": peer.country,
        }
        if api >= versions.EXTENDED_TORRENT:
            view["files"] = peer.files
        peers[peer.key] = view
    return {"show_flags": True, "peers": peers}


# -- global state ----------------------------------------------------------------------------------


def _two_decimals(value: float) -> str:
    # Utils::String::fromDouble rounds down, then prints two decimals.
    return f"{math.floor(value * 100) / 100:.2f}"


def server_state(eng: Engine, *, maindata: bool) -> dict[str, Any]:
    st = eng.stats
    state: dict[str, Any] = {
        "dl_info_speed": st.dl_speed,
        "dl_info_data": st.dl_data,
        "up_info_speed": st.ul_speed,
        "up_info_data": st.ul_data,
        "dl_rate_limit": eng.download_limit(),
        "up_rate_limit": eng.upload_limit(),
        "dht_nodes": st.dht_nodes if eng.prefs.get("dht") else 0,
        "connection_status": "connected"
        if (st.dht_nodes and eng.prefs.get("dht")) or st.peers
        else "firewalled",
    }
    if eng.api >= versions.STATISTICS:
        state.update(
            alltime_dl=st.alltime_dl,
            alltime_ul=st.alltime_ul,
            total_wasted_session=st.wasted,
            global_ratio=_two_decimals(st.alltime_ul / st.alltime_dl)
            if st.alltime_dl and st.alltime_ul
            else "-",
            total_peer_connections=st.peers,
            read_cache_hits=_two_decimals(100 * st.read_hits) if st.read_hits >= 0 else "-",
            total_buffers_size=st.buffers,
            write_cache_overload="0",
            read_cache_overload="0",
            queued_io_jobs=st.queued_jobs,
            average_time_queue=st.average_queue_time,
            total_queued_size=st.queued_bytes,
        )
    if maindata:
        state.update(
            queueing=eng.queueing,
            use_alt_speed_limits=eng.alt_enabled,
            refresh_interval=int(eng.prefs.get("refresh_interval", 1500)),
        )
    return state


def maindata_snapshot(eng: Engine, previous: dict[str, Any] | None) -> dict[str, Any]:
    """The full snapshot sync/maindata diffs; last_activity moves under 15 s are held back (facts §2.1)."""
    views = eng.views()
    torrents = Keyed(views)
    if previous is not None and eng.api >= versions.EXTENDED_TORRENT:
        before = previous.get("torrents") or {}
        for key, view in views.items():
            old = before.get(key)
            if old is None or old is view or "last_activity" not in old:
                continue
            last = old["last_activity"]
            if last != view["last_activity"] and abs(last - view["last_activity"]) < 15:
                held = dict(view)
                held["last_activity"] = last
                torrents[key] = old if held == old else held
    names = sorted(eng.categories, key=lambda name: name.encode("utf-16-be", "surrogatepass"))
    return {
        "torrents": torrents,
        "categories" if eng.api >= versions.CATEGORIES else "labels": names,
        "server_state": server_state(eng, maindata=True),
    }
