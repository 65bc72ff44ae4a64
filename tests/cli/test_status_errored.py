"""`qbtui status`'s {errored} counts the torrents in error or missing their files, as the sidebar's
Errored does; it counted only active torrents before, and a torrent in error is never active."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def qbtui(*args: str, state: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QBTUI_STATE_DIR": str(state)}
    return subprocess.run(
        [sys.executable, "-m", "qbtui", "--demo", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False,
    )  # fmt: skip


def test_errored_counts_torrents_in_error_and_missing_files(tmp_path: Path) -> None:
    listed = qbtui("--json", "list", "--filter", "errored", state=tmp_path)
    assert listed.returncode == 0, listed.stderr
    errored = json.loads(listed.stdout)
    states = sorted({t["state"] for t in errored})
    assert len(errored) >= 2 and set(states) <= {"error", "missingFiles"}, states
    line = qbtui("status", "--format", "{errored} errored, {active} active", state=tmp_path)
    assert line.returncode == 0, line.stderr
    assert line.stdout == f"{len(errored)} errored, " + line.stdout.split(", ", 1)[1]
    data = json.loads(qbtui("--json", "status", state=tmp_path).stdout)
    assert data["errored"] == len(errored)
