"""Settings: typed, immutable, read once at start (from a TOML file, the environment the
command line hands in, and the command line) and passed in. Nothing here reads the
environment or connects at import time."""

from __future__ import annotations

import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from smartguard.alerts_config import TABLES as ALERT_TABLES
from smartguard.alerts_config import AlertSettings, from_tables
from smartguard.config_sources import from_env, settable_of, typed, typed_table
from smartguard.domain.controls.categories import Category, cooldowns
from smartguard.domain.controls.values import DEFAULT_CEILINGS, Ceilings, ChannelLimits
from smartguard.domain.errors import InvalidInput
from smartguard.domain.transactions import Channel

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


@dataclass(frozen=True)
class IsoSettings:
    """The ISO 8583 gateway: the ``[iso8583]`` table of the settings file."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 8583
    workers: int = 0  # >0: connections, codec and mapping in that many front processes
    idle_timeout_s: float = 300.0  # close a connection silent this long (none in flight)
    max_message_bytes: int = 8192  # a larger length header closes the connection
    max_in_flight: int = 512  # per connection; reading pauses above it
    shutdown_grace_s: float = 10.0  # on stop, time to answer what was accepted
    tls_cert: str = ""  # PEM certificate chain; with tls_key, the port speaks TLS
    tls_key: str = ""
    tls_client_ca: str = ""  # when set, clients must present a certificate it signed
    #: >0 (with workers > 0): front i serves its own Prometheus /metrics on this port + i
    front_metrics_port: int = 0
    front_metrics_host: str = "127.0.0.1"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("smartguard-data")
    database_url: str = ""  # empty: SQLite file in data_dir; postgresql://... for PostgreSQL
    #: PostgreSQL: how long a batch waits for a new primary before it fails closed (96)
    store_timeout_s: float = 1.0
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    iso: IsoSettings = field(default_factory=IsoSettings)  # [iso8583]
    secret: bytes = field(default=b"", repr=False)  # keys PAN and code hashes; never printed
    challenge_validity: timedelta = timedelta(minutes=10)
    commit_max_batch: int = 256
    commit_max_wait_ms: float = 1.0  # only while the rate expects another job within it
    #: PostgreSQL: the next batch runs while the one before commits (a second connection)
    commit_overlap: bool = True
    log_level: str = "info"
    log_format: str = "console"  # or "json": one JSON object a line
    environment: str = "production"  # anything else (test, uat ...) allows test_clock
    test_clock: str = ""  # ISO 8601 with offset: the clock starts there (not production)
    ceilings: dict[str, Ceilings] = field(default_factory=dict)
    alerts: AlertSettings = field(default_factory=AlertSettings)  # [smpp], [webhooks], ...
    #: [controls] cooldown_hours = { gambling = 48 }: the wait before a lifted block ends
    cooldowns: dict[Category, timedelta] = field(default_factory=cooldowns)
    #: monitoring rules: activation by a second operator (four eyes; docs/rules.md)
    rules_four_eyes: bool = False

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.name != "secret"
        )
        return f"Settings({shown}, secret=***)"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "smartguard.db"


def load(path: Path | None = None, env: Mapping[str, str] | None = None,
         **overrides: Any) -> Settings:
    """Settings from ``path`` (TOML, optional), then ``env`` (the ``SMARTGUARD_*``
    variables, see config_sources.py; the command line passes ``os.environ``), then
    ``overrides`` (None values ignored; ``iso_<name>`` sets ``iso.<name>``). The secret
    comes from ``secret_file``, or ``<data_dir>/secret.key``, made with 32 random bytes
    (mode 0600) the first time."""
    return load_with_sources(path, env, **overrides)[0]


def load_with_sources(path: Path | None = None, env: Mapping[str, str] | None = None,
                      **overrides: Any) -> tuple[Settings, dict[str, str]]:
    """:func:`load`, and where each setting given came from (dotted name -> source)."""
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InvalidInput("config", f"cannot read {path}: {exc}") from exc
    sources = {name: f"file {path}" for name in _given(raw)}
    sources_env: dict[str, str] = {}
    from_env(env or {}, settable(), raw, sources_env)
    sources.update(sources_env)
    settings = _from_dict(raw)
    given = {k: v for k, v in overrides.items() if v is not None}
    sources.update({(f"iso8583.{k[4:]}" if k.startswith("iso_") else k): "command line"
                    for k in given})
    iso = {k[4:]: given.pop(k) for k in list(given) if k.startswith("iso_")}
    if iso:
        given["iso"] = replace(settings.iso, **iso)
    if "data_dir" in given:
        given["data_dir"] = Path(given["data_dir"])
    settings = replace(settings, **given)
    if not 0 < settings.store_timeout_s <= 60:
        raise InvalidInput("store_timeout_s", "must be more than 0 and at most 60 seconds")
    if settings.log_format not in ("console", "json"):
        raise InvalidInput("log_format", f"'{settings.log_format}' is not console or json")
    check_front_metrics(settings)
    test_clock_start(settings)  # refused here, at start, when it may not be used
    if not settings.secret:
        secret_file = Path(raw.get("secret_file", settings.data_dir / "secret.key"))
        settings = replace(settings, secret=read_or_make_secret(secret_file))
    return settings, sources


def test_clock_start(settings: Settings) -> datetime | None:
    """Where a test environment's clock starts (None: the real clock). Refused in
    production, and without a UTC offset (the instant must be unambiguous)."""
    if not settings.test_clock:
        return None
    if settings.environment == "production":
        raise InvalidInput("test_clock", "a test clock is refused in production: set "
                           "environment = \"test\" (or uat ...) where it is meant")
    try:
        start = datetime.fromisoformat(settings.test_clock)
    except ValueError as exc:
        raise InvalidInput("test_clock", f"'{settings.test_clock}' is not an ISO 8601 "
                           "time") from exc
    if start.tzinfo is None:
        raise InvalidInput("test_clock", "give the UTC offset, e.g. 2026-12-02T23:30:00+08:00")
    return start


def check_front_metrics(settings: Settings) -> None:
    """The fronts' metrics ports (``port`` .. ``port + workers - 1``) must be ports, and
    none of them the ISO 8583 or the HTTP port."""
    iso = settings.iso
    first = iso.front_metrics_port
    name = "iso8583.front_metrics_port"
    if first == 0:
        return
    last = first + max(iso.workers, 1) - 1
    if not 0 < first <= last <= 65535:
        raise InvalidInput(name, f"{first} is not valid: front i serves on {first} + i, "
                           "each a TCP port (1-65535; 0: off)")
    taken = {iso.port: "iso8583.port", settings.http_port: "http_port"}
    for port, other in taken.items():
        if first <= port <= last:
            raise InvalidInput(name, f"ports {first}-{last} take {port}, the {other}")


def settable() -> dict[str, Any]:
    """Every setting by its dotted name (``http_port``, ``iso8583.port``) -> its type."""
    return settable_of(Settings, {"iso8583": IsoSettings, **ALERT_TABLES})


def _given(raw: dict[str, Any]) -> list[str]:
    tables = {"iso8583", *ALERT_TABLES}
    found = [k for k, v in raw.items() if k not in tables and k != "ceilings"]
    for table in tables & raw.keys():
        found += [f"{table}.{k}" for k in raw[table]]
    return found


def _from_dict(raw: dict[str, Any]) -> Settings:
    known = {f.name for f in fields(Settings)} - {"secret", "ceilings", "challenge_validity",
                                                  "alerts", "iso", "cooldowns"}
    moved = sorted(k for k in raw if k.startswith("iso_"))
    if moved:
        raise InvalidInput("config", "the ISO 8583 settings are in the [iso8583] table: "
                           + ", ".join(f"{k} -> [iso8583] {k[4:]}" for k in moved))
    unknown = set(raw) - known - {"secret_file", "ceilings", "challenge_validity_minutes",
                                  "iso8583", "controls", *ALERT_TABLES}
    if unknown:
        raise InvalidInput("config", f"unknown settings: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = typed_table("", {k: v for k, v in raw.items() if k in known},
                                         Settings)
    values["iso"] = _table(raw, "iso8583", IsoSettings)
    if "challenge_validity_minutes" in raw:
        minutes = typed("challenge_validity_minutes", raw["challenge_validity_minutes"],
                        float)
        values["challenge_validity"] = timedelta(minutes=minutes)
    values["ceilings"] = {p: _ceilings(c) for p, c in raw.get("ceilings", {}).items()}
    values["cooldowns"] = _cooldowns(raw.get("controls", {}))
    alert_tables = {name: {**raw[name], **typed_table(name, raw[name], cls)}
                    for name, cls in ALERT_TABLES.items() if name in raw}
    values["alerts"] = from_tables(alert_tables)
    return Settings(**values)


def _cooldowns(table: dict[str, Any]) -> dict[Category, timedelta]:
    unknown = set(table) - {"cooldown_hours"}
    if unknown:
        raise InvalidInput("config", "unknown settings in [controls]: "
                           + ", ".join(sorted(unknown)))
    return cooldowns(table.get("cooldown_hours"))


def _table(raw: dict[str, Any], name: str, cls: type[T]) -> T:
    table = raw.get(name, {})
    unknown = set(table) - {f.name for f in fields(cls)}
    if unknown:
        raise InvalidInput("config", f"unknown settings in [{name}]: "
                           + ", ".join(sorted(unknown)))
    return cls(**typed_table(name, table, cls))


def _ceilings(raw: dict[str, Any]) -> Ceilings:
    """``[ceilings.<product>.<channel>]`` tables override the default ceilings."""
    channels = dict(DEFAULT_CEILINGS.channels)
    for name, values in raw.items():
        if name == "atm_cash_overseas_daily":
            continue
        base = channels[Channel(name)]
        channels[Channel(name)] = replace(base, **values)
    overseas = raw.get("atm_cash_overseas_daily", DEFAULT_CEILINGS.atm_cash_overseas_daily)
    return Ceilings(channels, overseas)


def read_or_make_secret(path: Path) -> bytes:
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_bytes(32)
    path.touch(mode=0o600)
    path.write_text(value.hex())
    return value


__all__ = ["ChannelLimits", "IsoSettings", "Settings", "load"]
