"""What the creator sends, per WebAPI version, for versions the suite has no server of (5.0.x, 5.2):
the 5.0.x source bug, | in URLs before and after 5.2's decoding, dotfiles from 2.16. The real 5.1.0
and 5.3.0 check the rest (test_creator_paths_edits.py)."""

from __future__ import annotations

import pytest

from qbtui.api import errors
from qbtui.api.creator import CreatorCalls, CreatorParams
from qbtui.api.models import ApiGeneration, ServerInfo


def caller(*version: int) -> CreatorCalls:
    calls = CreatorCalls()
    calls.info = ServerInfo(ApiGeneration.V2, version, f"v{'.'.join(map(str, version))}")
    return calls


def test_five_oh_has_no_source_of_its_own() -> None:
    params = CreatorParams("/srv/a", comment="c", source="TAG")
    with pytest.raises(
        errors.NotSupported, match=r"source field apart from the comment needs qBittorrent 5\.1"
    ):
        caller(2, 11, 2).creator_form(params)
    form = caller(2, 11, 3).creator_form(params)
    assert form["source"] == "TAG" and form["comment"] == "c"


def test_tiers_and_url_encoding_by_version() -> None:
    params = CreatorParams(
        "/srv/a", trackers=[["http://a/x%20y", ""], [], ["udp://b"]], url_seeds=["http://s/ ü"]
    )
    old = caller(2, 11, 4).creator_form(params)
    assert old["trackers"] == "http://a/x%20y||udp://b" and old["urlSeeds"] == "http://s/ ü"
    new = caller(2, 15, 1).creator_form(params)
    # 5.2+ percent-decodes each element: what is sent decodes back to exactly what was typed.
    assert new["trackers"] == "http://a/x%2520y||udp://b" and new["urlSeeds"] == "http://s/%20%C3%BC"
    with pytest.raises(errors.NotSupported, match=r"\| in them needs qBittorrent 5\.2"):
        caller(2, 11, 4).creator_form(CreatorParams("/srv/a", trackers=[["http://a/?x=1|2"]]))


def test_dotfiles_and_seeding_are_always_explicit() -> None:
    form = caller(2, 16, 2).creator_form(CreatorParams("/srv/a", include_dotfiles=True, start_seeding=False))
    assert form["ignoreDotfiles"] is False and form["startSeeding"] is False
    assert "ignoreDotfiles" not in caller(2, 15, 1).creator_form(CreatorParams("/srv/a"))
    assert caller(2, 15, 1).creator_form(CreatorParams("/srv/a"))["startSeeding"] is True
    with pytest.raises(errors.NotSupported, match=r"torrent creator needs qBittorrent 5\.0"):
        caller(2, 9, 3).creator_form(CreatorParams("/srv/a"))
    legacy = CreatorCalls()
    legacy.info = ServerInfo(ApiGeneration.LEGACY, (17,), "v4.0.4")
    with pytest.raises(errors.NotSupported, match=r"this server is qBittorrent v4\.0\.4"):
        legacy.creator_form(CreatorParams("/srv/a"))
