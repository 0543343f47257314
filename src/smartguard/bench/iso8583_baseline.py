"""The protocol-only baseline: SmartGuard's ISO 8583 server, framing, decoding, field
mapping and answer encoding, with nothing decided and nothing stored.

    python bench/iso8583_baseline.py --port 9583

It is SmartGuard's own gateway with the store part replaced: every authorization is
answered "approved" (with a fixed approval code and balance), every reversal acknowledged,
0800 and bad input answered as by SmartGuard. bench/iso8583_load.py starts it and compares
SmartGuard's throughput with this one's, measured by the same client. ``--processes N``
runs N responders on one listening socket (one process is the baseline the ratio uses;
more show what the protocol alone could do with more cores).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket

from smartguard.entrypoints.iso8583.gateway import Done, Gateway
from smartguard.entrypoints.iso8583.server import IsoServer
from smartguard.entrypoints.iso8583.work import (
    ACKNOWLEDGED,
    AnswerKind,
    Authorize,
    StoreAnswer,
    Work,
)
from smartguard.service_layer.context import Context

APPROVED = StoreAnswer(AnswerKind.DECIDED, "00", "123456", 100_000_000, "CNY")


def nothing_stored(work: Work, done: Done) -> None:
    """The store part, minus the store: every authorization approved, every reversal
    acknowledged, at once."""
    done(APPROVED if isinstance(work, Authorize) else ACKNOWLEDGED)


def protocol_only() -> Gateway:
    """SmartGuard's own gateway (decode, map, hash the PAN, answer, encode) with
    :func:`nothing_stored` where the writer would be."""
    return Gateway(Context(secret=b"baseline").hash_pan, nothing_stored)


async def serve(port: int, sock: socket.socket | None) -> None:
    server = IsoServer(protocol_only(), "127.0.0.1", port, sock=sock)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop()


def listening(port: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(1024)
    return sock


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=9583)
    ap.add_argument("--processes", type=int, default=1,
                    help="responder processes sharing the port (default 1)")
    args = ap.parse_args()
    import uvloop

    if args.processes == 1:
        uvloop.run(serve(args.port, None))
        return
    sock = listening(args.port)  # one listening socket, inherited by each process
    children = []
    for _ in range(args.processes):
        pid = os.fork()
        if pid == 0:
            uvloop.run(serve(args.port, sock))
            os._exit(0)
        children.append(pid)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        for pid in children:
            os.waitpid(pid, 0)
    except KeyboardInterrupt:
        for pid in children:
            os.kill(pid, signal.SIGINT)
        for pid in children:
            os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
