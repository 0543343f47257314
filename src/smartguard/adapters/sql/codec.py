"""Domain values <-> column values, shared by the SQLite and PostgreSQL adapters."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson

from smartguard.domain.controls.codec import controls_from_dict, controls_to_dict
from smartguard.domain.controls.values import Ceilings, ChannelCeiling, Controls
from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.transactions import (
    AuthorizationRequest,
    Channel,
    EntryMode,
    MessageKind,
    TerminalType,
)


def ts(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def dt_req(value: str) -> datetime:
    return datetime.fromisoformat(value)


def dumps(value: Any) -> str:
    """Compact UTF-8 JSON (orjson: the hot path writes several documents per request)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def controls_json(controls: Controls) -> str:
    return dumps(controls_to_dict(controls))


@lru_cache(maxsize=4096)
def controls_load(text: str) -> Controls:
    """Controls are frozen values: the same stored text always reads back the same, so
    parsed settings are cached by their text (a hot-path saving, see performance.md)."""
    return controls_from_dict(json.loads(text))


def request_json(r: AuthorizationRequest) -> str:
    """The request as a JSON object of its fields, in order (orjson encodes the frozen
    dataclass itself, enums by value: no intermediate dict on the hot path)."""
    return orjson.dumps(r).decode()


def request_load(text: str) -> AuthorizationRequest:
    d = json.loads(text)
    d["kind"] = MessageKind(d["kind"])
    d["terminal"] = TerminalType(d["terminal"])
    d["entry_mode"] = EntryMode(d["entry_mode"])
    return AuthorizationRequest(**d)


def verdicts_json(verdicts: tuple[Verdict, ...], alerts: tuple[Verdict, ...] = ()) -> str:
    """``[reason, detail]`` for each verdict, then ``[reason, detail, 1]`` for each
    alert-only finding (so the first entry is still the primary reason, when any)."""
    return dumps([[v.reason.value, v.detail] for v in verdicts]
                 + [[v.reason.value, v.detail, 1] for v in alerts])


def verdicts_load(text: str) -> tuple[tuple[Verdict, ...], tuple[Verdict, ...]]:
    """The verdicts and the alert-only findings :func:`verdicts_json` wrote."""
    found = [Verdict(Reason(v[0]), v[1], len(v) > 2) for v in json.loads(text)]
    return (tuple(v for v in found if not v.alert_only),
            tuple(v for v in found if v.alert_only))


def ceilings_json(c: Ceilings) -> str:
    return dumps({
        "channels": {ch.value: asdict(lim) for ch, lim in c.channels.items()},
        "atm_cash_overseas_daily": c.atm_cash_overseas_daily,
    })


def ceilings_load(text: str) -> Ceilings:
    d = json.loads(text)
    return Ceilings(
        channels={Channel(k): ChannelCeiling(**v) for k, v in d["channels"].items()},
        atm_cash_overseas_daily=d["atm_cash_overseas_daily"],
    )
