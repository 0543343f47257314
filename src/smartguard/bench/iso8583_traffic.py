"""Realistic mixed ISO 8583 traffic over the benchmark population, cheap to produce.

Each request starts from one of a few thousand pre-encoded templates (encoded once with
pyiso8583); only its key fields (7, 11) are patched in place per message, so the load
generator spends its CPU sending and reading, not encoding. Besides the population's mix
(purchases, ATM cash in several provinces, e-commerce, magnetic stripe, inquiries,
refunds) it sends purchases above a personal per-transaction limit, exact duplicates of
earlier requests, and 0400 reversals of earlier requests.
"""

from __future__ import annotations

import os
import random
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from smartguard.adapters.iso8583 import codec
from smartguard.bench.population import mixed_request

KIND = {"purchase": "00", "cash_withdrawal": "01", "refund": "20", "balance_inquiry": "31",
        "transfer": "40"}
ENTRY = {"chip": "051", "magstripe": "901", "ecommerce": "812"}
PROVINCE = {"CN-BJ": "11", "CN-GD": "44", "CN-SH": "31", "CN-HA": "41"}
S7, S11 = "9753108642", "864213"  # sentinels marking where the key fields sit


def iso_fields(req: dict[str, Any], acquirer: str) -> codec.Fields:
    """One population request (bench/population.py) as ISO 8583 fields (0100)."""
    terminal = req["terminal"]
    condition = {"atm": "02", "pos": "00"}.get(terminal, "59")
    province = PROVINCE.get(req.get("region") or "", "  ")
    where = f"{'Bench Merchant':<25}{'City':<11}{province}{req['country']}"
    return {"t": "0100", "2": req["pan"], "3": KIND[req["kind"]] + "0000",
            "4": f"{req['amount']:012d}", "7": S7, "11": S11, "12": "120000", "13": "1125",
            "18": "5411", "22": ENTRY[req["entry_mode"]], "25": condition, "32": acquirer,
            "37": "000000000000", "41": "TERM0001", "42": f"{req['merchant_id']:<15}",
            "43": where, "49": "156"}


@dataclass
class Template:
    raw: bytearray
    at7: int
    at11: int


def template(fields: codec.Fields) -> Template:
    raw = bytearray(codec.encode(fields))
    at7, at11 = raw.find(S7.encode()), raw.find(S11.encode())
    assert at7 > 0 and at11 > 0 and raw.count(S7.encode()) == raw.count(S11.encode()) == 1
    return Template(raw, at7, at11)


@dataclass(frozen=True, slots=True)
class Message:
    key: bytes  # field 11 + field 7, as the answer echoes them
    raw: bytes
    kind: str  # auth, duplicate, reversal


class Traffic:
    """An endless, reproducible stream of messages with keys unique to this stream."""

    def __init__(self, pans: list[str], seed: int, templates: int = 2000) -> None:
        self.rng = random.Random(seed)
        self.acquirer = f"{(os.getpid() * 7919 + int(time.time() * 1000) + seed) % 10**8:08d}"
        self.templates = [template(iso_fields(self._request(pans), self.acquirer))
                          for _ in range(templates)]
        self.recent: deque[tuple[Message, str]] = deque(maxlen=500)
        self.n = 0

    def _request(self, pans: list[str]) -> dict[str, Any]:
        req = mixed_request(self.rng, pans)
        if self.rng.random() < 0.05 and req["kind"] == "purchase" and req["terminal"] == "pos":
            req["amount"] = 250_000  # above the 2,000 CNY per-transaction limit some set
        return req

    def _key(self) -> tuple[str, str]:
        self.n += 1
        return f"{self.n % 1_000_000:06d}", f"{self.n // 1_000_000 + 1:010d}"

    def next(self) -> Message:
        roll = self.rng.random()
        if roll < 0.03 and self.recent:
            original, _ = self.rng.choice(self.recent)
            return Message(original.key, original.raw, "duplicate")
        if roll < 0.06 and self.recent:
            return self._reversal(*self.recent.popleft())
        stan, sent = self._key()
        t = self.rng.choice(self.templates)
        raw = bytearray(t.raw)
        raw[t.at7:t.at7 + 10] = sent.encode()
        raw[t.at11:t.at11 + 6] = stan.encode()
        message = Message((stan + sent).encode(), bytes(raw), "auth")
        self.recent.append((message, t.raw[2:6].decode()))
        return message

    def _reversal(self, original: Message, mti: str) -> Message:
        stan, sent = self._key()
        o_stan, o_sent = original.key[:6].decode(), original.key[6:].decode()
        fields = {"t": "0400", "3": "000000", "7": sent, "11": stan, "32": self.acquirer,
                  "49": "156", "90": f"{mti}{o_stan}{o_sent}{self.acquirer:0>11}".ljust(42, "0")}
        return Message((stan + sent).encode(), codec.encode(fields), "reversal")
