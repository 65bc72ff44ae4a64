"""The Textual floor: the floor client (`bench.floor`) with the least screen a Textual app can have.

    python -m bench.textual_floor --url URL --username U --password-env VAR --api legacy|v2 --interval 1.5

The same poll → merge → sleep loop as `bench.floor`, on httpx's async client like qbtui, inside a
Textual app whose whole screen is one line ("N torrents, rid R") updated after every poll. The
benchmark runs it in tmux next to qbtui: what any Textual client pays before it draws a table,
a sidebar or a status bar, so qbtui's CPU can be split into "Textual's own" and "ours".
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

import httpx
from textual.app import App, ComposeResult
from textual.widgets import Static

from bench.floor import PATHS, arguments, merge


class FloorApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, args: argparse.Namespace) -> None:
        super().__init__()
        self.args = args

    def compose(self) -> ComposeResult:
        yield Static("connecting", id="line")

    def on_mount(self) -> None:
        self.run_worker(self._poll(), exclusive=True)

    async def _poll(self) -> None:
        args = self.args
        login_path, maindata_path = PATHS[args.api]
        headers = {"Connection": "close"} if args.api == "legacy" else {}
        state: dict[str, Any] = {}
        line = self.query_one("#line", Static)
        async with httpx.AsyncClient(
            base_url=args.url.rstrip("/") + "/", headers=headers, trust_env=False, timeout=60
        ) as client:
            reply = await client.post(
                login_path, data={"username": args.username, "password": os.environ[args.password_env]}
            )
            reply.raise_for_status()
            while True:
                reply = await client.get(maindata_path, params={"rid": state.get("rid", 0)})
                reply.raise_for_status()
                merge(state, reply.json())
                line.update(f"{len(state.get('torrents', {}))} torrents, rid {state.get('rid')}")
                await asyncio.sleep(args.interval)


def main(argv: list[str] | None = None) -> int:
    FloorApp(arguments("python -m bench.textual_floor").parse_args(argv)).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
