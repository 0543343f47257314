"""What an ISO 8583 front's metrics add to one message, in-process and deterministic.

    python bench/front_metrics_cost.py --meter on --messages 20000
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        python bench/front_metrics_cost.py --meter on --messages 20000

Runs the front's gateway (decode, map, hash the PAN, answer, encode; the core's answer
given at once, as bench/iso8583_baseline.py does) over ``--messages`` authorizations,
with the front's meter (``on``: requests and answers by MTI, the read-to-answer
histogram), without it (``off``: a front before it), or with the latency histogram only
(``timed``: the one-process gateway before the meter, which now uses it too). Under
callgrind the instruction count of two runs with different ``--messages`` gives the
instructions per message (start-up cancels out; ``PYTHONHASHSEED=0`` makes it repeat):
``on`` minus ``off`` is what a front's metrics cost, ``on`` minus ``timed`` what they
add to the one-process gateway. The front's other work per message
(framing, the link's JSON both ways, the socket) is not in the loop, so the share this
gives is an upper bound.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from smartguard.adapters.iso8583 import codec
from smartguard.bench.iso8583_baseline import nothing_stored
from smartguard.entrypoints import logs
from smartguard.entrypoints.iso8583.gateway import Gateway, _timed
from smartguard.entrypoints.iso8583.meter import IsoMeter, Reply
from smartguard.service_layer.context import Context
from smartguard.service_layer.telemetry import SECONDS, Histogram

PAN = "6222021000000000017"  # a test PAN (its check digit right), never a real card


def purchase(stan: int) -> codec.Fields:
    """A chip POS purchase in Beijing (0100), as tests/iso_client.py builds it."""
    return {"t": "0100", "2": PAN, "3": "000000", "4": f"{10_000:012d}",
            "7": "1125120000", "11": f"{stan:06d}", "12": "200000", "13": "1125",
            "18": "5411", "19": "156", "22": "051", "25": "00", "32": "10000001",
            "37": f"{stan:012d}", "41": "TERM0001", "42": "SHOP1".ljust(15),
            "43": "Shop One".ljust(25) + "Beijing".ljust(11) + "11CN", "49": "156"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--meter", choices=("on", "off", "timed"), default="on",
                    help="on: the meter; off: nothing (a front before it); timed: only the "
                    "latency histogram (the one-process gateway before it)")
    ap.add_argument("--messages", type=int, default=20_000)
    ap.add_argument("--alone", action="store_true",
                    help="only the meter's calls (or, with --meter off, a bare pass-through "
                    "in their place): its own instructions, without the gateway's noise")
    args = ap.parse_args()
    if args.alone:
        alone(args.meter, args.messages)
        return
    logs.configure("warning", "console")  # as the benchmarks run: no line per message
    meter = IsoMeter() if args.meter == "on" else None
    timed = Histogram(SECONDS) if args.meter == "timed" else None
    gateway = Gateway(Context(secret=b"bench").hash_pan, nothing_stored, timed, meter)
    messages = [codec.encode(purchase(stan % 999_999 + 1))[codec.HEADER_BYTES:]
                for stan in range(1000)]
    answers: list[bytes | None] = []
    started = time.process_time()
    for i in range(args.messages):
        gateway.handle(messages[i % 1000], answers.append, "127.0.0.1:1")
        if len(answers) > 1000:
            answers.clear()
    cpu = time.process_time() - started
    assert codec.decode(answers[-1][codec.HEADER_BYTES:])["39"] == "00"  # type: ignore[index]
    print(f"meter {args.meter}: {args.messages} messages, {cpu / args.messages * 1e6:.1f} "
          "us CPU each (timed: noisy on a shared machine; count instructions instead)")


def alone(mode: str, n: int) -> None:
    """``n`` times what the gateway does per message with the meter (count the request,
    wrap the reply, answer through the wrapper), with the timer alone (``timed``), or the
    same calls passing through (``off``)."""
    meter, histogram = IsoMeter(), Histogram(SECONDS)
    message = codec.encode(purchase(1))[codec.HEADER_BYTES:]
    answer = codec.encode({**purchase(1), "t": "0110", "39": "00"})
    sink: list[bytes | None] = []

    def through(message: bytes, reply: Reply) -> Reply:
        return reply

    def timer(message: bytes, reply: Reply) -> Reply:
        return _timed(reply, histogram)

    wrap = {"on": meter.received, "timed": timer, "off": through}[mode]
    for _ in range(n):
        wrap(message, sink.append)(answer)
        sink.clear()


if __name__ == "__main__":
    main()
