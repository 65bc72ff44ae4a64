"""The floor: the least a client can do to follow a server. Run as its own process.

    python -m bench.floor --url URL --username U --password-env VAR --api legacy|v2 --interval 1.5

It logs in once, then forever: GET sync/maindata?rid=N, merge the JSON into a dict, sleep `interval`
after each answer (the same rhythm as qbtui's poller: poll, apply, wait). No models, no view, no
screen. The benchmark reads its CPU from /proc and stops it with SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from typing import Any

import httpx

PATHS = {
    "legacy": ("login", "sync/maindata"),
    "v2": ("api/v2/auth/login", "api/v2/sync/maindata"),
}


def merge(state: dict[str, Any], payload: dict[str, Any]) -> None:
    """qBittorrent's own WebUI merge, without models: torrents by hash, other objects key by key."""
    if payload.get("full_update"):
        state.clear()
    torrents = state.setdefault("torrents", {})
    for key, fields in payload.get("torrents", {}).items():
        torrents.setdefault(key, {}).update(fields)
    for key in payload.get("torrents_removed", ()):
        torrents.pop(key, None)
    for key, value in payload.items():
        if key in ("torrents", "torrents_removed"):
            continue
        if isinstance(value, dict):
            state.setdefault(key, {}).update(value)
        else:
            state[key] = value  # rid, and the legacy API's category list


def arguments(prog: str) -> argparse.ArgumentParser:
    """The floor's options (bench.textual_floor takes the same)."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--url", required=True)
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password-env", required=True)
    parser.add_argument("--api", choices=sorted(PATHS), default="legacy")
    parser.add_argument("--interval", type=float, default=1.5)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = arguments("python -m bench.floor").parse_args(argv)
    login_path, maindata_path = PATHS[args.api]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    state: dict[str, Any] = {}
    # A legacy server closes every connection after answering; v2 keeps them alive.
    headers = {"Connection": "close"} if args.api == "legacy" else {}
    with httpx.Client(
        base_url=args.url.rstrip("/") + "/", headers=headers, trust_env=False, timeout=60
    ) as client:
        reply = client.post(
            login_path, data={"username": args.username, "password": os.environ[args.password_env]}
        )
        reply.raise_for_status()
        while True:
            reply = client.get(maindata_path, params={"rid": state.get("rid", 0)})
            reply.raise_for_status()
            merge(state, reply.json())
            time.sleep(args.interval)


if __name__ == "__main__":
    raise SystemExit(main())
