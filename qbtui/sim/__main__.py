"""`python -m qbtui.sim`: a simulated qBittorrent 4.0.4 in the foreground, on real time."""

from __future__ import annotations

import argparse
import asyncio
import sys

from qbtui.sim.config import DEMO_MIXES, SimConfig
from qbtui.sim.server import serve
from qbtui.sim.simulator import Simulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qbtui.sim", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port (default 8080)")
    parser.add_argument("--api-version", type=int, default=17, help="legacy API version 2..17 (default 17)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--torrents", type=int, default=25, help="number of torrents (default 25)")
    parser.add_argument(
        "--mix",
        choices=DEMO_MIXES,
        default="mixed",
        help="the demo torrents: every state (mixed), a seedbox's (seeding) or a downloading box's",
    )
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="adminadmin")
    parser.add_argument("--bypass-local-auth", action="store_true", help="no login needed from loopback")
    parser.add_argument(
        "--hostile",
        action="store_true",
        help="hostile data: markup, escape sequences and control characters in names, paths, "
        "trackers, peers and log lines; wrong types, missing fields, error pages",
    )
    args = parser.parse_args(argv)
    try:
        config = SimConfig(
            seed=args.seed,
            api_version=args.api_version,
            torrent_count=args.torrents,
            demo_mix=args.mix,
            username=args.username,
            password=args.password,
            bypass_local_auth=args.bypass_local_auth,
            hostile=args.hostile,
        )
    except ValueError as exc:
        parser.error(str(exc))
    sim = Simulator(config)

    async def run() -> None:
        async with serve(sim, args.host, args.port) as server:
            print(server.url, flush=True)
            print(
                f"legacy API {sim.engine.api} {'hostile ' if args.hostile else ''}simulator; "
                f"log in as {args.username}; Ctrl+C stops it",
                file=sys.stderr,
                flush=True,
            )
            await server.wait_stopped()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"python -m qbtui.sim: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
