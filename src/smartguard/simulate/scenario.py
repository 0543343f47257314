"""The scenario: every assumption of the simulator as a parameter, read from TOML.

``default.toml`` (in this package) is the default scenario and the one place defaults
live; a scenario file given on the command line overrides any of its values.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from smartguard.domain.errors import InvalidInput

YUAN = 100  # fen in a yuan: the file speaks yuan, the simulator fen


@dataclass(frozen=True, slots=True)
class Habit:
    what: str
    per_day: float
    channel: str  # chip, contactless, magstripe, online, quick_pay, atm_cash, atm_inquiry
    hours: tuple[int, ...]
    yuan: int
    spread: float
    mcc: str
    shops: int = 0  # 0: any shop; n: only ever the same n shops (the elderly)


@dataclass(frozen=True, slots=True)
class Archetype:
    name: str
    share: float
    balance_yuan: int
    domestic_trips: float
    overseas_trips: float
    trip_days: tuple[int, int]
    overseas_online: float
    habits: tuple[Habit, ...]


@dataclass(frozen=True, slots=True)
class Run:
    seed: int
    cardholders: int
    days: int
    start: date
    learn_days: int
    holidays: tuple[date, ...]
    holiday_trips: float
    configurations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Scenario:
    run: Run
    cardholder: Mapping[str, Any]
    archetypes: tuple[Archetype, ...]
    honest: Mapping[str, Any]
    attacks: Mapping[str, Mapping[str, Any]]
    raw: Mapping[str, Any]  # the merged TOML, as read (for the report)
    #: configurations written in the file, by name (read by configured.py)
    configurations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def attack(self, kind: str) -> Mapping[str, Any]:
        return self.attacks[kind]


def default_text() -> str:
    return resources.files("smartguard.simulate").joinpath("default.toml").read_text("utf-8")


def load(path: Path | None = None, **overrides: Any) -> Scenario:
    """The default scenario, overridden by the file at ``path`` and then by ``overrides``
    (keys of ``[run]``: seed, cardholders, days ...)."""
    raw = tomllib.loads(default_text())
    if path is not None:
        raw = merge(raw, tomllib.loads(path.read_text("utf-8")), "")
    run = dict(raw["run"])
    run.update({k: v for k, v in overrides.items() if v is not None})
    raw = {**raw, "run": merge(raw["run"], run, "run")}
    return _scenario(raw)


def merge(base: Mapping[str, Any], over: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``base`` with ``over``'s values; a key ``base`` does not have is refused (a typo
    must not silently leave a default in place), except new archetypes and new
    configurations."""
    out = dict(base)
    for key, value in over.items():
        name = f"{where}.{key}" if where else key
        if key not in base and where not in ("archetypes", "configurations"):
            raise InvalidInput(name, "unknown scenario parameter")
        if isinstance(value, Mapping) and isinstance(base.get(key), Mapping):
            out[key] = merge(base[key], value, name)
        else:
            out[key] = value
    return out


def _scenario(raw: dict[str, Any]) -> Scenario:
    r = raw["run"]
    run = Run(int(r["seed"]), int(r["cardholders"]), int(r["days"]), _date(r["start"]),
              int(r["learn_days"]), tuple(_date(d) for d in r["holidays"]),
              float(r["holiday_trips"]), tuple(r["configurations"]))
    if run.cardholders < 1 or run.days < 1 or not 0 <= run.learn_days < run.days:
        raise InvalidInput("run", "cardholders and days must be at least 1, learn_days "
                           "between 0 and days")
    archetypes = tuple(_archetype(name, a) for name, a in sorted(raw["archetypes"].items()))
    if abs(sum(a.share for a in archetypes) - 1.0) > 1e-6:
        raise InvalidInput("archetypes", "the shares must add up to 1")
    return Scenario(run, raw["cardholder"], archetypes, raw["honest"], raw["attacks"], raw,
                    raw.get("configurations", {}))


def _archetype(name: str, a: Mapping[str, Any]) -> Archetype:
    habits = tuple(_habit(name, h) for h in a["habits"])
    values = {f.name: a[f.name] for f in fields(Archetype)
              if f.name not in ("name", "habits")}
    values["trip_days"] = tuple(values["trip_days"])
    return Archetype(name=name, habits=habits, **values)


def _habit(archetype: str, h: Mapping[str, Any]) -> Habit:
    try:
        return Habit(**{**h, "hours": tuple(h["hours"])})
    except TypeError as exc:
        raise InvalidInput(f"archetypes.{archetype}.habits", str(exc)) from None


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
