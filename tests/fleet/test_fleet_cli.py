"""The command line over a fleet: `--server all list` with a SERVER column and "server" in --json,
`--server GROUP status` summing the servers with one request per server over kept sessions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from qbtui.settings.config import ServerConfig, save_server
from qbtui.settings.passwords import PasswordSource

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, urls: dict[str, str], groups: str = "") -> Path:
    path = tmp_path / "config.toml"
    for name, url in urls.items():
        save_server(path, ServerConfig(name, url, "admin", PasswordSource(env="FLEET_TEST_PW")))
    if groups:
        path.write_text(path.read_text() + "\n" + groups)
    return path


def qbtui(config: Path, state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QBTUI_")}
    env.update(FLEET_TEST_PW="adminadmin", QBTUI_STATE_DIR=str(state))
    return subprocess.run(
        [sys.executable, "-m", "qbtui", "--config", str(config), *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False,
    )  # fmt: skip


def test_list_over_every_server(sim_server, sim_factory, tmp_path) -> None:
    other = sim_factory(torrent_count=40)
    config = _config(tmp_path, {"alpha": sim_server.url, "beta": other.url})
    shown = qbtui(config, tmp_path, "--server", "all", "list", "--columns", "hash,name")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].split()[:3] == ["SERVER", "HASH", "NAME"]
    servers = [line.split()[0] for line in lines[1:]]
    assert servers.count("alpha") == 25 and servers.count("beta") == 40
    as_json = qbtui(config, tmp_path, "--server", "all", "--json", "list", "--sort", "size", "--reverse")
    items = json.loads(as_json.stdout)
    assert len(items) == 65 and {item["server"] for item in items} == {"alpha", "beta"}
    sizes = [item["size"] for item in items]
    assert sizes == sorted(sizes, reverse=True)
    # One server down: the others are still listed; it is named, and the exit status says so.
    gone = ServerConfig("gone", "http://127.0.0.1:9", "admin", PasswordSource(env="FLEET_TEST_PW"))
    save_server(config, gone)
    partly = qbtui(config, tmp_path, "--server", "all", "--json", "list")
    assert partly.returncode == 1 and "gone:" in partly.stderr
    assert len(json.loads(partly.stdout)) == 65
    # A single server's --json has no "server" (nor "copies"): the output stays what it was.
    single = qbtui(config, tmp_path, "--server", "alpha", "--json", "list")
    assert single.returncode == 0 and all("server" not in item for item in json.loads(single.stdout))
    refused = qbtui(config, tmp_path, "--server", "all", "pause", "--all")
    assert refused.returncode == 2 and "works on one server" in refused.stderr


def test_status_sums_a_group_with_one_request_per_server(sim_server, sim_factory, tmp_path) -> None:
    other = sim_factory(torrent_count=40)
    config = _config(
        tmp_path,
        {"alpha": sim_server.url, "beta": other.url, "gone": "http://127.0.0.1:9"},
        '[groups.pair]\nservers = ["alpha", "beta"]\n\n[groups.three]\nservers = ["alpha", "beta", "gone"]\n',
    )
    state = tmp_path / "state"
    first = qbtui(config, state, "--server", "pair", "status")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().endswith("active 2/2 servers")
    assert (state / "status-session-alpha.json").exists() and (state / "status-session-beta.json").exists()
    log = tmp_path / "debug.log"
    second = qbtui(config, state, "--debug-log", str(log), "--server", "pair", "--json", "status")
    assert second.returncode == 0, second.stderr
    requests = [line for line in log.read_text().splitlines() if " GET " in line or " POST " in line]
    assert not [line for line in requests if "login" in line], "a kept session logged in again"
    assert len([line for line in requests if "filter=active" in line]) == 2  # one per server
    data = json.loads(second.stdout)
    per = data["per_server"]
    assert data["active"] == per["alpha"]["active"] + per["beta"]["active"]
    assert data["up_bytes"] == per["alpha"]["up_bytes"] + per["beta"]["up_bytes"]
    down = qbtui(config, state, "--server", "three", "status", "--format", "{active} {servers}")
    assert down.returncode == 0 and down.stdout.strip().endswith("2/3 servers (gone down)")
