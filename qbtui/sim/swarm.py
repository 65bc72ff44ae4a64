"""How a running torrent lives from one simulated second to the next: trackers, peers, speeds, bytes.

Everything random comes from the engine's one seeded `random.Random`, drawn in a fixed order, so a
seed and a sequence of clock readings always give the same story.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from qbtui.sim.model import (
    NOT_WORKING,
    UPDATING,
    WORKING,
    SimPeer,
    SimTorrent,
)
from qbtui.sim.wire import float32

if TYPE_CHECKING:
    from qbtui.sim.engine import Engine

ANNOUNCE_INTERVAL = 1800
#: Seconds a tracker takes to answer (or, for a dead one, to time out).
REPLY_DELAY = {"ok": 1, "flaky": 2, "dead": 15}

CLIENTS = (
    "qBittorrent 4.0.4",
    "qBittorrent 4.1.3",
    "qBittorrent 3.3.16",
    "Transmission 2.94",
    "Transmission 2.92",
    "µTorrent 3.5.4",
    "µTorrent 2.2.1",
    "Deluge 1.3.15",
    "BitTorrent 7.10.3",
    "libtorrent (Rasterbar) 1.1.9",
    "BitComet 1.51",
    "Vuze 5.7.6.0",
    "Tixati 2.57",
    "aria2 1.34.0",
    "KTorrent 5.1.1",
    "rTorrent 0.9.6",
    "Unknown [-XL0012-]",
)

DEAD_REASONS = (
    "Connection refused",
    "timed out",
    "Host not found (authoritative)",
    "Connection reset by peer",
)


def tracker_behaviour(url: str) -> str:
    """Invented trackers on loopback or reserved hosts never answer; a few public-looking ones are flaky."""
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0].lower()
    if host in ("localhost", "127.0.0.1", "[::1]") or host.endswith((".invalid", ".example", ".test")):
        return "dead"
    return "flaky" if "flaky" in host or host.startswith("udp.") else "ok"


def start_trackers(t: SimTorrent, now: int) -> None:
    """A started torrent announces to every tracker at once."""
    for tracker in t.trackers:
        tracker.status = UPDATING
        tracker.next_announce = now + REPLY_DELAY.get(tracker.behaviour, 1)


def step_trackers(eng: Engine, t: SimTorrent, now: int) -> bool:
    """Process announces that fell due; True if the torrent's listed fields changed."""
    changed = False
    rng = eng.rng
    for tracker in t.trackers:
        if tracker.next_announce > now:
            continue
        if tracker.status != UPDATING:
            tracker.status = UPDATING
            tracker.next_announce = now + REPLY_DELAY.get(tracker.behaviour, 1)
            continue
        ok = tracker.behaviour == "ok" or (tracker.behaviour == "flaky" and rng.random() < 0.75)
        if ok:
            tracker.status = WORKING
            tracker.fails = 0
            tracker.msg = ""
            tracker.num_peers = min(200, t.swarm_seeds + t.swarm_leechers)
            tracker.next_announce = now + ANNOUNCE_INTERVAL + rng.randrange(0, 60)
            seeds = max(0, t.swarm_seeds + rng.randrange(-1, 2))
            leechers = max(0, t.swarm_leechers + rng.randrange(-1, 2))
            if (seeds, leechers) != (t.scrape_seeds, t.scrape_leechers) or not t.current_tracker:
                t.scrape_seeds, t.scrape_leechers = seeds, leechers
                changed = True
            if not t.current_tracker:
                t.current_tracker = tracker.url
        else:
            tracker.status = NOT_WORKING
            tracker.fails += 1
            tracker.num_peers = 0
            reason = DEAD_REASONS[0] if tracker.url.startswith("http") else DEAD_REASONS[1]
            # libtorrent's tracker_error_alert text, which 4.0.4 shows as the tracker message.
            tracker.msg = f'{t.dn} ({tracker.url}) (-1) {reason} "" ({tracker.fails})'
            tracker.next_announce = now + min(3600, 60 * 2 ** min(tracker.fails, 6))
            if t.current_tracker == tracker.url:
                t.current_tracker = next((x.url for x in t.trackers if x.status == WORKING), "")
                changed = True
    return changed


def next_announce(t: SimTorrent) -> int | None:
    return min((x.next_announce for x in t.trackers), default=None)


def _ip(rng: random.Random) -> str:
    if rng.random() < 0.06:
        groups = (rng.randrange(0x100, 0xFFFF), rng.randrange(0x10, 0xFFFF), rng.randrange(1, 0xFFFF))
        return f"2a0{rng.randrange(1, 10)}:{groups[0]:x}:{groups[1]:x}::{groups[2]:x}"
    first = rng.choice(
        (
            5,
            24,
            31,
            37,
            46,
            62,
            77,
            78,
            79,
            81,
            82,
            83,
            84,
            85,
            86,
            87,
            88,
            89,
            90,
            91,
            92,
            93,
            94,
            95,
            109,
            151,
            176,
            178,
            185,
            188,
            193,
            194,
            195,
            212,
            213,
            217,
        )
    )
    return f"{first}.{rng.randrange(0, 256)}.{rng.randrange(0, 256)}.{rng.randrange(1, 255)}"


def new_peer(eng: Engine, t: SimTorrent, seed: bool) -> SimPeer:
    rng = eng.rng
    port = rng.choice((6881, 6889, 51413, 8999)) if rng.random() < 0.3 else rng.randrange(10000, 65000)
    private = t.meta is not None and t.meta.private
    source = "" if private else rng.choice(("", "", "X", "H", "H", "L"))
    return SimPeer(
        ip=_ip(rng),
        port=port,
        client=rng.choice(CLIENTS),
        seed=seed,
        progress=1.0 if seed else rng.random() * 0.9,
        utp=rng.random() < 0.4,
        incoming=rng.random() < 0.35,
        encryption=rng.choice(("E", "E", "e", "")),
        source=source,
        weight=0.2 + rng.random(),
    )


def targets(eng: Engine, t: SimTorrent, now: int) -> tuple[int, int]:
    """How many seeds and leechers this torrent would be connected to right now."""
    if t.checking or t.running_since is None or now - t.running_since < 2:
        return 0, 0
    private = t.meta is not None and t.meta.private
    reachable = any(x.status == WORKING for x in t.trackers) or (
        not private and eng.prefs.get("dht", True) and now - t.running_since >= 4
    )
    if not reachable:
        return 0, 0
    limit = max(1, eng.prefs.get("max_connec_per_torrent", 100))
    if t.is_seed:
        return 0, min(t.swarm_leechers, 10, limit)
    seeds = min(t.swarm_seeds, 12, limit)
    return seeds, min(t.swarm_leechers, 8, max(0, limit - seeds))


def churn_peers(eng: Engine, t: SimTorrent, now: int) -> bool:
    """Peers come and go; True if the connected set changed."""
    rng = eng.rng
    want_seeds, want_leechers = targets(eng, t, now)
    seeds = [p for p in t.peers.values() if p.seed]
    leechers = [p for p in t.peers.values() if not p.seed]
    changed = False
    for group, want in ((seeds, want_seeds), (leechers, want_leechers)):
        if len(group) > want or (group and rng.random() < 0.015 * len(group)):
            victim = group[rng.randrange(len(group))]
            del t.peers[victim.key]
            changed = True
            if not victim.seed and t.is_seed and rng.random() < 0.5:
                t.swarm_leechers = max(0, t.swarm_leechers - 1)  # gave up and left the swarm
    for want, have, seed in ((want_seeds, len(seeds), True), (want_leechers, len(leechers), False)):
        if have < want and rng.random() < 0.35:
            peer = new_peer(eng, t, seed)
            t.peers.setdefault(peer.key, peer)
            changed = True
    return changed


def desired_rates(eng: Engine, t: SimTorrent) -> tuple[float, float]:
    """A random walk towards what the connected peers can give and take."""
    rng = eng.rng
    seeds = sum(1 for p in t.peers.values() if p.seed)
    leechers = len(t.peers) - seeds
    if t.is_seed or t.meta is None:
        dl_target = 0.0
    else:
        sources = seeds + 0.3 * sum(1 for p in t.peers.values() if not p.seed and p.progress > 0.05)
        dl_target = t.dl_capacity * min(1.0, sources / 4.0)
    takers = leechers if t.have_bytes else 0
    ul_target = t.ul_capacity * min(1.0, takers / 3.0) * (0.6 if t.super_seeding else 1.0)
    t.dl_rate = _walk(rng, t.dl_rate, dl_target)
    t.ul_rate = _walk(rng, t.ul_rate, ul_target)
    dl = t.dl_rate if t.dl_limit <= 0 else min(t.dl_rate, t.dl_limit)
    ul = t.ul_rate if t.up_limit <= 0 else min(t.ul_rate, t.up_limit)
    return dl, ul


def _walk(rng: random.Random, rate: float, target: float) -> float:
    if target <= 0:
        return 0.0 if rate < 2048 else rate * 0.4
    return max(0.0, rate + (target - rate) * 0.35 + rng.gauss(0.0, target * 0.07))


def spread(peers: list[SimPeer], total: int, attr: str) -> None:
    weight = sum(p.weight for p in peers)
    for peer in peers:
        setattr(peer, attr, int(total * peer.weight / weight) if weight else 0)


def update_peers(eng: Engine, t: SimTorrent, dl: int, ul: int, dt: int) -> None:
    """Share the torrent's rates among its peers and let leechers make progress."""
    peers = list(t.peers.values())
    for peer in peers:
        peer.dl_speed = peer.up_speed = 0
    sources = [p for p in peers if (p.seed or p.progress > 0.05) and not t.is_seed]
    takers = [p for p in peers if not p.seed]
    if dl and sources:
        spread(sources, dl, "dl_speed")
    if ul and takers:
        spread(takers, ul, "up_speed")
    size = t.meta.total_size if t.meta is not None else 0
    rng = eng.rng
    for peer in peers:
        peer.downloaded += peer.dl_speed * dt
        peer.uploaded += peer.up_speed * dt
        if not peer.seed and size:
            gained = (peer.up_speed * dt + rng.randrange(0, 65536) * dt) / size
            peer.progress = min(1.0, peer.progress + gained)
            if peer.progress >= 1.0:
                peer.seed = True
                t.swarm_leechers = max(0, t.swarm_leechers - 1)
                t.swarm_seeds += 1
        peer.files = _peer_files(t) if peer.dl_speed else ""
        peer.optimistic = peer.up_speed > 0 and rng.random() < 0.05
    if t.is_seed:
        # Seeds drop connections to other seeds.
        for peer in [p for p in peers if p.seed]:
            del t.peers[peer.key]


def _peer_files(t: SimTorrent) -> str:
    meta = t.meta
    if meta is None or not t.partial:
        return ""
    index = next(iter(t.partial))
    start, end = index * meta.piece_length, index * meta.piece_length + meta.piece_size(index)
    names = [f.path for f in meta.files if f.offset < end and f.offset + f.size > start]
    return "\n".join(names)


def relevance(t: SimTorrent, peer: SimPeer) -> float | int:
    if t.is_seed or t.meta is None:
        return 0
    if peer.seed:
        return 1
    return float32(min(1.0, peer.progress))


def flags(t: SimTorrent, peer: SimPeer) -> tuple[str, str]:
    """4.0.4's PeerInfo flags and their description lines."""
    interesting = not t.is_seed and (peer.seed or peer.progress > 0.05)
    remote_interested = not peer.seed and t.have_bytes > 0
    remote_choked = peer.dl_speed == 0
    choked = peer.up_speed == 0
    out: list[tuple[str, str]] = []
    if interesting:
        out.append(
            ("d", "interested(local) and choked(peer)")
            if remote_choked
            else ("D", "interested(local) and unchoked(peer)")
        )
    if remote_interested:
        out.append(
            ("u", "interested(peer) and choked(local)")
            if choked
            else ("U", "interested(peer) and unchoked(local)")
        )
    if peer.optimistic:
        out.append(("O", "optimistic unchoke"))
    if peer.snubbed:
        out.append(("S", "peer snubbed"))
    if peer.incoming:
        out.append(("I", "incoming connection"))
    if not remote_choked and not interesting:
        out.append(("K", "not interested(local) and unchoked(peer)"))
    if not choked and not remote_interested:
        out.append(("?", "not interested(peer) and unchoked(local)"))
    if peer.source == "X":
        out.append(("X", "peer from PEX"))
    if peer.source == "H":
        out.append(("H", "peer from DHT"))
    if peer.encryption == "E":
        out.append(("E", "encrypted traffic"))
    if peer.encryption == "e":
        out.append(("e", "encrypted handshake"))
    if peer.utp:
        out.append(("P", "μTP"))
    if peer.source == "L":
        out.append(("L", "peer from LSD"))
    return " ".join(flag for flag, _ in out), "\n".join(f"{flag} = {text}" for flag, text in out)
