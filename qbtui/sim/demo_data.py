"""The demo's torrents: 25 hand-made ones in every state, then as many generated ones as asked for.

Also invents metadata for magnets and URLs (deterministically, from the info-hash).
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit

from qbtui.sim.engine import Engine, make_metadata
from qbtui.sim.model import WORKING, Metadata, SimTorrent, SimTracker

GiB = 1024**3
MiB = 1024**2
DAY = 86400

UBUNTU = ("https://torrent.ubuntu.com/announce", "https://ipv6.torrent.ubuntu.com/announce")
DEBIAN = ("http://bttracker.debian.org:6969/announce",)
PUBLIC = (
    "udp://tracker.opentrackr.org:1337/announce",
    "udp://tracker.coppersurfer.tk:6969/announce",
    "udp://tracker.leechers-paradise.org:6969/announce",
)
EZTV = (
    "udp://tracker.opentrackr.org:1337/announce",
    "udp://exodus.desync.com:6969/announce",
    "udp://tracker.internetwarriors.net:1337/announce",
)
ARCHIVE = ("http://bt1.archive.org:6969/announce", "http://bt2.archive.org:6969/announce")
#: Trackers that are gone: they time out or refuse, as they would on a real box.
DEAD = {
    "udp://tracker.leechers-paradise.org:6969/announce",
    "udp://tracker.coppersurfer.tk:6969/announce",
    "http://tracker.tails.invalid:80/announce",
}
FLAKY = {"udp://tracker.internetwarriors.net:1337/announce"}


@dataclass
class Demo:
    name: str
    category: str
    size: int
    state: str  # dl, seed, pausedDL, pausedUP, meta, check, error, missing, forcedDL, forcedUP
    progress: float = 0.0
    files: tuple[tuple[str, int], ...] = ()
    swarm: tuple[int, int] = (20, 5)
    dl: int = 2 * MiB
    ul: int = 300_000
    ratio: float = 0.0
    age_days: float = 3.0
    trackers: tuple[str, ...] = PUBLIC
    tags: tuple[str, ...] = ()
    url_seeds: tuple[str, ...] = ()
    comment: str = ""
    created_by: str = "qBittorrent v4.0.4"
    private: bool = False
    options: dict[str, object] = field(default_factory=dict)


def _tracks(prefix: str, titles: tuple[str, ...], ext: str, rng: random.Random, low: int, high: int):
    return tuple(
        (f"{prefix}{i:02d} - {title}.{ext}", rng.randrange(low, high)) for i, title in enumerate(titles, 1)
    )


def demo_set(mix: str = "mixed") -> list[Demo]:
    """The hand-made torrents: every state ("mixed"), or a seedbox's ("seeding") or a downloading
    box's ("downloading") share of complete and incomplete torrents, for looking at both roles."""
    demos = _mixed_set()
    if mix == "seeding":
        return [_as_seed(d, i) if d.name not in _STILL_DOWNLOADING else d for i, d in enumerate(demos)]
    if mix == "downloading":
        return [_as_download(d, i) if d.name not in _STILL_SEEDING else d for i, d in enumerate(demos)]
    return demos


#: What stays unfinished on the seedbox, and what stays complete on the downloading box.
_STILL_DOWNLOADING = frozenset(
    {"debian-9.5.0-amd64-netinst.iso", "[eztv] Show.S01E03 720p", "Tears of Steel (2012) [UHD]"}
)
_STILL_SEEDING = frozenset({"ubuntu-18.04.1-desktop-amd64.iso", "Sintel (2010) 4K"})
_DOWNLOAD_STATES = {"dl": "seed", "forcedDL": "forcedUP", "pausedDL": "pausedUP", "meta": "seed"}
_SEED_STATES = {"seed": "dl", "forcedUP": "forcedDL", "pausedUP": "pausedDL", "check": "check"}


def _as_seed(demo: Demo, index: int) -> Demo:
    """A finished copy of `demo`, seeding to a swarm that wants it."""
    if demo.state not in _DOWNLOAD_STATES:
        return demo
    seeds, leechers = demo.swarm
    return replace(
        demo,
        state=_DOWNLOAD_STATES[demo.state],
        progress=1.0,
        swarm=(seeds, max(leechers, 3 + index % 7)),
        ul=150_000 + (index * 97_000) % 900_000,
        ratio=round(0.4 + (index * 37 % 50) / 10, 2),
        age_days=max(demo.age_days, 5 + index),
    )


def _as_download(demo: Demo, index: int) -> Demo:
    """An unfinished copy of `demo`, downloading from a swarm that has it."""
    if demo.state not in _SEED_STATES:
        return demo
    seeds, leechers = demo.swarm
    return replace(
        demo,
        state=_SEED_STATES[demo.state],
        progress=0.05 + (index * 0.137) % 0.9,
        swarm=(max(seeds, 4 + index % 9), leechers),
        dl=400_000 + (index * 531_000) % (6 * MiB),
        ratio=0.0,
        age_days=min(demo.age_days, 0.5 + index / 10),
    )


def _mixed_set() -> list[Demo]:
    rng = random.Random("qbtui-demo")
    return [
        Demo(
            "ubuntu-18.04.1-desktop-amd64.iso",
            "linux",
            1_953_349_632,
            "seed",
            1.0,
            swarm=(412, 38),
            ul=850_000,
            ratio=3.41,
            age_days=41,
            trackers=UBUNTU,
            comment="Ubuntu CD releases.ubuntu.com",
            created_by="mktorrent 1.1",
        ),
        Demo(
            "debian-9.5.0-amd64-netinst.iso",
            "linux",
            306_184_192,
            "dl",
            0.37,
            swarm=(183, 11),
            dl=5 * MiB,
            age_days=0.02,
            trackers=DEBIAN,
            comment='"Debian CD from cdimage.debian.org"',
            created_by="mktorrent 1.0",
        ),
        Demo(
            "[eztv] Show.S01E01 720p",
            "tv",
            0,
            "seed",
            1.0,
            files=(
                ("Show.S01E01.720p.HDTV.x264-KILLERS.mkv", 1_137_418_240),
                ("Sample/sample.mkv", 24_117_248),
                ("Show.S01E01.720p.HDTV.x264-KILLERS.nfo", 2_381),
            ),
            swarm=(96, 14),
            ul=420_000,
            ratio=1.12,
            age_days=6,
            trackers=EZTV,
            tags=("tv",),
        ),
        Demo(
            "[eztv] Show.S01E02 720p",
            "tv",
            0,
            "dl",
            0.82,
            files=(
                ("Show.S01E02.720p.HDTV.x264-KILLERS.mkv", 1_204_027_392),
                ("Sample/sample.mkv", 21_495_808),
                ("Show.S01E02.720p.HDTV.x264-KILLERS.nfo", 2_402),
            ),
            swarm=(64, 40),
            dl=3 * MiB,
            age_days=0.4,
            trackers=EZTV,
            options={"seq": True, "flp": True},
        ),
        Demo(
            "[eztv] Show.S01E03 720p",
            "tv",
            0,
            "meta",
            swarm=(31, 52),
            dl=3 * MiB,
            age_days=0.001,
            trackers=EZTV,
        ),
        Demo(
            "Big Buck Bunny (2008) [1080p]",
            "movies",
            0,
            "seed",
            1.0,
            files=(
                ("big_buck_bunny_1080p_h264.mov", 725_106_140),
                ("big_buck_bunny_1080p_stereo.ogg", 185_432_914),
                ("README.txt", 1_024),
            ),
            swarm=(57, 0),
            ul=0,
            ratio=0.74,
            age_days=120,
            trackers=ARCHIVE,
            url_seeds=("https://download.blender.org/peach/bigbuckbunny_movies/",),
            comment="Creative Commons Attribution 3.0",
            created_by="Transmission/2.92",
        ),
        Demo(
            "Sintel (2010) 4K",
            "movies",
            6_442_450_944,
            "pausedUP",
            1.0,
            swarm=(22, 3),
            ratio=2.05,
            age_days=88,
            trackers=ARCHIVE,
            comment="Durian Open Movie Project",
        ),
        Demo(
            "Tears of Steel (2012) [UHD]",
            "movies",
            0,
            "forcedDL",
            0.55,
            files=(
                ("tears_of_steel_4k.mov", 6_174_015_488),
                ("subtitles/tos_en.srt", 3_482),
                ("subtitles/tos_de.srt", 3_611),
                ("subtitles/tos_nl.srt", 3_390),
            ),
            swarm=(18, 9),
            dl=8 * MiB,
            age_days=0.2,
            trackers=ARCHIVE,
        ),
        Demo(
            "Cosmos Laundromat – First Cycle (2015)",
            "movies",
            2_684_354_560,
            "dl",
            0.11,
            swarm=(9, 6),
            dl=900_000,
            age_days=0.1,
            trackers=ARCHIVE,
        ),
        Demo(
            "Пётр и Волк — Прокофьев (FLAC)",
            "music",
            0,
            "seed",
            1.0,
            files=_tracks(
                "",
                ("Вступление", "Пётр", "Птичка", "Утка", "Кошка", "Дедушка", "Волк", "Охотники"),
                "flac",
                rng,
                18 * MiB,
                60 * MiB,
            ),
            swarm=(12, 4),
            ul=220_000,
            ratio=0.58,
            age_days=15,
        ),
        Demo(
            "東京の夜景 4K 素材集",
            "",
            9_126_805_504,
            "dl",
            0.05,
            swarm=(0, 3),
            dl=1_500_000,
            age_days=2,
            trackers=("udp://tracker.coppersurfer.tk:6969/announce",),
        ),
        Demo(
            "The Art of Computer Programming Vol. 1–4A [PDF]",
            "books",
            0,
            "pausedDL",
            0.64,
            files=(
                ("TAOCP Vol 1 - Fundamental Algorithms.pdf", 24_893_112),
                ("TAOCP Vol 2 - Seminumerical Algorithms.pdf", 31_022_593),
                ("TAOCP Vol 3 - Sorting and Searching.pdf", 27_310_228),
                ("TAOCP Vol 4A - Combinatorial Algorithms.pdf", 38_012_655),
            ),
            swarm=(7, 2),
            age_days=9,
        ),
        Demo(
            "wikipedia_en_all_novid_2018-10.zim",
            "data",
            84_825_808_896,
            "dl",
            0.21,
            swarm=(44, 70),
            dl=6 * MiB,
            age_days=1.5,
            trackers=("http://tracker.kiwix.org:6969/announce", *PUBLIC[:1]),
            options={"dl_limit": 2 * MiB},
            url_seeds=("https://download.kiwix.org/zim/wikipedia/",),
        ),
        Demo(
            "Grateful Dead 1977-05-08 Barton Hall (SBD FLAC)",
            "music",
            0,
            "seed",
            1.0,
            files=_tracks(
                "gd77-05-08d1t",
                (
                    "Minglewood Blues",
                    "Loser",
                    "El Paso",
                    "They Love Each Other",
                    "Jack Straw",
                    "Deal",
                    "Lazy Lightning",
                    "Supplication",
                ),
                "flac",
                rng,
                25 * MiB,
                90 * MiB,
            ),
            swarm=(8, 6),
            ul=500_000,
            ratio=6.2,
            age_days=230,
            trackers=ARCHIVE,
            options={"super": True},
        ),
        Demo(
            "Project Gutenberg DVD (2010-04)",
            "books",
            8_736_403_456,
            "seed",
            1.0,
            swarm=(31, 0),
            ul=0,
            ratio=1.9,
            age_days=400,
            trackers=ARCHIVE,
            tags=("archive", "keep"),
        ),
        Demo(
            "planet-181105.osm.pbf",
            "data",
            45_936_844_800,
            "check",
            1.0,
            swarm=(25, 4),
            ul=600_000,
            ratio=0.31,
            age_days=20,
            trackers=("http://tracker.openstreetmap.org:6969/announce",),
        ),
        Demo(
            "Night of the Living Dead (1968) [Public Domain] 720p",
            "movies",
            1_340_080_128,
            "error",
            0.93,
            swarm=(14, 2),
            age_days=30,
            trackers=ARCHIVE,
        ),
        Demo(
            "Jazz Standards Collection (1950s) [MP3 320]",
            "music",
            0,
            "missing",
            1.0,
            files=_tracks(
                "",
                (
                    "Autumn Leaves",
                    "Blue Monk",
                    "So What",
                    "Take Five",
                    "Round Midnight",
                    "All the Things You Are",
                ),
                "mp3",
                rng,
                8 * MiB,
                16 * MiB,
            ),
            swarm=(5, 1),
            ratio=0.2,
            age_days=300,
        ),
        Demo(
            "kali-linux-2018.4-amd64.iso",
            "linux",
            3_221_225_472,
            "forcedUP",
            1.0,
            swarm=(210, 25),
            ul=1_200_000,
            ratio=0.93,
            age_days=12,
            trackers=PUBLIC,
        ),
        Demo(
            "tails-amd64-3.10.1.iso",
            "linux",
            1_205_862_400,
            "dl",
            0.0,
            swarm=(0, 0),
            age_days=0.05,
            trackers=("http://tracker.tails.invalid:80/announce",),
            private=True,
        ),
        Demo(
            "FreeBSD-11.2-RELEASE-amd64-dvd1.iso",
            "linux",
            3_348_529_152,
            "pausedDL",
            0.0,
            swarm=(40, 3),
            age_days=4,
            trackers=PUBLIC,
        ),
        Demo(
            "Blender 2.79b demo files",
            "",
            0,
            "pausedUP",
            1.0,
            files=(
                ("classroom/classroom.blend", 78_643_200),
                ("barbershop/barbershop_interior.blend", 392_167_424),
                ("fishy_cat/fishy_cat.blend", 53_477_376),
                ("README.txt", 512),
            ),
            swarm=(6, 1),
            ratio=0.12,
            age_days=60,
            trackers=ARCHIVE,
        ),
        Demo(
            "🎵 Chill Mix 2018 [MP3]",
            "music",
            0,
            "dl",
            0.46,
            files=_tracks(
                "",
                (
                    "Sunrise",
                    "Low Tide",
                    "Night Drive",
                    "Paper Planes",
                    "Slow Motion",
                    "Afterglow",
                    "Neon",
                    "Drift",
                    "Home",
                ),
                "mp3",
                rng,
                7 * MiB,
                14 * MiB,
            ),
            swarm=(15, 9),
            dl=1_200_000,
            age_days=0.3,
        ),
        Demo(
            "linuxmint-19-cinnamon-64bit.iso",
            "linux",
            1_975_844_864,
            "seed",
            1.0,
            swarm=(160, 9),
            ul=380_000,
            ratio=1.6,
            age_days=70,
            trackers=PUBLIC,
            options={"auto_tmm": True},
        ),
        Demo(
            "LibreOffice_6.1.3_Linux_x86-64_deb.tar.gz",
            "",
            187_727_872,
            "pausedUP",
            1.0,
            swarm=(40, 2),
            ratio=0.05,
            age_days=25,
            options={"up_limit": 51_200},
        ),
    ]


CATEGORIES = ("archive", "books", "data", "linux", "movies", "music", "tv")


def demo_hash(name: str) -> str:
    return hashlib.sha1(f"qbtui-demo:{name}".encode()).hexdigest()


def _trackers(urls: tuple[str, ...]) -> list[SimTracker]:
    return [SimTracker(url, "dead" if url in DEAD else "flaky" if url in FLAKY else "ok") for url in urls]


def _metadata(demo: Demo, start: int) -> Metadata:
    files = list(demo.files) if demo.files else [(demo.name, demo.size)]
    created = start - int((demo.age_days + 2) * DAY) - len(demo.name) * 977
    return make_metadata(
        demo.name,
        files,
        multi=bool(demo.files),
        comment=demo.comment,
        created_by=demo.created_by,
        creation_date=created,
        private=demo.private,
    )


def _install_demo(eng: Engine, demo: Demo, start: int, index: int) -> None:
    info_hash = demo_hash(demo.name)
    added = start - int(demo.age_days * DAY) - index * 61
    save_path = (
        eng.category_save_path(demo.category) if demo.options.get("auto_tmm") else eng.default_save_path
    )
    meta = None if demo.state == "meta" else _metadata(demo, start)
    t = SimTorrent(
        info_hash,
        demo.name,
        added,
        save_path,
        meta,
        trackers=_trackers(demo.trackers),
        url_seeds=list(demo.url_seeds),
        category=demo.category,
        tags=demo.tags,
    )
    t.seq_dl = bool(demo.options.get("seq"))
    t.first_last = bool(demo.options.get("flp"))
    t.super_seeding = bool(demo.options.get("super"))
    t.auto_tmm = bool(demo.options.get("auto_tmm"))
    t.dl_limit = int(demo.options.get("dl_limit", -1))  # type: ignore[call-overload]
    t.up_limit = int(demo.options.get("up_limit", -1))  # type: ignore[call-overload]
    t.swarm_seeds, t.swarm_leechers = demo.swarm
    t.dl_capacity, t.ul_capacity = demo.dl, demo.ul
    if meta is None:
        t.metadata_at = start + 20
    else:
        t.fill(demo.progress)
        total = meta.total_size
        t.downloaded = t.done_bytes if demo.state != "missing" else total
        t.uploaded = int(demo.ratio * total)
        if t.is_seed:
            t.completion_on = added + int(total / max(demo.dl, 1)) + 60
            t.seen_complete = start - index * 37
        t.active_base = int(demo.age_days * DAY * 0.8) + index * 13
        t.seeding_base = max(0, t.active_base - int(total / max(demo.dl, 1))) if t.is_seed else 0
        t.published_active = t.active_base
        if t.downloaded or t.uploaded:
            t.last_activity_at = start - index * 53 - 40
    paused = demo.state in ("pausedDL", "pausedUP", "error", "missing")
    if demo.state == "error":
        t.error = "No space left on device"
    if demo.state == "missing":
        t.missing_files = True
    eng.install(t, paused=paused, bulk=True)
    if demo.state in ("forcedDL", "forcedUP"):
        t.forced = True
    if demo.state == "check":
        eng.recheck(t)
        t.check_done = t.check_total // 3
    if demo.state == "error":
        eng.add_log(f"An I/O error occurred, '{demo.name}' paused. No space left on device", 8)


# -- generated torrents (beyond the demo set) ----------------------------------------------------------

SHOWS = (
    "Night.Garden",
    "The.Long.Coast",
    "Harbour.Lights",
    "Signal.Lost",
    "Quiet.Orbit",
    "Paper.Towns",
    "Iron.Meadow",
    "Glass.Harbor",
    "Northern.Line",
    "Small.Hours",
)
GROUPS = ("KILLERS", "SVA", "AVS", "TBS", "DIMENSION", "NTb", "ION10")
DISTROS = ("ubuntu", "debian", "fedora", "opensuse", "archlinux", "manjaro", "elementaryos", "centos")
ARTISTS = ("Nina Blue", "The Lanterns", "Kasimir Orchestra", "Sól & Mäne", "Hiroshi Tanaka Trio")


def generated_name(index: int, rng: random.Random) -> str:
    kind = index % 5
    if kind == 0:
        return (
            f"{rng.choice(SHOWS)}.S{rng.randrange(1, 9):02d}E{rng.randrange(1, 24):02d}."
            f"{rng.choice(('720p', '1080p', '2160p'))}.WEB.x264-{rng.choice(GROUPS)} [{index}]"
        )
    if kind == 1:
        return f"{rng.choice(DISTROS)}-{rng.randrange(7, 30)}.{rng.randrange(0, 12)}-amd64-{index}.iso"
    if kind == 2:
        return f"{rng.choice(ARTISTS)} - Album {index} ({rng.randrange(1960, 2019)}) [FLAC]"
    if kind == 3:
        return f"dataset_{index:05d}.tar.zst"
    return f"Lecture Series {index} – Part {rng.randrange(1, 12)}"


def _install_generated(eng: Engine, index: int, start: int, active_fraction: float) -> None:
    rng = random.Random(f"{eng.config.seed}:gen:{index}")
    name = generated_name(index, rng)
    info_hash = hashlib.sha1(f"qbtui-gen:{eng.config.seed}:{index}".encode()).hexdigest()
    roll = rng.random()
    active = roll < active_fraction
    downloading = active and roll < active_fraction / 2
    # Active downloads are large, so a benchmark's churn is not dominated by completions (each
    # completion shifts the queue position of every torrent behind it).
    size = rng.randrange(20 * GiB, 120 * GiB) if downloading else int(rng.lognormvariate(21.5, 1.3)) + 1
    meta = make_metadata(
        name, [(name, size)], created_by="qBittorrent v4.0.4", creation_date=start - 400 * DAY
    )
    category = rng.choice((*CATEGORIES, ""))
    added = start - rng.randrange(DAY, 300 * DAY)
    t = SimTorrent(
        info_hash,
        name,
        added,
        eng.default_save_path,
        meta,
        trackers=[SimTracker(rng.choice(PUBLIC[:1] + ARCHIVE))],
        category=category,
    )
    t.dl_capacity = int(rng.uniform(200_000, 4 * MiB))
    t.ul_capacity = int(rng.uniform(50_000, 800_000))
    t.lively = active_fraction
    sleep_until = None
    if downloading:
        t.fill(rng.uniform(0.0, 0.9), in_order=False)
        t.swarm_seeds, t.swarm_leechers = rng.randrange(3, 60), rng.randrange(0, 20)
        paused = False
    elif active:
        t.fill(1.0)
        t.swarm_seeds, t.swarm_leechers = rng.randrange(5, 60), rng.randrange(2, 12)
        paused = False
    else:
        # Idle: seeding with nobody to serve, or paused; they sleep until their next announce.
        complete = rng.random() < 0.8
        t.fill(1.0 if complete else rng.uniform(0.0, 0.95), in_order=False)
        paused = rng.random() < 0.4
        t.swarm_seeds, t.swarm_leechers = rng.randrange(0, 30), 0
        tracker = t.trackers[0]
        tracker.status, tracker.num_peers = WORKING, t.swarm_seeds
        tracker.next_announce = start + rng.randrange(1, 1800)
        t.scrape_seeds, t.scrape_leechers = t.swarm_seeds, 0
        t.current_tracker = tracker.url
        sleep_until = tracker.next_announce
    t.downloaded = t.done_bytes
    t.uploaded = int(t.done_bytes * rng.uniform(0.0, 3.0))
    t.active_base = t.published_active = rng.randrange(3600, 200 * DAY)
    t.last_activity_at = start - rng.randrange(60, 30 * DAY)
    if t.is_seed:
        t.completion_on = added + rng.randrange(600, 3 * DAY)
        t.seen_complete = start - rng.randrange(0, DAY)
    eng.install(t, paused=paused, bulk=True, sleep_until=sleep_until)
    if sleep_until is not None and not paused:
        t.trackers[0].status = WORKING


def populate(eng: Engine, count: int, start: int) -> None:
    """Fill a fresh engine with `count` torrents as of time `start`."""
    demos = demo_set(eng.config.demo_mix)[:count]
    if count:
        eng.categories.update(CATEGORIES)
    for index, demo in enumerate(demos):
        _install_demo(eng, demo, start, index)
    for index in range(len(demos), count):
        _install_generated(eng, index, start, eng.config.active_fraction)
    if count:
        # A busy client has blocked somebody already.
        eng.log.add_peer("185.21.216.143", True, "due to IP filter.", eng.time * 1000 + 912)
    eng.finish_bulk()


def startup_log(eng: Engine) -> None:
    """What 4.0.4 logs while starting (compare query_getLog.txt)."""
    port = eng.prefs.get("listen_port", 6881)
    on = {True: "ON", False: "OFF"}
    lines = [
        ("qBittorrent v4.0.4 started", 1),
        (f"qBittorrent is trying to listen on any interface port: {port}", 2),
        ("Peer ID: -qB4040-", 1),
        ("HTTP User-Agent is 'qBittorrent/4.0.4'", 1),
        (f"DHT support [{on[bool(eng.prefs.get('dht'))]}]", 2),
        (f"Local Peer Discovery support [{on[bool(eng.prefs.get('lsd'))]}]", 2),
        (f"PeX support [{on[bool(eng.prefs.get('pex'))]}]", 2),
        ("Anonymous mode [OFF]", 2),
        ("Encryption support [ON]", 2),
        ("Embedded Tracker [OFF]", 2),
        ("Couldn't load GeoIP database. Reason: No such file or directory", 4),
        (f"Web UI: Now listening on IP: *, port: {eng.prefs.get('web_ui_port', 8080)}", 1),
        (f"qBittorrent is successfully listening on interface :: port: TCP/{port}", 2),
        (f"qBittorrent is successfully listening on interface 0.0.0.0 port: TCP/{port}", 2),
        (f"qBittorrent is successfully listening on interface 0.0.0.0 port: UDP/{port}", 2),
        ("External IP: 203.0.113.47", 2),
    ]
    base = eng.time * 1000 + 764
    for offset, (message, level) in enumerate(lines):
        eng.log.add(message, level, base + offset * 3)


# -- invented metadata for magnets and URLs ----------------------------------------------------------

_VIDEO = re.compile(r"(720p|1080p|2160p|s\d\de\d\d|x264|x265|hdtv|web-?dl|\.mkv|\.mp4)", re.IGNORECASE)
_AUDIO = re.compile(r"(flac|mp3|album|\.ogg)", re.IGNORECASE)


def invent_metadata(info_hash: str, name: str, seed: int) -> Metadata:
    """Files for a torrent known only by name (a magnet's dn, a URL's file name)."""
    rng = random.Random(f"{seed}:{info_hash}:meta")
    base = name.strip() or info_hash
    if _VIDEO.search(base):
        stem = re.sub(r"[\[\]]", "", base).strip().replace(" ", ".")
        files = [
            (f"{stem}.mkv", rng.randrange(300 * MiB, 2600 * MiB)),
            (f"{stem}.nfo", rng.randrange(900, 4000)),
        ]
        return make_metadata(base, files, created_by="mktorrent 1.1")
    if _AUDIO.search(base):
        count = rng.randrange(8, 15)
        files = [
            (f"{i:02d} - Track {i}.flac", rng.randrange(15 * MiB, 60 * MiB)) for i in range(1, count + 1)
        ]
        return make_metadata(base, files, created_by="qBittorrent v4.0.4")
    return make_metadata(base, [(base, rng.randrange(5 * MiB, 4 * GiB))], created_by="qBittorrent v4.0.4")


def name_from_url(url: str) -> str:
    parts = urlsplit(url)
    leaf = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    leaf = leaf[: -len(".torrent")] if leaf.lower().endswith(".torrent") else leaf
    return leaf or parts.hostname or url
