"""A blocking ISO 8583 test client, message builders and a gateway running in a thread."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvloop

from smartguard.adapters.iso8583 import codec
from smartguard.bootstrap import App
from smartguard.domain.controls import values as s
from smartguard.domain.pan import with_check_digit
from smartguard.entrypoints.iso8583.gateway import Handler, gateway_for
from smartguard.entrypoints.iso8583.server import IsoServer, Limits
from smartguard.service_layer import cards
from smartguard.service_layer.context import Actor

PAN = with_check_digit("622202100000000001")
ACTOR = Actor("test", "test")
BEIJING_SHOP = "Shop One".ljust(25) + "Beijing".ljust(11) + "11CN"
GUANGZHOU_SHOP = "Canton Store".ljust(25) + "Guangzhou".ljust(11) + "44CN"


def enrol(sg: App, pan: str = PAN, balance: int = 1_000_000,
          controls: s.Controls | None = None) -> str:
    """Enrol a cardholder, account and card; returns the card id."""
    def job(uow: Any) -> str:
        h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "Wang Fang", "+8613800000001")
        a = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", balance)
        return cards.enrol_card(uow, sg.ctx, ACTOR, pan, a.id, controls=controls).card.id

    return sg.write(job)


def purchase(stan: int, pan: str = PAN, amount: int = 10_000, **fields: str) -> codec.Fields:
    """A chip POS purchase in Beijing (0100), as an acquirer sends it."""
    msg = {"t": "0100", "2": pan, "3": "000000", "4": f"{amount:012d}",
           "7": "1125120000", "11": f"{stan:06d}", "12": "200000", "13": "1125",
           "18": "5411", "19": "156", "22": "051", "25": "00", "32": "10000001",
           "37": f"{stan:012d}", "41": "TERM0001", "42": "SHOP1".ljust(15),
           "43": BEIJING_SHOP, "49": "156"}
    msg.update(fields)
    return msg


def reversal(stan: int, original: codec.Fields, mti: str = "0400") -> codec.Fields:
    data = f"{original['t']}{original['11']}{original['7']}{original['32']:0>11}".ljust(42, "0")
    return {"t": mti, "2": original["2"], "3": original["3"], "4": original["4"],
            "7": "1125120500", "11": f"{stan:06d}", "32": original["32"], "49": "156",
            "90": data}


def network(stan: int, code: str = "301") -> codec.Fields:
    return {"t": "0800", "7": "1125120000", "11": f"{stan:06d}", "70": code}


class Client:
    """One blocking connection: send messages, read answers (in whatever order they come)."""

    def __init__(self, port: int, tls: ssl.SSLContext | None = None, timeout: float = 10) -> None:
        sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock: socket.socket = tls.wrap_socket(sock, server_hostname="localhost") \
            if tls else sock

    def send(self, fields: codec.Fields) -> None:
        self.sock.sendall(codec.encode(fields))

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _exactly(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed by the server")
            data += chunk
        return data

    def recv(self) -> codec.Fields:
        size = int.from_bytes(self._exactly(codec.HEADER_BYTES), "big")
        return codec.decode(self._exactly(size))

    def request(self, fields: codec.Fields) -> codec.Fields:
        self.send(fields)
        return self.recv()

    def closed_by_server(self) -> bool:
        """True when the server closed the connection (EOF or reset) with nothing sent."""
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.sock.close()


class Gateway:
    """An :class:`IsoServer` on its own event loop thread, on a free port."""

    def __init__(self, handler: Handler | None, limits: Limits | None = None,
                 tls: ssl.SSLContext | None = None, server: IsoServer | None = None) -> None:
        self.loop = uvloop.new_event_loop()  # as `smartguard serve` runs it
        if server is None:
            assert handler is not None
            server = IsoServer(handler, "127.0.0.1", 0, limits, tls)
        self.server = server
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.call(self.server.start())
        self.port = self.server.port

    def call(self, coro: Any, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def in_flight(self) -> int:
        return sum(c.in_flight for c in list(self.server.connections))

    def close(self) -> None:
        self.call(self.server.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@contextmanager
def gateway(sg: App, limits: Limits | None = None,
            tls: ssl.SSLContext | None = None) -> Iterator[Gateway]:
    gw = Gateway(gateway_for(sg), limits, tls)
    try:
        yield gw
    finally:
        gw.close()
