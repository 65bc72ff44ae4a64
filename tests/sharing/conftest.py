"""The `server` fixture: both server generations (tests/support/both_servers.py)."""

from tests.support.both_servers import server  # noqa: F401 (a fixture, found by pytest by its name)
