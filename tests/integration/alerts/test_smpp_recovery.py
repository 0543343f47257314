"""SMS keep going out, whole and at least once, when the SMS centre (npm ``smpp``) dies in
the middle of a burst, and a dead letter requeued is really sent."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

import pytest

from smartguard.adapters.smpp.pdus import reference
from smartguard.bootstrap import App
from smartguard.service_layer.alert_preferences import requeue_message
from smartguard.service_layer.context import Actor
from smartguard.service_layer.messages import OutboxStatus
from tests.integration.alerts.test_smpp_peer import authorize, enrol, purchase, started, to_phone
from tests.peers.smsc_peer import Smsc, until

OPERATOR = Actor("op_1", "api")


def sms_outbox(sg: App) -> list[Any]:
    return sg.read(lambda uow: uow.outbox.list(None, "sms", None, 10_000))


def all_sent(sg: App) -> bool:
    return all(m.status is OutboxStatus.SENT for m in sms_outbox(sg))


def delivery(sg: App, smsc: Smsc) -> tuple[list[str], int]:
    """What never reached the SMS centre whole, and how many ``submit_sm`` it got more
    than once. The centre's record is matched to the outbox by each message's
    ``user_message_reference`` and text, parts (UDH) joined in order."""
    got = [m for m in to_phone(smsc)]
    by_ref: dict[int, list[dict[str, Any]]] = {}
    for m in got:
        by_ref.setdefault(m["user_message_reference"], []).append(m)
    missing = [m.id for m in sms_outbox(sg)
               if not whole(m.text, by_ref.get(reference(m.id), []))]
    copies = Counter((m["user_message_reference"], tuple(m["udh"]), m["message"]) for m in got)
    return missing, sum(n - 1 for n in copies.values())


def whole(text: str, parts: list[dict[str, Any]]) -> bool:
    """``text`` made of ``parts``: one without a UDH, or parts 1..n in order."""
    if any(not p["udh"] and p["message"] == text for p in parts):
        return True
    pos, seq = 0, 1
    while pos < len(text):
        part = next((p for p in parts if p["udh"] and int(p["udh"][0][-2:], 16) == seq
                     and text.startswith(p["message"], pos) and p["message"]), None)
        if part is None:
            return False
        pos, seq = pos + len(part["message"]), seq + 1
    return True


def test_the_smsc_killed_mid_burst_in_several_rounds_loses_no_sms(app: App, smsc: Smsc) -> None:
    """Three times the centre SIGKILLs itself after a random number of submit_sm of a
    burst; every alert still reaches it, and only those in flight may come twice."""
    enrol(app)
    rng = random.Random(19)
    rounds, burst = 3, 60

    async def scenario() -> None:
        service = await started(app)
        try:
            for n in range(rounds):
                smsc.behave(die_after=rng.randint(5, 40))
                for amount in range(burst):
                    await authorize(app, purchase(1_000 * (n + 1) + amount))
                await until(smsc.dead)
                await asyncio.sleep(rng.uniform(0.1, 0.8))
                smsc.start()
            await until(lambda: all_sent(app), timeout=90)
            missing, duplicates = delivery(app, smsc)
            assert missing == []
            window = app.settings.alerts.notifier.batch
            assert duplicates <= rounds * window
        finally:
            await service.stop()

    asyncio.run(scenario())


@pytest.mark.smpp(smpp={"send_timeout_seconds": 0.5}, notifier={"max_attempts": 2})
def test_a_requeued_dead_letter_is_sent(app: App, smsc: Smsc) -> None:
    """A message that died while the centre never answered is sent once requeued."""
    enrol(app)

    async def scenario() -> None:
        service = await started(app)
        try:
            smsc.behave(silent=["¥7.77"])
            await authorize(app, purchase(777))
            dead = await until(lambda: [m for m in sms_outbox(app)
                                        if m.status is OutboxStatus.DEAD], timeout=30)
            smsc.behave(silent=[])
            await app.awrite(lambda uow: requeue_message(uow, app.ctx, OPERATOR, dead[0].id))
            await until(lambda: all_sent(app))
            assert delivery(app, smsc)[0] == []
        finally:
            await service.stop()

    asyncio.run(scenario())
