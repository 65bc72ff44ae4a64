"""Every command, parsed and run in-process against a mocked API: the right call with the right values."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from qbtui.api import ALL
from qbtui.api.models import AddOptions, FilePriority, ShareLimitAction
from tests.cli.conftest import Result
from tests.cli.helpers import HASH_A, HASH_B, HASH_C, SECRET, FakeServer

MAGNET = "magnet:?xt=urn:btih:" + "12" * 20

#: (argv, API method, positional args, keyword args)
MUTATIONS: list[tuple[list[str], str, tuple[Any, ...], dict[str, Any]]] = [
    (["pause", "aa"], "pause", ([HASH_A],), {}),
    (["pause", "--all"], "pause", (ALL,), {}),
    (["resume", "aa", "cd"], "resume", ([HASH_A, HASH_C],), {}),
    (["resume", HASH_B, "ab"], "resume", ([HASH_B],), {}),  # the same torrent twice is sent once
    (["recheck", "--all"], "recheck", (ALL,), {}),
    (["reannounce", "ab"], "reannounce", ([HASH_B],), {}),
    (["sequential", "aa"], "toggle_sequential", ([HASH_A],), {}),
    (["first-last", "--all"], "toggle_first_last_piece", (ALL,), {}),
    (["delete", "aa"], "delete", ([HASH_A],), {"delete_files": False}),
    (["rm", "aa", "--with-data", "--yes"], "delete", ([HASH_A],), {"delete_files": True}),
    (["delete", "--all", "-y"], "delete", (ALL,), {"delete_files": False}),
    (["queue", "up", "aa"], "move_in_queue", ([HASH_A], "increase"), {}),
    (["queue", "down", "aa"], "move_in_queue", ([HASH_A], "decrease"), {}),
    (["queue", "top", "--all"], "move_in_queue", (ALL, "top"), {}),
    (["queue", "bottom", "cd"], "move_in_queue", ([HASH_C], "bottom"), {}),
    (["force-start", "aa", "on"], "set_force_start", ([HASH_A], True), {}),
    (["super-seeding", "--all", "off"], "set_super_seeding", (ALL, False), {}),
    (["auto-tmm", "aa", "cd", "on"], "set_auto_management", ([HASH_A, HASH_C], True), {}),
    (["location", "aa", "cd", "/srv/x"], "set_location", ([HASH_A, HASH_C], "/srv/x"), {}),
    (["location", "--all", "/srv/y"], "set_location", (ALL, "/srv/y"), {}),
    (["rename", "aa", "New name"], "rename", (HASH_A, "New name"), {}),
    (["rename-file", "aa", "d/a.bin", "d/b.bin"], "rename_file", (HASH_A, "d/a.bin", "d/b.bin"), {}),
    (["rename-folder", "aa", "d", "e"], "rename_folder", (HASH_A, "d", "e"), {}),
    (["file-prio", "aa", "0,2-3", "high"], "set_file_priority", (HASH_A, [0, 2, 3], FilePriority.HIGH), {}),
    (
        ["file-prio", "aa", "all", "skip"],
        "set_file_priority",
        (HASH_A, [0, 1, 2, 3, 4], FilePriority.SKIP),
        {},
    ),
    (
        ["share-limits", "aa", "--ratio", "2", "--seeding-time", "none"],
        "set_share_limits",
        ([HASH_A], 2.0, -1, -2),
        {"action": None},
    ),
    (
        [
            "share-limits",
            "--all",
            "--ratio",
            "global",
            "--seeding-time",
            "60",
            "--inactive-seeding-time",
            "none",
        ],
        "set_share_limits",
        (ALL, -2.0, 60, -1),
        {"action": None},
    ),
    (
        ["share-limits", "aa", "--ratio", "2", "--seeding-time", "none", "--action", "remove-with-content"],
        "set_share_limits",
        ([HASH_A], 2.0, -1, -2),
        {"action": ShareLimitAction.REMOVE_WITH_CONTENT},
    ),
    (["comment", "aa", "--text", "hello"], "set_comment", ([HASH_A], "hello"), {}),
    (
        ["add-trackers", "aa", "http://t/1", "udp://t:2"],
        "add_trackers",
        (HASH_A, ["http://t/1", "udp://t:2"]),
        {},
    ),
    (
        ["edit-tracker", "aa", "http://o", "http://n"],
        "edit_tracker",
        (HASH_A, "http://o", "http://n"),
        {"tier": None},
    ),
    (
        ["edit-tracker", "aa", "http://o", "--tier", "3"],
        "edit_tracker",
        (HASH_A, "http://o", None),
        {"tier": 3},
    ),
    (["remove-trackers", "aa", "http://o"], "remove_trackers", (HASH_A, ["http://o"]), {}),
    (
        ["add-peers", "aa", "--peer", "1.2.3.4:5", "[::1]:6"],
        "add_peers",
        ([HASH_A], ["1.2.3.4:5", "[::1]:6"]),
        {},
    ),
    (["ban-peers", "1.2.3.4:5", "[::1]:7"], "ban_peers", (["1.2.3.4:5", "[::1]:7"],), {}),
    (["limit", "global", "--down", "2.5M"], "set_global_download_limit", (2621440,), {}),
    (["limit", "global", "--up", "inf"], "set_global_upload_limit", (None,), {}),
    (["limit", "torrent", "aa", "--down", "800K"], "set_torrent_download_limit", ([HASH_A], 819200), {}),
    (["limit", "torrent", "--all", "--up", "1.5MiB"], "set_torrent_upload_limit", (ALL, 1572864), {}),
    (["category", "set", "aa", "linux"], "set_category", ([HASH_A], "linux"), {}),
    (["category", "set", "--all", ""], "set_category", (ALL, ""), {}),
    (["category", "add", "tv", "--save-path", "/tv"], "create_category", ("tv", "/tv"), {}),
    (["category", "create", "tv"], "create_category", ("tv", None), {}),
    (["category", "edit", "tv", "/tv2"], "edit_category", ("tv", "/tv2"), {}),
    (["category", "remove", "tv", "film"], "remove_categories", (["tv", "film"],), {}),
    (["tags", "create", "a", "b"], "create_tags", (["a", "b"],), {}),
    (["tags", "delete", "a"], "delete_tags", (["a"],), {}),
    (["tags", "add", "aa", "cd", "x,y"], "add_tags", ([HASH_A, HASH_C], ["x", "y"]), {}),
    (["tags", "remove", "--all", "x"], "remove_tags", (ALL, ["x"]), {}),
    (
        ["prefs", "set", "dl_limit=5", "save_path=/x"],
        "set_preferences",
        ({"dl_limit": 5, "save_path": "/x"},),
        {},
    ),
    (["prefs", "set", "web_ui_password=new"], "set_preferences", ({"web_ui_password": "new"},), {}),
    (["alt-speed", "toggle"], "toggle_alternative_speed_limits", (), {}),
    (["alt-speed", "on"], "toggle_alternative_speed_limits", (), {}),
    (["shutdown", "--yes"], "shutdown", (), {}),
    (["add", MAGNET], "add", ([MAGNET], [], AddOptions()), {}),
]


@pytest.mark.parametrize(("argv", "method", "args", "kwargs"), MUTATIONS, ids=lambda v: str(v)[:40])
def test_command_calls_api(
    cli: Callable[..., Result],
    fake: FakeServer,
    argv: list[str],
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    result = cli(*argv)
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.strip()
    fake.method(method).assert_awaited_once_with(*args, **kwargs)


@pytest.mark.parametrize(("argv", "method", "args", "kwargs"), MUTATIONS, ids=lambda v: str(v)[:40])
def test_command_json_says_ok(
    cli: Callable[..., Result],
    argv: list[str],
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    result = cli("--json", *argv)
    assert result.code == 0, result.err
    assert json.loads(result.out)["ok"] is True


def test_add_passes_every_option(cli: Callable[..., Result], fake: FakeServer) -> None:
    result = cli(
        "add",
        MAGNET,
        "https://example.com/a.torrent",
        "--save-path=/s",
        "--download-path=/d",
        "--cookie=k=v",
        "--category=c",
        "--tags=a,b",
        "--skip-check",
        "--paused",
        "--no-root-folder",
        "--content-layout=Subfolder",
        "--rename=R",
        "--up-limit=2K",
        "--dl-limit=1M",
        "--sequential",
        "--first-last",
        "--no-auto-tmm",
        "--ratio-limit=1.5",
        "--seeding-time-limit=90",
    )
    assert result.code == 0, result.err
    expected = AddOptions(
        save_path="/s",
        download_path="/d",
        cookie="k=v",
        category="c",
        tags=("a", "b"),
        skip_checking=True,
        paused=True,
        root_folder=False,
        content_layout="Subfolder",
        rename="R",
        up_limit=2048,
        dl_limit=1048576,
        sequential=True,
        first_last_piece=True,
        auto_tmm=False,
        ratio_limit=1.5,
        seeding_time_limit=90,
    )
    fake.method("add").assert_awaited_once_with([MAGNET, "https://example.com/a.torrent"], [], expected)
    assert result.out == "added 2 links\n"


def test_add_uploads_a_parsed_torrent_file(
    cli: Callable[..., Result], fake: FakeServer, tmp_path: Any
) -> None:
    from qbtui.util.torrentfile import TorrentBuilder

    content = tmp_path / "payload.bin"
    content.write_bytes(b"x" * 40000)
    torrent = tmp_path / "payload.torrent"
    torrent.write_bytes(TorrentBuilder(content).build())
    result = cli("--json", "add", str(torrent), MAGNET)
    assert result.code == 0, result.err
    (urls, files, _options), _ = fake.method("add").await_args
    assert urls == [MAGNET]
    assert files[0].filename == "payload.torrent" and files[0].data == torrent.read_bytes()
    answer = json.loads(result.out)
    assert answer["files"][0]["name"] == "payload.bin" and len(answer["files"][0]["hash"]) == 40


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(None, "cannot read"), (b"not bencode", "not a .torrent"), (b"de", "not a .torrent")],
)
def test_add_refuses_a_bad_torrent_file_before_uploading(
    cli: Callable[..., Result], fake: FakeServer, tmp_path: Any, content: bytes | None, fragment: str
) -> None:
    path = tmp_path / "bad.torrent"
    if content is not None:
        path.write_bytes(content)
    result = cli("add", MAGNET, str(path))
    assert result.code == 2
    assert result.err.startswith("qbtui: error: ") and fragment in result.err
    fake.method("add").assert_not_awaited()


# --------------------------------------------------------------------------------------------- reading

READERS: list[list[str]] = [
    ["version"],
    ["info"],
    ["list"],
    ["ls", "--filter", "downloading", "--category", "", "--tag", "x", "--sort", "name", "--reverse"],
    ["list", "--limit", "2", "--offset", "-1", "aa"],
    ["show", "aa"],
    ["properties", "aa"],
    ["trackers", "aa"],
    ["webseeds", "aa"],
    ["files", "aa"],
    ["pieces", "aa"],
    ["pieces", "aa", "--hashes"],
    ["peers", "aa"],
    ["transfer"],
    ["log"],
    ["log", "--last-id", "5", "--level", "warning,critical"],
    ["peerlog", "--last-id", "2"],
    ["sync", "--rid", "3"],
    ["default-save-path"],
    ["prefs", "get"],
    ["prefs", "get", "save_path"],
    ["limit", "global"],
    ["limit", "torrent", "aa"],
    ["limit", "torrent", "--all"],
    ["alt-speed"],
    ["alt-speed", "get"],
    ["category", "list"],
    ["tags", "list"],
]


@pytest.mark.parametrize("argv", READERS, ids=" ".join)
def test_reading_commands_print_text_and_json(cli: Callable[..., Result], argv: list[str]) -> None:
    text = cli(*argv)
    assert text.code == 0, text.err
    assert text.out.strip() and text.err == ""
    data = cli(*argv, "--json")
    assert data.code == 0, data.err
    json.loads(data.out)


def test_list_passes_filters(cli: Callable[..., Result], fake: FakeServer) -> None:
    cli(
        "list",
        "--filter",
        "stopped",
        "--category",
        "",
        "--tag",
        "x",
        "--sort",
        "ratio",
        "--reverse",
        "--limit",
        "3",
    )
    fake.method("torrents").assert_awaited_with(
        filter="stopped", category="", tag="x", sort="ratio", reverse=True, limit=3, offset=None, hashes=None
    )


def test_list_json_is_every_field(cli: Callable[..., Result]) -> None:
    data = json.loads(cli("--json", "list").out)
    assert [t["hash"] for t in data] == [HASH_A, HASH_B, HASH_C]
    assert data[0]["state"] == "downloading" and data[0]["tags"] == ["iso"] and data[1]["eta"] is None


def test_list_columns(cli: Callable[..., Result]) -> None:
    lines = cli("list", "--columns", "fullhash,name").out.splitlines()
    assert lines[0].split() == ["HASH", "NAME"]
    assert lines[1].startswith(HASH_A)


def test_version_json(cli: Callable[..., Result]) -> None:
    data = json.loads(cli("version", "--json").out)
    assert data == {"app_version": "v4.5.2", "api_version": "2.8.19", "generation": "v2", "api_min": None}


def test_prefs_get_redacts_secrets(cli: Callable[..., Result]) -> None:
    for argv in (["prefs", "get"], ["--json", "prefs", "get"], ["prefs", "get", "web_ui_password"]):
        result = cli(*argv)
        assert result.code == 0
        assert SECRET not in result.out
        assert "********" in result.out


def test_prefs_get_one_key_prints_the_bare_value(cli: Callable[..., Result]) -> None:
    assert cli("prefs", "get", "save_path").out == "/downloads\n"


def test_prefs_unknown_keys_are_refused(cli: Callable[..., Result], fake: FakeServer) -> None:
    result = cli("prefs", "get", "nope")
    assert result.code == 1 and "nope" in result.err
    result = cli("prefs", "set", "save_pth=/x")
    assert result.code == 1 and "save_pth" in result.err
    fake.method("set_preferences").assert_not_awaited()


def test_prefs_set_never_echoes_a_secret(cli: Callable[..., Result]) -> None:
    result = cli("--json", "prefs", "set", "web_ui_password=hunter2")
    assert "hunter2" not in result.out
    assert json.loads(result.out)["changed"] == {"web_ui_password": "********"}


def test_limit_global_shows_without_values(cli: Callable[..., Result], fake: FakeServer) -> None:
    result = cli("limit", "global")
    assert result.out.splitlines() == ["download limit: unlimited", "upload limit:   1.0 KiB/s"]
    fake.method("set_global_download_limit").assert_not_awaited()
    assert json.loads(cli("--json", "limit", "global").out) == {"download_limit": None, "upload_limit": 1024}


def test_limit_torrent_all_reads_with_explicit_hashes(cli: Callable[..., Result], fake: FakeServer) -> None:
    data = json.loads(cli("--json", "limit", "torrent", "--all").out)
    fake.method("torrent_download_limits").assert_awaited_once_with([HASH_A, HASH_B, HASH_C])
    assert data[HASH_A] == {"download_limit": 1024, "upload_limit": None}


def test_alt_speed_on_when_already_on_does_nothing(cli: Callable[..., Result], fake: FakeServer) -> None:
    fake.method("alternative_speed_limits_enabled").return_value = True
    assert cli("alt-speed", "on").out == "alternative speed limits on\n"
    fake.method("toggle_alternative_speed_limits").assert_not_awaited()


def test_pieces_summary(cli: Callable[..., Result]) -> None:
    data = json.loads(cli("--json", "pieces", "aa").out)
    assert (data["pieces"], data["have"], data["downloading"], data["missing"]) == (4, 2, 1, 1)
    assert "piece_hashes" not in data


def test_log_levels_are_passed(cli: Callable[..., Result], fake: FakeServer) -> None:
    cli("log", "--level", "warning,critical", "--last-id", "9")
    fake.method("log").assert_awaited_once_with(9, normal=False, info=False, warning=True, critical=True)
    assert "disk <full>" in cli("log").out


def test_category_list_is_sorted(cli: Callable[..., Result]) -> None:
    lines = cli("category", "list").out.splitlines()
    assert [line.split()[0] for line in lines] == ["NAME", "Books", "linux"]


# --------------------------------------------------------------------------------------------- references


def test_unknown_full_hash_is_an_error(cli: Callable[..., Result], fake: FakeServer) -> None:
    result = cli("pause", "ee" * 20)
    assert result.code == 1
    assert "no torrent with hash" in result.err
    fake.method("pause").assert_not_awaited()


def test_ambiguous_prefix_is_an_error(cli: Callable[..., Result], fake: FakeServer) -> None:
    result = cli("pause", "a")
    assert result.code == 1
    assert "matches 2 torrents" in result.err
    fake.method("pause").assert_not_awaited()


def test_file_prio_checks_ids_against_the_torrent(cli: Callable[..., Result], fake: FakeServer) -> None:
    result = cli("file-prio", "aa", "3-9", "max")
    assert result.code == 1 and "file id 5 does not exist" in result.err
    fake.method("set_file_priority").assert_not_awaited()
