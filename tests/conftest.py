"""Shared fixtures: the legacy simulator (tests.support.simfix) and real qbittorrent-nox (tests.support.noxfix)."""

pytest_plugins = ["tests.support.simfix", "tests.support.noxfix"]
