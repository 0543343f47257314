"""SMS keep flowing past a message the SMS centre (npm ``smpp``) never answers, and a long
SMS counts as sent only when every part was accepted."""

from __future__ import annotations

import asyncio

import pytest

from smartguard.bootstrap import App
from smartguard.domain.controls import values as s
from smartguard.service_layer.messages import OutboxStatus
from tests.integration.alerts.test_smpp_peer import (
    PAN,
    PHONE,
    authorize,
    enrol,
    purchase,
    started,
)
from tests.integration.alerts.test_smpp_recovery import delivery, sms_outbox
from tests.peers.smsc_peer import Smsc, until


@pytest.mark.smpp(smpp={"send_timeout_seconds": 60.0})
def test_a_message_the_smsc_never_answers_holds_up_no_other(app: App, smsc: Smsc) -> None:
    """While the centre sits on one submit_sm (its answer would be 60 s away), the twenty
    alerts written after it are all accepted and marked sent."""
    enrol(app)

    async def scenario() -> None:
        service = await started(app)
        try:
            smsc.behave(silent=["¥7.77"])
            await authorize(app, purchase(777))
            await until(lambda: len(smsc.received()) == 1)
            for amount in range(1_001, 1_021):
                await authorize(app, purchase(amount))
            stuck_id = sms_outbox(app)[-1].id  # the oldest: ids grow with time
            others = lambda: [m for m in sms_outbox(app) if m.id != stuck_id]  # noqa: E731
            await until(lambda: all(m.status is OutboxStatus.SENT for m in others()))
            stuck = app.read(lambda uow: uow.outbox.get(stuck_id))
            assert stuck.status is OutboxStatus.PENDING and stuck.attempts == 0
            assert stuck.text is not None and "¥7.77" in stuck.text
        finally:
            await service.stop()

    asyncio.run(scenario())


def test_a_long_sms_whose_second_part_is_refused_is_delivered_whole(
    app: App, smsc: Smsc
) -> None:
    """The centre refuses part 2 once: the message is not sent until part 2 is accepted,
    and part 1 is not sent again."""
    enrol(app, s.Controls(region_lock=s.region_lock(True, ["CN-BJ"])))

    async def scenario() -> None:
        service = await started(app)
        try:
            smsc.behave(refuse_part={"part": 2, "times": 2})
            await authorize(app, purchase(region="CN-GD"))  # a decline alert: two parts
            await until(lambda: all(m.status is OutboxStatus.SENT for m in sms_outbox(app)))
            assert smsc.stats()["refused"] == 2
            missing, duplicates = delivery(app, smsc)
            assert missing == [] and duplicates == 0
            assert [p["udh"][0][-2:] for p in smsc.received()] == ["01", "02"]
        finally:
            await service.stop()

    asyncio.run(scenario())


@pytest.mark.smpp(notifier={"poll_seconds": 600.0})
def test_a_new_alert_leaves_without_waiting_for_the_poll(app: App, smsc: Smsc) -> None:
    """The writer wakes the relay when a batch with outbox rows commits: with a ten-minute
    poll, an alert still goes out at once, and so do those written while the centre was
    away, once it is back (the link wakes the relay when it binds)."""
    enrol(app)

    async def scenario() -> None:
        service = await started(app)
        try:
            await asyncio.sleep(0.2)  # the relay's first round is over: it sleeps
            await authorize(app, purchase(101))
            await until(lambda: all(m.status is OutboxStatus.SENT for m in sms_outbox(app)))
            smsc.stop()
            await until(lambda: service.smpp is not None and not service.smpp.available)
            await authorize(app, purchase(102))
            smsc.start()
            await until(lambda: all(m.status is OutboxStatus.SENT for m in sms_outbox(app)))
            assert delivery(app, smsc) == ([], 0)
        finally:
            await service.stop()

    asyncio.run(scenario())


def test_zf_through_the_smsc_after_a_flood_from_the_same_number_freezes_the_card(
    app: App, smsc: Smsc
) -> None:
    """Twelve texts from the cardholder's number (the limit is ten in ten minutes), then
    ZF: the card is frozen and the next purchase declined."""
    enrol(app)

    async def scenario() -> None:
        service = await started(app)
        try:
            for n in range(12):
                await smsc.mo(PHONE, "hello", f"flood-{n}")
            answer = await smsc.mo(PHONE, "ZF " + PAN[-4:], "flood-zf")
            assert answer["command_status"] == 0
            declined = await authorize(app, purchase())
            assert declined.record.verdicts[0].reason == "card_frozen"
        finally:
            await service.stop()

    asyncio.run(scenario())


@pytest.mark.smpp(notifier={"base_delay_seconds": 4.0, "max_delay_seconds": 4.0})
def test_a_part_accepted_before_a_restart_is_checked_with_query_sm_and_not_sent_again(
    app: App, smsc: Smsc
) -> None:
    """Part 2 is refused until the attempt gives up; the message keeps part 1's id. A new
    notifier (nothing in memory) asks the centre about part 1 (query_sm: delivered) and
    sends part 2 only."""
    enrol(app, s.Controls(region_lock=s.region_lock(True, ["CN-BJ"])))

    async def scenario() -> None:
        service = await started(app)
        try:
            smsc.behave(refuse_part={"part": 2, "times": 3})
            await authorize(app, purchase(region="CN-GD"))  # a decline alert: two parts
            failed = await until(lambda: [m for m in sms_outbox(app) if m.attempts == 1])
            assert failed[0].provider_ref.startswith("parts 1:smsc")
        finally:
            await service.stop()
        again = await started(app)
        try:
            await until(lambda: all(m.status is OutboxStatus.SENT for m in sms_outbox(app)))
            assert smsc.stats()["queries"] == 1
            assert [p["udh"][0][-2:] for p in smsc.received()] == ["01", "02"]
            assert delivery(app, smsc) == ([], 0)
        finally:
            await again.stop()

    asyncio.run(scenario())
