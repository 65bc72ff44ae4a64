"""End to end: `python -m qbtui` against the legacy simulator and against real qbittorrent-nox servers
(4.5.2, 5.1.0, 5.3.0).

Every test runs against both servers (the `server` fixture); the password always travels in the
QBTUI_PASSWORD environment variable of the subprocess, never on its command line.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qbtui.util.torrentfile import TorrentBuilder
from tests.cli.conftest import Server, ok
from tests.cli.helpers import assert_one_error_line, run_qbtui

HASH_1 = "1f" * 20
HASH_2 = "2e" * 20
MAGNET_1 = f"magnet:?xt=urn:btih:{HASH_1}&dn=qbtui%20one"
MAGNET_2 = f"magnet:?xt=urn:btih:{HASH_2}&dn=qbtui%20two"
PAUSED = {"pausedDL", "pausedUP", "stoppedDL", "stoppedUP"}


def wait_for(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Poll until `check()` is truthy: qBittorrent applies some commands asynchronously."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def torrents(server: Server) -> dict[str, dict[str, Any]]:
    return {t["hash"]: t for t in server.json("list")}


def add_magnets(server: Server, *magnets: str) -> None:
    ok(server.run("add", *magnets, "--paused"))
    wanted = {m.split("btih:")[1].split("&")[0] for m in magnets}
    assert wait_for(lambda: wanted <= set(torrents(server))), torrents(server)


def test_version(server: Server) -> None:
    data = server.json("version")
    assert data["generation"] == ("legacy" if server.kind == "sim" else "v2")
    assert data["app_version"].startswith("v")
    text = ok(server.run("version")).stdout
    assert "qBittorrent:" in text and data["api_version"] in text


def test_add_magnet_then_list_as_table_and_json(server: Server) -> None:
    add_magnets(server, MAGNET_1)
    listed = torrents(server)[HASH_1]
    assert listed["state"] in PAUSED | {"metaDL", "unknown"} or listed["state_raw"] in PAUSED
    table = ok(server.run("list")).stdout.splitlines()
    assert table[0].split()[:2] == ["HASH", "NAME"]
    assert any(line.startswith(HASH_1[:8]) for line in table[1:])
    only = ok(server.run("list", "--columns", "fullhash,state", HASH_1[:10])).stdout.splitlines()
    assert len(only) == 2 and only[1].startswith(HASH_1)


def test_add_torrent_file_then_inspect(server: Server, tmp_path: Path) -> None:
    payload = tmp_path / "qbtui-sample"
    payload.mkdir()
    (payload / "a.bin").write_bytes(b"a" * 70000)
    (payload / "b.txt").write_bytes(b"b" * 1000)
    torrent = tmp_path / "sample.torrent"
    torrent.write_bytes(TorrentBuilder(payload, trackers=["http://127.0.0.1:9/announce"]).build())
    added = server.json("add", str(torrent), "--paused")
    info_hash = added["files"][0]["hash"]
    assert added["ok"] is True and added["files"][0]["name"] == "qbtui-sample"
    assert wait_for(lambda: info_hash in torrents(server))
    files = wait_for(lambda: server.json("files", info_hash[:12]))
    assert sorted(f["name"].split("/")[-1] for f in files) == ["a.bin", "b.txt"]
    ok(server.run("file-prio", info_hash[:12], "0", "skip"))
    skipped = wait_for(lambda: [f for f in server.json("files", info_hash) if f["priority"] == 0])
    assert len(skipped) == 1
    show = ok(server.run("show", info_hash[:12])).stdout
    assert "qbtui-sample" in show and "save path:" in show
    assert server.json("pieces", info_hash)["pieces"] == 5
    assert ok(server.run("trackers", info_hash)).returncode == 0


def test_invalid_torrent_file_fails_locally(server: Server, tmp_path: Path) -> None:
    bad = tmp_path / "bad.torrent"
    bad.write_bytes(b"<html>not a torrent</html>")
    result = server.run("add", str(bad))
    assert result.returncode == 2
    assert_one_error_line(result, "bad.torrent", "not a .torrent file")


def test_pause_and_resume_one_and_all(server: Server) -> None:
    add_magnets(server, MAGNET_1, MAGNET_2)
    ok(server.run("resume", "--all"))
    assert wait_for(lambda: not any(t["state_raw"] in PAUSED for t in torrents(server).values()))
    said = ok(server.run("pause", HASH_1[:6])).stdout
    # qBittorrent 5 (WebAPI 2.11) says stop where 4.x says pause, and so does the CLI.
    api = tuple(int(part) for part in server.json("version")["api_version"].split("."))
    five = server.kind == "nox" and api >= (2, 11)
    assert said.startswith("stopped " if five else "paused "), said
    assert wait_for(lambda: torrents(server)[HASH_1]["state_raw"] in PAUSED)
    assert torrents(server)[HASH_2]["state_raw"] not in PAUSED
    ok(server.run("pause", "--all"))
    assert wait_for(lambda: all(t["state_raw"] in PAUSED for t in torrents(server).values()))
    said = ok(server.run("start", HASH_2)).stdout  # the 5.x name works with every server
    assert said.startswith("started " if five else "resumed "), said
    assert wait_for(lambda: torrents(server)[HASH_2]["state_raw"] not in PAUSED)
    assert torrents(server)[HASH_1]["state_raw"] in PAUSED


def test_delete_asks_and_deletes_with_yes(server: Server) -> None:
    add_magnets(server, MAGNET_1, MAGNET_2)
    refused = server.run("delete", HASH_1, "--with-data")
    assert refused.returncode == 2
    assert_one_error_line(refused, "--yes")
    assert HASH_1 in torrents(server)
    ok(server.run("delete", HASH_1, "--with-data", "--yes"))
    assert wait_for(lambda: HASH_1 not in torrents(server))
    assert HASH_2 in torrents(server)
    ok(server.run("delete", "--all", "--yes"))
    assert wait_for(lambda: not torrents(server))


def test_unknown_torrent(server: Server) -> None:
    result = server.run("pause", "ee" * 20)
    assert result.returncode == 1
    assert_one_error_line(result, "no torrent")


def test_categories(server: Server) -> None:
    add_magnets(server, MAGNET_1)
    ok(server.run("category", "add", "qbtui-films"))
    names = [c["name"] for c in server.json("category", "list")]
    assert "qbtui-films" in names
    ok(server.run("category", "set", HASH_1[:8], "qbtui-films"))
    assert wait_for(lambda: torrents(server)[HASH_1]["category"] == "qbtui-films")
    listed = ok(server.run("list", "--category", "qbtui-films", "--columns", "fullhash")).stdout
    assert HASH_1 in listed
    ok(server.run("category", "set", HASH_1, ""))
    assert wait_for(lambda: torrents(server)[HASH_1]["category"] == "")
    ok(server.run("category", "remove", "qbtui-films"))
    assert "qbtui-films" not in [c["name"] for c in server.json("category", "list")]


def test_tags(server: Server) -> None:
    add_magnets(server, MAGNET_1)
    if server.kind == "sim":
        result = server.run("tags", "create", "x")
        assert result.returncode == 1
        assert_one_error_line(result, "not supported")
        return
    ok(server.run("tags", "create", "qbtui-a", "qbtui-b"))
    assert {"qbtui-a", "qbtui-b"} <= set(server.json("tags", "list"))
    ok(server.run("tags", "add", HASH_1, "qbtui-a,qbtui-b"))
    assert wait_for(lambda: set(torrents(server)[HASH_1]["tags"]) == {"qbtui-a", "qbtui-b"})
    ok(server.run("tags", "remove", "--all", "qbtui-a"))
    assert wait_for(lambda: torrents(server)[HASH_1]["tags"] == ["qbtui-b"])
    ok(server.run("tags", "delete", "qbtui-a", "qbtui-b"))


def test_limits_with_units(server: Server) -> None:
    ok(server.run("limit", "global", "--down", "2.5M", "--up", "800K"))
    assert server.json("limit", "global") == {"download_limit": 2621440, "upload_limit": 819200}
    text = ok(server.run("limit", "global")).stdout
    assert "2.5 MiB/s" in text and "800.0 KiB/s" in text
    ok(server.run("limit", "global", "--down", "inf", "--up", "0"))
    assert server.json("limit", "global") == {"download_limit": None, "upload_limit": None}

    add_magnets(server, MAGNET_1)
    ok(server.run("limit", "torrent", HASH_1, "--down", "1.5MiB", "--up", "300K"))
    limits = server.json("limit", "torrent", "--all")
    assert limits[HASH_1] == {"download_limit": 1572864, "upload_limit": 307200}


def test_bad_units_are_usage_errors(server: Server) -> None:
    result = server.run("limit", "global", "--down", "2.5 furlongs")
    assert result.returncode == 2
    assert_one_error_line(result, "not a rate")


def test_prefs_get_and_set(server: Server) -> None:
    save_path = ok(server.run("prefs", "get", "save_path")).stdout.strip()
    assert save_path
    everything = ok(server.run("prefs", "get")).stdout
    assert "save_path = " in everything
    assert server.password not in everything
    data = server.json("prefs", "get")
    assert server.password not in json.dumps(data)
    assert data.get("web_ui_password") in (None, "********")
    ok(server.run("prefs", "set", "dl_limit=4096"))
    assert server.json("prefs", "get", "dl_limit") == {"dl_limit": 4096}
    ok(server.run("prefs", "set", "dl_limit=0"))
    unknown = server.run("prefs", "set", "no_such_pref=1")
    assert unknown.returncode == 1
    assert_one_error_line(unknown, "no_such_pref")


def test_log(server: Server) -> None:
    entries = server.json("log")
    assert isinstance(entries, list) and entries
    assert {"id", "timestamp", "level", "message"} <= set(entries[0])
    last = entries[-1]["id"]
    assert all(e["id"] > last for e in server.json("log", "--last-id", str(last)))
    text = ok(server.run("log")).stdout
    assert entries[0]["message"][:20] in text
    assert ok(server.run("peerlog")).returncode == 0


def test_transfer_and_alt_speed(server: Server) -> None:
    assert "connection:" in ok(server.run("transfer")).stdout
    before = server.json("alt-speed")["enabled"]
    assert server.json("alt-speed", "toggle")["enabled"] is (not before)
    assert server.json("alt-speed")["enabled"] is (not before)
    ok(server.run("alt-speed", "on" if before else "off"))
    assert server.json("alt-speed")["enabled"] is before


def test_wrong_password_exits_3(server: Server) -> None:
    result = run_qbtui(
        "--url", server.url, "--username", server.username, "list", env={"QBTUI_PASSWORD": "not-the-password"}
    )
    assert result.returncode == 3
    assert result.stdout == ""
    assert_one_error_line(result, "wrong username or password")
    assert "not-the-password" not in result.stderr


def test_wrong_referer_exits_3_naming_the_header(server: Server) -> None:
    result = server.run("--referer", "http://evil.example:1234", "list")
    assert result.returncode == 3
    line = assert_one_error_line(result, "401", "Referer", "--referer")
    assert server.password not in line


def test_password_from_a_command(server: Server, tmp_path: Path) -> None:
    script = tmp_path / "getpw"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' '{server.password}'\n")
    script.chmod(0o700)
    result = run_qbtui(
        "--url", server.url, "--username", server.username, "--password-cmd", str(script), "version"
    )
    ok(result)
    assert server.password not in result.stdout


def test_unsupported_operation_is_exit_1(server: Server) -> None:
    """Legacy servers lack reannounce; v2 has it (so it succeeds there)."""
    add_magnets(server, MAGNET_1)
    result = server.run("reannounce", HASH_1)
    if server.kind == "sim":
        assert result.returncode == 1
        assert_one_error_line(result, "not supported", "4.0.4")
    else:
        ok(result)


# --------------------------------------------------------------------------------------------- one kind only


@pytest.mark.nox
def test_shutdown_with_yes(nox_factory: Any) -> None:
    instance = nox_factory()
    result = run_qbtui(
        "--url", instance.url, "--username", instance.username, "shutdown", "--yes",
        env={"QBTUI_PASSWORD": instance.password},
    )  # fmt: skip
    ok(result)
    assert wait_for(lambda: not instance.running, timeout=30)


def test_demo_runs_commands_against_the_simulator() -> None:
    data = json.loads(ok(run_qbtui("--demo", "--json", "version")).stdout)
    assert data["generation"] == "legacy"
    assert ok(run_qbtui("--demo", "list")).stdout.strip()


def test_the_interface_needs_a_terminal() -> None:
    result = run_qbtui("--demo")
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and "Traceback" not in result.stderr
