"""Waiting in Pilot tests: for the condition a test asserts, never for a fixed time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot


async def until(pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    """Let the app run until `check()` holds; fail after `timeout` seconds, naming `what`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        await pilot.pause(0.05)
