"""Minimal Debian root filesystems holding the qbittorrent-nox that Debian ships today, built once per
machine and reused: the real 5.x servers of the test suite (the host's own 4.5.2 is the third).

`ensure_rootfs(DISTROS["sid"])` returns a ready root: built with `debootstrap --variant=minbase`, then
`apt-get install --no-install-recommends qbittorrent-nox python3` inside it (python3: qBittorrent runs
its search plugins with the server machine's Python, and no Debian package pulls it in). The roots live
outside any checkout (`$QBTUI_ROOTFS_CACHE`, default /var/cache/qbtui), one directory per distribution
and recipe (`sid-r2`) plus a lock file: concurrent test sessions (or xdist workers) wait for one build
instead of racing. A root whose build was interrupted, or whose qbittorrent-nox or python3 no longer
runs, is noticed by its missing or stale marker and built again.

The recipe is part of the directory's name so that checkouts with an older recipe keep using (and
never delete) their own roots while a newer one builds beside them: deleting a root in place would
pull it from under the servers another test session runs from it.

`python -m tests.support.rootfs` prepares every root (what .ci/run does before the tests).

Servers run from a root through `ChrootRuntime`: `unshare --mount` gives each server a private mount
namespace, in which /proc and the directories the tests share with the server (the temp dir, which
holds every profile, download directory and .torrent the tests make) are bind-mounted at the same
paths, then `chroot` runs qbittorrent-nox. The mounts exist only inside that namespace: they vanish
with the process however it ends, and none is ever visible under the cached root (so deleting a
broken root can never reach through a bind mount into the host).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

CACHE_ENV = "QBTUI_ROOTFS_CACHE"
MIRROR_ENV = "QBTUI_DEBIAN_MIRROR"
DEFAULT_CACHE = Path("/var/cache/qbtui")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
MARKER = ".qbtui-rootfs.json"
#: Bumped when the way a root is made changes, so older roots are rebuilt (beside the old ones).
#: 2: python3 for the search engine.
RECIPE = 2
#: Installed into every root besides qbittorrent-nox.
PACKAGES = ("qbittorrent-nox", "python3")


class RootfsError(RuntimeError):
    """A root filesystem could not be built or does not work; the message says which step failed."""


@dataclass(frozen=True, slots=True)
class Distro:
    """A Debian distribution whose qbittorrent-nox the tests run."""

    name: str  # the suite debootstrap and apt know it by
    #: What it ships today; a different version still runs, and the report header names it.
    expected_version: str
    #: sid's Release file on some mirrors is past its Valid-Until date.
    apt_update_options: tuple[str, ...] = ()


DISTROS: dict[str, Distro] = {
    "trixie": Distro("trixie", "5.1.0"),
    "sid": Distro("sid", "5.3.0", ("-o", "Acquire::Check-Valid-Until=false")),
}


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def mirror() -> str:
    return os.environ.get(MIRROR_ENV) or DEFAULT_MIRROR


def can_chroot() -> str | None:
    """Why servers cannot run from a root here, or None when they can."""
    if os.geteuid() != 0:
        return "running servers from a Debian root filesystem needs root (chroot, mount)"
    for tool in ("unshare", "chroot", "mount"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            return f"{tool} not found (util-linux / coreutils)"
    return None


# --------------------------------------------------------------------------------------------- roots


@dataclass(frozen=True, slots=True)
class Rootfs:
    distro: Distro
    path: Path
    #: What `qbittorrent-nox --version` printed inside it, e.g. "5.3.0".
    version: str


def _run(args: Sequence[str], what: str, timeout: float = 900) -> str:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "LC_ALL": "C"}
    try:
        result = subprocess.run(
            list(args),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RootfsError(f"{what} failed: {exc}") from None
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-25:])
        raise RootfsError(f"{what} failed (exit {result.returncode}):\n{tail}")
    return result.stdout


def nox_version_in(root: Path) -> str:
    """`qbittorrent-nox --version` run inside `root` ("qBittorrent v5.3.0" -> "5.3.0")."""
    out = _run(
        ["chroot", str(root), "qbittorrent-nox", "--version"], f"qbittorrent-nox --version in {root}", 60
    )
    words = out.split()
    if len(words) < 2 or not words[-1].startswith("v"):
        raise RootfsError(f"unexpected qbittorrent-nox --version output in {root}: {out.strip()!r}")
    return words[-1][1:]


def _read_marker(root: Path) -> dict[str, object] | None:
    try:
        data = json.loads((root / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def python_version_in(root: Path) -> str:
    """`python3 --version` run inside `root` ("Python 3.13.5" -> "3.13.5")."""
    out = _run(["chroot", str(root), "python3", "--version"], f"python3 --version in {root}", 60)
    return out.split()[-1] if out.split() else ""


def _healthy(root: Path, distro: Distro) -> str | None:
    """The version of a finished, working root; None when it must be (re)built."""
    marker = _read_marker(root)
    if marker is None or marker.get("recipe") != RECIPE or marker.get("distro") != distro.name:
        return None
    try:
        version = nox_version_in(root)
        python_version_in(root)
    except RootfsError:
        return None
    return version if version == marker.get("version") else None


def root_path(distro: Distro, cache: Path | None = None) -> Path:
    """Where the root of `distro` built by this recipe lives."""
    return (cache or cache_dir()) / f"{distro.name}-r{RECIPE}"


def _mounts_under(path: Path) -> list[str]:
    prefix = str(path.resolve()) + "/"
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        points = [line.split()[4] for line in handle]
    return [point for point in points if point.startswith(prefix)]


def _remove_root(path: Path) -> None:
    """Delete a broken or half-built root, refusing while anything is mounted inside it: rmtree through
    a bind mount would delete the host's files."""
    if not path.exists():
        return
    for point in sorted(_mounts_under(path), reverse=True):
        subprocess.run(["umount", "-l", point], check=False, capture_output=True)
    if leftover := _mounts_under(path):
        raise RootfsError(f"cannot delete {path}: still mounted inside it: {leftover}")
    shutil.rmtree(path)


@contextlib.contextmanager
def _locked(lock_path: Path, timeout: float) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RootfsError(f"{lock_path} still locked after {timeout:.0f} s") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(distro: Distro, target: Path, log: list[str]) -> str:
    """debootstrap + qbittorrent-nox into `target` (a fresh directory); returns the version."""
    debootstrap = shutil.which("debootstrap") or "/usr/sbin/debootstrap"
    if not Path(debootstrap).exists():
        raise RootfsError("debootstrap not found (apt-get install debootstrap)")
    started = time.monotonic()
    _run(
        [debootstrap, "--variant=minbase", distro.name, str(target), mirror()],
        f"debootstrap {distro.name}",
    )
    log.append(f"debootstrap {distro.name}: {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    apt = ["chroot", str(target), "apt-get"]
    _run([*apt, *distro.apt_update_options, "update"], f"apt-get update in the {distro.name} root")
    _run(
        [*apt, "install", "-y", "--no-install-recommends", *PACKAGES],
        f"apt-get install {' '.join(PACKAGES)} in the {distro.name} root",
    )
    _run([*apt, "clean"], "apt-get clean")
    shutil.rmtree(target / "var" / "lib" / "apt" / "lists", ignore_errors=True)
    log.append(f"{' + '.join(PACKAGES)} install: {time.monotonic() - started:.0f} s")
    return nox_version_in(target)


def ensure_rootfs(distro: Distro, cache: Path | None = None, timeout: float = 1200) -> Rootfs:
    """The ready root of `distro`, building it first when missing or broken (under a lock)."""
    if reason := can_chroot():
        raise RootfsError(reason)
    cache = cache or cache_dir()
    root = root_path(distro, cache)
    # Quick path without the lock: a finished root never changes.
    if version := _healthy(root, distro):
        return Rootfs(distro, root, version)
    with _locked(root.with_name(root.name + ".lock"), timeout):
        if version := _healthy(root, distro):  # another process built it while we waited
            return Rootfs(distro, root, version)
        _remove_root(root)
        building = root.with_name(root.name + ".building")
        _remove_root(building)
        log: list[str] = []
        try:
            version = _build(distro, building, log)
            marker = {"recipe": RECIPE, "distro": distro.name, "version": version, "built": time.time()}
            (building / MARKER).write_text(json.dumps(marker), encoding="utf-8")
            building.rename(root)
        except BaseException:
            with contextlib.suppress(RootfsError, OSError):
                _remove_root(building)
            raise
        print(f"built {root} (qbittorrent-nox {version}): " + "; ".join(log), file=sys.stderr)
        return Rootfs(distro, root, version)


# --------------------------------------------------------------------------------------------- running

#: Runs inside the new mount namespace: $1 is the root, then the directories to share, then "--" and
#: the command. Mounts made here are private to the namespace (unshare's default propagation).
_ENTER = """set -e
PATH=/usr/sbin:/usr/bin:/sbin:/bin
root=$1; shift
mount -t proc proc "$root/proc"
while [ "$1" != "--" ]; do
    mkdir -p "$root$1"
    mount --rbind "$1" "$root$1"
    shift
done
shift
exec chroot "$root" "$@"
"""


@dataclass(frozen=True, slots=True)
class ChrootRuntime:
    """How to start qbittorrent-nox inside a root: `command(args)` gives the argv for Popen.

    The process keeps the pid Popen reports (unshare, sh and chroot each exec the next), so signals
    and /proc/<pid> checks reach qbittorrent-nox itself.
    """

    rootfs: Rootfs
    #: Host directories seen at the same path inside the root; the temp dir by default.
    shared: tuple[Path, ...] = ()

    @property
    def version(self) -> str:
        return self.rootfs.version

    def command(self, args: Sequence[str]) -> list[str]:
        shared = self.shared or (Path(tempfile.gettempdir()).resolve(),)
        return [
            shutil.which("unshare") or "/usr/bin/unshare", "--mount", "--propagation", "private", "--",
            "sh", "-c", _ENTER, "qbtui-chroot", str(self.rootfs.path), *map(str, shared), "--",
            "qbittorrent-nox", *args,
        ]  # fmt: skip

    def describe(self) -> str:
        return f"qbittorrent-nox {self.version} ({self.rootfs.distro.name} root at {self.rootfs.path})"


def main() -> int:
    """Prepare every root (.ci/run calls this before the tests)."""
    failed = False
    for distro in DISTROS.values():
        started = time.monotonic()
        try:
            rootfs = ensure_rootfs(distro)
        except RootfsError as exc:
            print(f"{distro.name}: {exc}", file=sys.stderr)
            failed = True
            continue
        print(
            f"{distro.name}: qbittorrent-nox {rootfs.version} at {rootfs.path} "
            f"({time.monotonic() - started:.0f} s)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
