"""SMS through a real SMPP 3.4 server that is not ours (npm ``smpp``, node-smpp), with the
real SQLite or PostgreSQL store: alerts out as submit_sm (UCS-2, concatenated), commands
in as deliver_sm, delivery receipts, and the SMS centre going away and coming back."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from smartguard.bootstrap import App
from smartguard.domain.controls import values as s
from smartguard.domain.pan import with_check_digit
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    TerminalType,
)
from smartguard.entrypoints.notifier import NotifierService
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards
from smartguard.service_layer.context import Actor
from smartguard.service_layer.messages import OutboxStatus
from tests.peers.smsc_peer import Smsc, until

PAN = with_check_digit("622202100000004321"[:-1])
PHONE = "+8613800000001"
ACTOR = Actor("test", "test")
_stans = itertools.count(1)


def enrol(sg: App, controls: s.Controls | None = None) -> str:
    def job(uow: Any) -> str:
        h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "王芳", PHONE)
        acc = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", 1_000_000)
        return cards.enrol_card(uow, sg.ctx, ACTOR, PAN, acc.id, controls=controls).card.id

    return sg.write(job)


def purchase(amount: int = 1_000, region: str = "CN-BJ") -> AuthorizationRequest:
    return AuthorizationRequest(
        MessageKind.PURCHASE, amount, "CNY", amount, TerminalType.POS, True, EntryMode.CHIP,
        "CN", region, merchant_id="SHOP1", merchant_name="Shop One", acquirer_id="1",
        stan=f"{next(_stans):06d}", transmission_time="1125120000")


async def authorize(sg: App, request: AuthorizationRequest) -> az.AuthorizationResult:
    ref = az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))
    return await sg.awrite(lambda uow: az.authorize(uow, sg.ctx, ref, request))


def to_phone(smsc: Smsc) -> list[dict[str, Any]]:
    return [m for m in smsc.received() if m["destination"] == PHONE.lstrip("+")]


def outbox(sg: App) -> list[Any]:
    return sg.read(lambda uow: uow.outbox.list(None, "sms", None, 100))


async def started(sg: App) -> NotifierService:
    service = NotifierService(sg)
    await service.start()
    await until(lambda: service.smpp is not None and service.smpp.available)
    return service


def test_zf_sent_through_the_smsc_freezes_the_card_and_the_next_purchase_is_declined(
    app: App, smsc: Smsc
) -> None:
    enrol(app)

    async def scenario() -> None:
        service = await started(app)
        try:
            answer = await smsc.mo(PHONE, "ZF " + PAN[-4:], "smsc-mo-1")
            assert answer["command_status"] == 0
            declined = await authorize(app, purchase())
            assert declined.record.verdicts[0].reason == "card_frozen"
            reply = await until(lambda: [m for m in to_phone(smsc) if "止付" in m["message"]])
            assert reply[0]["data_coding"] == 8 and f"尾号{PAN[-4:]}" in reply[0]["message"]
            again = await smsc.mo(PHONE, "ZF " + PAN[-4:], "smsc-mo-1")  # redelivered
            assert again["command_status"] == 0
            await asyncio.sleep(0.5)
            replies = [m for m in to_phone(smsc) if "已止付" in m["message"]]
            assert len(replies) == 1
        finally:
            await service.stop()

    asyncio.run(scenario())


def test_a_long_chinese_alert_goes_as_ucs2_parts_with_concatenation_headers(
    app: App, smsc: Smsc
) -> None:
    enrol(app, s.Controls(region_lock=s.region_lock(True, ["CN-BJ"])))

    async def scenario() -> None:
        service = await started(app)
        try:
            await authorize(app, purchase(region="CN-GD"))  # decline alert, ~90 characters
            parts = await until(lambda: len(to_phone(smsc)) >= 2 and to_phone(smsc))
            assert all(p["data_coding"] == 8 and p["esm_class"] & 0x40 for p in parts)
            assert [p["udh"][0][-2:] for p in parts] == ["01", "02"]
            whole = "".join(p["message"] for p in parts)
            assert whole == outbox(app)[0].text
            sent = await until(lambda: [m for m in outbox(app) if m.receipt == "DELIVRD"])
            assert sent[0].status is OutboxStatus.SENT and sent[0].provider_ref
        finally:
            await service.stop()

    asyncio.run(scenario())


def test_the_link_is_kept_alive_with_enquire_link(app: App, smsc: Smsc) -> None:
    async def scenario() -> None:
        service = await started(app)
        try:
            await until(lambda: smsc.stats()["enquire_links"] >= 2)
        finally:
            await service.stop()

    asyncio.run(scenario())


def test_alerts_wait_while_the_smsc_is_down_and_all_go_out_once_when_it_returns(
    app: App, smsc: Smsc
) -> None:
    enrol(app)

    async def scenario() -> None:
        service = await started(app)
        try:
            smsc.stop()
            await until(lambda: service.smpp is not None and not service.smpp.available)
            for amount in range(101, 106):
                await authorize(app, purchase(amount))
            await asyncio.sleep(1.0)
            assert all(m.status is OutboxStatus.PENDING for m in outbox(app))
            smsc.start()
            await until(lambda: all(m.status is OutboxStatus.SENT for m in outbox(app)))
            texts = [m["message"] for m in to_phone(smsc)]
            assert len(texts) == 5 and len(set(texts)) == 5
            assert service.relay is not None and service.relay.stats.sent == 5
        finally:
            await service.stop()

    asyncio.run(scenario())
