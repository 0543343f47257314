"""The notifier: the outbox relay with its channels (SMS over SMPP, signed webhooks), and the
SMPP link's inbound side (mobile-originated commands, delivery receipts).

It runs inside ``smartguard serve`` (a background service) or on its own as
``smartguard notifier``. A channel that is not configured is not sent on: its messages wait
in the outbox (pending) until it is, and the notifier says so at start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import structlog

from smartguard.adapters.smpp.gateway import MobileOriginated, Receipt, SmppConfig, SmppGateway
from smartguard.adapters.smpp.session import LinkConfig
from smartguard.adapters.webhook.sender import WebhookSender
from smartguard.bootstrap import App
from smartguard.service_layer.context import utc_now
from smartguard.service_layer.relay import Relay, RetryPolicy, Sender
from smartguard.service_layer.sms_inbound import InboundSms, RateLimit, handle_inbound

log = structlog.get_logger("smartguard.notifier")


def rate_limit(sg: App) -> RateLimit:
    s = sg.settings.alerts.sms_inbound
    return RateLimit(s.rate_limit, timedelta(minutes=s.rate_window_minutes))


def channel_status(sg: App) -> dict[str, str]:
    """What the settings say about each channel alerts are written for."""
    a = sg.settings.alerts
    configured = {"sms": a.smpp.configured, "webhook": bool(a.webhooks.urls)}
    return {c: "configured" if configured[c] else "not configured: messages wait in the outbox"
            for c in sorted(a.written_channels)}


class NotifierService:
    """A :class:`smartguard.entrypoints.serve.Service`."""

    name = "notifier"

    def __init__(self, sg: App, now: Callable[[], datetime] = utc_now) -> None:
        self.sg, self._now = sg, now
        self.smpp: SmppGateway | None = None
        self.webhooks: WebhookSender | None = None
        self.relay: Relay | None = None

    def _senders(self) -> dict[str, Sender]:
        a = self.sg.settings.alerts
        senders: dict[str, Sender] = {}
        if a.smpp.configured:
            s = a.smpp
            link = LinkConfig(s.host, s.port, s.system_id, s.password, s.send_timeout_seconds,
                              s.enquire_link_seconds, s.reconnect_min_seconds,
                              s.reconnect_max_seconds)
            self.smpp = SmppGateway(SmppConfig(link, s.source_addr), self.inbound,
                                    self.receipt, self._wake)
            senders["sms"] = self.smpp
        if a.webhooks.urls:
            w = a.webhooks
            self.webhooks = WebhookSender(w.urls, w.secrets, w.timeout_seconds)
            senders["webhook"] = self.webhooks
        for channel, state in channel_status(self.sg).items():
            if channel not in senders:
                log.warning("channel_not_configured", channel=channel, status=state)
        return senders

    async def start(self) -> None:
        n = self.sg.settings.alerts.notifier
        senders = self._senders()
        if self.smpp is not None:
            await self.smpp.start()
        policy = RetryPolicy(n.max_attempts, n.base_delay_seconds, n.max_delay_seconds)
        self.relay = Relay(self.sg.awrite, self.sg.ctx, senders, policy, n.batch,
                           timedelta(seconds=n.lease_seconds), n.poll_seconds, self._now)
        await self.relay.start()
        self.sg.writer.on_outbox_commit(self.relay.wake)
        self._register(self.relay)
        written = sorted(self.sg.settings.alerts.written_channels)
        log.info("notifier_started", worker=self.relay.worker, sending=sorted(senders),
                 queued_only=[c for c in written if c not in senders])

    def _register(self, relay: Relay) -> None:
        """What /metrics reads of the relay and the SMPP link, when it is scraped."""
        t = self.sg.telemetry
        t.counters["deliveries"] = lambda: relay.stats.sent
        t.counters["delivery_failures"] = lambda: relay.stats.failed
        t.counters["dead_letters"] = lambda: relay.stats.dead
        smpp = self.smpp
        if smpp is not None:
            t.probes["smpp_link_up"] = lambda: 1.0 if smpp.available else 0.0

    def _wake(self) -> None:
        if self.relay is not None:
            self.relay.wake()

    async def stop(self) -> None:
        self.sg.writer.on_outbox_commit(None)
        if self.relay is not None:
            await self.relay.stop()
        if self.smpp is not None:
            await self.smpp.stop()
        if self.webhooks is not None:
            await self.webhooks.aclose()

    async def inbound(self, mo: MobileOriginated) -> None:
        """A mobile-originated SMS: handled and committed before the SMS centre is told."""
        sms = InboundSms("smpp", mo.message_id, mo.phone, mo.text)
        limit = rate_limit(self.sg)
        result = await self.sg.awrite(
            lambda uow: handle_inbound(uow, self.sg.ctx, sms, limit))
        log.info("sms_inbound", outcome=result.outcome, duplicate=result.duplicate)

    async def receipt(self, r: Receipt) -> None:
        at = self._now()
        found = await self.sg.awrite(
            lambda uow: uow.outbox.receipt(r.message_id, r.smsc_id, r.state, at))
        if not found:
            log.warning("receipt_unmatched", smsc_id=r.smsc_id, state=r.state)

    def status(self) -> dict[str, Any]:
        relay = self.relay
        return {"worker": relay.worker if relay else None,
                "sms_bound": self.smpp.available if self.smpp else False,
                "stats": vars(relay.stats) if relay else {}}
