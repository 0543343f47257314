"""Settings for alerts: the SMS centre, webhooks, the notifier's retry policy and inbound
SMS. Read from the ``[smpp]``, ``[webhooks]``, ``[notifier]`` and ``[sms_inbound]`` tables
of the TOML file (docs/alerts.md). Secrets never appear in a repr."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from smartguard.domain.errors import InvalidInput


def _masked(obj: object) -> str:
    shown = []
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        secret = "password" in f.name or "secret" in f.name
        shown.append(f"{f.name}={'***' if secret and value else repr(value)}")
    return f"{type(obj).__name__}({', '.join(shown)})"


@dataclass(frozen=True)
class SmppSettings:
    host: str = ""  # empty: no SMS centre configured; SMS waits in the outbox
    port: int = 2775
    system_id: str = ""
    password: str = ""
    source_addr: str = ""  # the bank's SMS number, e.g. a 95xxx short code
    send_timeout_seconds: float = 20.0
    enquire_link_seconds: float = 30.0
    reconnect_min_seconds: float = 0.5  # reconnect backoff starts here, doubles ...
    reconnect_max_seconds: float = 30.0  # ... up to about this

    __repr__ = _masked

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class WebhookSettings:
    urls: tuple[str, ...] = ()  # empty: webhooks wait in the outbox
    secrets: tuple[str, ...] = ()  # every one signs (two during a rotation)
    timeout_seconds: float = 10.0

    __repr__ = _masked


@dataclass(frozen=True)
class NotifierSettings:
    enabled: bool = True  # run the relay inside ``serve``
    # What alerts are written for. Empty (the default): SMS always (messages wait for the
    # SMS centre if none is configured yet), webhooks only when webhook URLs are set.
    channels: tuple[str, ...] = ()
    max_attempts: int = 10
    base_delay_seconds: float = 2.0
    max_delay_seconds: float = 600.0
    batch: int = 50
    lease_seconds: float = 60.0
    poll_seconds: float = 0.5


@dataclass(frozen=True)
class InboundSettings:
    secrets: tuple[str, ...] = ()  # the HTTP inbound hook's signing secrets; empty: off
    rate_limit: int = 10  # messages per number ...
    rate_window_minutes: float = 10.0  # ... in any window this long

    __repr__ = _masked


@dataclass(frozen=True)
class AlertSettings:
    smpp: SmppSettings = field(default_factory=SmppSettings)
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)
    notifier: NotifierSettings = field(default_factory=NotifierSettings)
    sms_inbound: InboundSettings = field(default_factory=InboundSettings)

    @property
    def written_channels(self) -> frozenset[str]:
        """The channels alerts are written to the outbox for."""
        if self.notifier.channels:
            return frozenset(self.notifier.channels)
        return frozenset({"sms"} | ({"webhook"} if self.webhooks.urls else set()))


TABLES: dict[str, type[Any]] = {"smpp": SmppSettings, "webhooks": WebhookSettings,
                                "notifier": NotifierSettings, "sms_inbound": InboundSettings}


def from_tables(raw: dict[str, Any]) -> AlertSettings:
    """The four tables of a settings file; unknown keys are refused."""
    parts: dict[str, Any] = {}
    for name, cls in TABLES.items():
        table = raw.get(name, {})
        known = {f.name for f in fields(cls)}
        unknown = set(table) - known
        if unknown:
            raise InvalidInput("config", f"unknown settings in [{name}]: "
                               + ", ".join(sorted(unknown)))
        parts[name] = cls(**{k: tuple(v) if isinstance(v, list) else v
                             for k, v in table.items()})
    channels = set(parts["notifier"].channels) - {"sms", "webhook"}
    if channels:
        raise InvalidInput("notifier.channels", "only sms and webhook")
    return AlertSettings(**parts)
