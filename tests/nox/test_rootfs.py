"""The Debian root filesystems behind the 5.x servers (tests/support/rootfs.py): a root counts only
when its marker matches and its qbittorrent-nox runs, builds take a lock, and servers run in a mount
namespace of their own, leaving no mount behind."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from tests.support import rootfs
from tests.support.noxfix import NoxPool

pytestmark = pytest.mark.nox


def test_a_root_counts_only_when_marked_and_working(nox_pool: NoxPool, tmp_path: Path) -> None:
    nox_pool.runtimes.get("5.3.0")  # built (or found) as the tests use it
    sid = rootfs.DISTROS["sid"]
    root = rootfs.root_path(sid)
    version = rootfs._healthy(root, sid)
    assert version is not None and version == rootfs.nox_version_in(root)
    # Search plugins run with the server machine's Python: every root has one.
    assert rootfs.python_version_in(root).startswith("3.")
    # Another distribution's marker, no marker, or a marker without a working binary: rebuild.
    assert rootfs._healthy(root, rootfs.DISTROS["trixie"]) is None
    fake = tmp_path / "fake"
    (fake / "usr" / "bin").mkdir(parents=True)
    assert rootfs._healthy(fake, sid) is None
    marker = {"recipe": rootfs.RECIPE, "distro": "sid", "version": version}
    (fake / rootfs.MARKER).write_text(json.dumps(marker))
    assert rootfs._healthy(fake, sid) is None  # nothing runs in it
    rootfs._remove_root(fake)
    assert not fake.exists()


def test_builds_are_serialised_by_a_lock(tmp_path: Path) -> None:
    lock = tmp_path / "sid.lock"
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with rootfs._locked(lock, timeout=5):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(5)
    with pytest.raises(rootfs.RootfsError, match="still locked"), rootfs._locked(lock, timeout=0.5):
        pass
    release.set()
    thread.join()
    with rootfs._locked(lock, timeout=1):
        pass


def test_a_server_leaves_no_mount_behind(nox_pool: NoxPool) -> None:
    instance = nox_pool.shared("5.1.0")
    assert instance.running and instance.version == "5.1.0"
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        mounts = handle.read()
    assert str(rootfs.cache_dir()) not in mounts  # /proc and /tmp are mounted in its namespace only
    assert shutil.which("unshare") is not None
