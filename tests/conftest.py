"""Shared fixtures: the legacy simulator (simfix) and real qbittorrent-nox (noxfix)."""

from hypothesis import HealthCheck, settings

pytest_plugins = ["tests.support.simfix", "tests.support.noxfix"]

# The machines are shared and noisy: never fail a property test on timing alone.
settings.register_profile("qbtui", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("qbtui")
