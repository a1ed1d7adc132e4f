"""``trustcascade classroom``: one shared society, students seated as citizens from their browsers.

Prints the teacher's link (with the class's key) and the students' link, then serves until
Ctrl+C. Everything is journaled (``--journal``); starting again with the same journal
restores the class. Like ``trustcascade app``, it serves this machine only unless
``--host 0.0.0.0`` opts in to the local network, and fetches nothing from the internet.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from trustcascade.model.schema import ParameterError

from .app import check_free, lan_addresses, port_number

MAX_CITIZENS = 20_000
"""The largest shared society: a month must stay well under a second on a laptop."""


def add_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 opts in to the local network)")
    parser.add_argument("--port", default="8766", help="port to listen on (default 8766; 0 = any free port)")
    parser.add_argument("--preset", default="classroom",
                        help="a named scenario (trustcascade presets; default classroom: listings spread within a lesson)")
    parser.add_argument("--citizens", default="1000",
                        help=f"citizens in the shared society (default 1000; at most {MAX_CITIZENS:,})")
    parser.add_argument("--journal", default=None,
                        help="SQLite journal of the class (default: classroom-YYYYMMDD-HHMMSS.sqlite here); "
                             "an existing journal restores its class")
    parser.add_argument("--seed", default=None, help="seed of a new class's society (default: fresh)")


def citizens_count(text: str) -> int:
    if not str(text).strip().isdigit() or not 10 <= int(text) <= MAX_CITIZENS:
        raise ParameterError("--citizens", f"--citizens must be a whole number in the range [10, {MAX_CITIZENS}]; "
                             f"got {str(text)[:40]!r}")
    return int(text)


def command(args) -> int:
    citizens = citizens_count(args.citizens)
    port = port_number(args.port)
    if args.seed is not None and (not args.seed.strip().isdigit() or len(args.seed.strip()) > 19
                                  or int(args.seed) >= 2**63):
        raise ParameterError("--seed", f"--seed must be a whole number in the range [0, 2**63); got {args.seed[:40]!r}")
    if args.preset:
        from trustcascade.model.presets import get

        get(args.preset)
    journal = Path(args.journal or time.strftime("classroom-%Y%m%d-%H%M%S.sqlite"))
    if journal.exists() and not journal.is_file():
        raise ParameterError("--journal", f"--journal must be a file; {journal} is not")
    if not journal.parent.exists():
        raise ParameterError("--journal", f"--journal: the folder {journal.parent} does not exist")
    if port == 0:
        import socket

        with socket.socket() as probe:
            probe.bind((args.host, 0))
            port = probe.getsockname()[1]
    check_free(args.host, port)
    import asyncio

    import uvicorn

    from trustcascade.classroom.service import Classroom
    from trustcascade.classroom.web import auto_advance, build_app

    try:
        room = Classroom(journal, preset=args.preset, citizens=citizens, seed=args.seed)
    except Exception as error:  # noqa: BLE001 -- e.g. not a journal: one line, no traceback
        import sqlite3

        if isinstance(error, (sqlite3.DatabaseError, KeyError, ValueError)):
            raise ParameterError("--journal", f"--journal: {journal} is not a class journal ({error})") from None
        raise
    everywhere = args.host in ("0.0.0.0", "::")
    lan = lan_addresses() if everywhere else []
    print(f"teacher: http://{'127.0.0.1' if everywhere else args.host}:{port}/teacher?key={room.key}", flush=True)
    print(f"students: http://{lan[0] if lan else args.host}:{port}/", flush=True)
    if room.restored:
        print(f"trustcascade classroom: restored {room.restored} journal entries from {journal}: month "
              f"{room.month}, {len(room.seats)} seats", file=sys.stderr, flush=True)
    if everywhere:
        shared = ", ".join(f"http://{address}:{port}/" for address in lan) or "this machine's address"
        print(f"trustcascade classroom: open to the local network ({shared}); keep the teacher's link "
              "to yourself", file=sys.stderr, flush=True)
    app = build_app(room)
    stop = asyncio.Event()

    async def serve():
        server = uvicorn.Server(uvicorn.Config(app, host=args.host, port=port, log_level="warning",
                                               access_log=False, server_header=False))
        timer = asyncio.create_task(auto_advance(room, stop))
        try:
            await server.serve()
        finally:
            stop.set()
            await timer

    asyncio.run(serve())
    return 0
