"""Shared fixtures: the legacy simulator (simfix) and real qbittorrent-nox (noxfix)."""

import os

from hypothesis import HealthCheck, settings

pytest_plugins = ["tests.support.simfix", "tests.support.noxfix"]

# The machines are shared and noisy: never fail a property test on timing alone.
settings.register_profile("qbtui", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("qbtui")

# pytest-xdist's workers start with COLUMNS=80 and LINES=24 in their environment, which every child
# inherits: Textual in a tmux test would then draw 80x24 whatever the window's size. A worker should
# see what a plain `pytest` process sees.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _name in ("COLUMNS", "LINES"):
        os.environ.pop(_name, None)
