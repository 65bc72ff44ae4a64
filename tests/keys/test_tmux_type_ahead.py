"""Typing fast in a real terminal: each string below reaches qbtui in one write, as a fast typist,
a paste or a slow SSH link delivers it. What was typed, and only that, happens (issue 14)."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.both_servers import STOPPED
from tests.support.noxserver import make_sample_torrent
from tests.ui.tmux import CTRL_U, END, ENTER, TAB, Tmux, require_tmux


def test_slash_and_a_word_in_one_write_filters_and_opens_nothing() -> None:
    require_tmux()
    tmux = Tmux([sys.executable, "-m", "qbtui", "--demo"], {**os.environ, "TERM": "xterm-256color"})
    try:
        tmux.wait_for(r"\[eztv\] Show\.S01E01 720p")
        for _ in range(3):  # the race was 8 of 8 before: once is not proof
            tmux.type("/deb")
            tmux.wait_for(r"deb")
            time.sleep(0.5)
            screen = tmux.screen()
            assert "Remove" not in screen and "Rename" not in screen, screen
            assert re.search(r"▊\s*deb", screen) or "deb" in screen
            tmux.type("\x1b")  # Esc clears the filter
            time.sleep(0.5)
        tmux.type("/debian" + ENTER)
        tmux.wait_for(r"1/\d+ torrents")
        assert "Remove" not in tmux.screen()
        tmux.quit()
    finally:
        tmux.kill()


@pytest.fixture
def nox_torrents(nox_clean, tmp_path_factory):  # type: ignore[no-untyped-def]
    source = tmp_path_factory.mktemp("typed")
    for index, name in enumerate(("Alpha linux iso", "Beta (2008)", "Gamma files")):
        torrent, _ = make_sample_torrent(source, name, {"a.bin": 20000 + index, "b.txt": 3000}, seed=index)
        nox_clean.add_torrent_file(torrent, paused="true", savepath=str(source))
    for torrent in nox_clean.torrents():
        nox_clean.wait_for_torrent(torrent["hash"], lambda t: t["state"] in STOPPED)
    return nox_clean, source


def wait_server(nox, check: Callable[[list[dict[str, Any]]], bool], what: str, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check(torrents := nox.torrents()):
        assert time.monotonic() < deadline, f"the server never showed {what}: {torrents}"
        time.sleep(0.25)


def test_a_fast_typing_session_changes_exactly_what_was_typed(nox_torrents) -> None:  # type: ignore[no-untyped-def]
    require_tmux()
    nox, source = nox_torrents
    before = {t["hash"]: t for t in nox.torrents()}
    alpha = next(h for h, t in before.items() if t["name"] == "Alpha linux iso")
    env = {**os.environ, "QBTUI_PASSWORD": nox.password, "TERM": "xterm-256color"}
    command = [sys.executable, "-m", "qbtui", "--url", nox.url, "--username", nox.username]
    tmux = Tmux(command, env, size=(140, 40))
    try:
        tmux.wait_for("Gamma files")
        tmux.type("/Alpha" + ENTER)  # filter, then back on the list
        tmux.wait_for(r"1/3 torrents")
        tmux.type("m" + END + "/sub" + ENTER)  # move: the current path, extended
        wait_server(nox, lambda ts: any(t["save_path"].rstrip("/").endswith("/sub") for t in ts), "the move")
        tmux.type("l" + CTRL_U + "512K" + TAB + CTRL_U + "1M" + ENTER)
        wait_server(nox, lambda ts: any(t["dl_limit"] == 512 * 1024 for t in ts), "the limits")
        tmux.type("Cfastcat" + ENTER)
        wait_server(nox, lambda ts: any(t["category"] == "fastcat" for t in ts), "the category")
        # Last: the new name no longer matches the filter, so the torrent leaves the list.
        tmux.type("n" + CTRL_U + "Renamed by typing" + ENTER)
        wait_server(nox, lambda ts: any(t["name"] == "Renamed by typing" for t in ts), "the rename")
        after = {t["hash"]: t for t in nox.torrents()}
        changed = after[alpha]
        assert changed["name"] == "Renamed by typing"
        assert changed["save_path"].rstrip("/") == str(source / "sub")
        assert (changed["dl_limit"], changed["up_limit"]) == (512 * 1024, 1024 * 1024)
        assert changed["category"] == "fastcat"
        for hash, torrent in before.items():
            if hash == alpha:
                continue
            for field in ("name", "save_path", "dl_limit", "up_limit", "category", "state"):
                assert after[hash][field] == torrent[field], (torrent["name"], field)
        tmux.quit()
    finally:
        tmux.kill()
