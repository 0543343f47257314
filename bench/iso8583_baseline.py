"""The protocol-only baseline: SmartGuard's ISO 8583 server, framing, decoding, field
mapping and answer encoding, with nothing decided and nothing stored.

    python bench/iso8583_baseline.py --port 9583

Every authorization is answered "approved" (with a fixed approval code and balance), every
reversal acknowledged, 0800 answered as by SmartGuard. bench/iso8583_load.py starts it and
compares SmartGuard's throughput with this one's, measured by the same client.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from smartguard.adapters.iso8583 import mapping as m
from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.iso8583.handler import (
    Reply,
    answer_other,
    decode_or_answer,
    encode_or_close,
)
from smartguard.entrypoints.iso8583.server import IsoServer
from smartguard.service_layer.context import Context


class ProtocolOnly:
    def __init__(self) -> None:
        self.hash_pan = Context(secret=b"baseline").hash_pan

    def handle(self, message: bytes, reply: Reply) -> None:
        fields = decode_or_answer(message, reply)
        if fields is None:
            return
        mti = fields["t"]
        try:
            if mti in m.AUTHORIZATIONS:
                m.to_authorization(fields, self.hash_pan)
                answer = m.answer_fields(fields, "00", "123456", 100_000_000, "CNY")
            elif mti in m.REVERSALS:
                m.to_reversal(fields, self.hash_pan)
                answer = m.error_answer(fields, "00")
            else:
                answer_other(fields, reply)
                return
        except InvalidInput as exc:
            answer = m.error_answer(fields, m.response_code_for(exc))
        encode_or_close(answer, reply)


async def serve(port: int) -> None:
    server = IsoServer(ProtocolOnly(), "127.0.0.1", port)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=9583)
    import uvloop

    uvloop.run(serve(ap.parse_args().port))


if __name__ == "__main__":
    main()
