"""A balance-change alert is stored without its text and worded when read (messages.worded):
on both stores the text read back is exactly what wording it at once gives, in the
cardholder's language and time zone of the moment of the payment."""

from __future__ import annotations

import sqlite3

import pytest

from smartguard.bootstrap import App
from smartguard.domain import alerts as a
from smartguard.domain.pan import with_check_digit
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards, notify
from smartguard.service_layer.context import Actor
from smartguard.service_layer.messages import OutboxMessage
from tests.builders import atm_withdrawal, cny, pos_purchase, refund

ACTOR = Actor("test", "test")
PAN = with_check_digit("622202100000000001")


def enrol(sg: App, language: str, timezone: str) -> az.CardRef:
    def job(uow: cards.UnitOfWork) -> None:
        h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "Wang", "+8613800000001",
                                   language=language, timezone=timezone)
        acc = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", cny(10_000))
        cards.enrol_card(uow, sg.ctx, ACTOR, PAN, acc.id)

    sg.write(job)
    return az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))


def messages(sg: App) -> list[OutboxMessage]:
    return list(reversed(sg.read(lambda uow: uow.outbox.list(None, None, None, 100))))


@pytest.mark.parametrize(("language", "timezone"), [("zh-CN", "Asia/Shanghai"),
                                                    ("en", "Europe/Paris")])
def test_balance_changes_read_back_worded_as_at_once(sg: App, language: str,
                                                     timezone: str) -> None:
    ref = enrol(sg, language, timezone)
    results = [sg.write(lambda uow, r=r: az.authorize(uow, sg.ctx, ref, r)) for r in
               (pos_purchase(cny(123, 45), merchant_name="咖啡 Café"), atm_withdrawal(cny(300)),
                refund(cny(20), merchant_name=""))]
    stored = [m for m in messages(sg) if m.channel == "sms"]
    assert [m.event for m in stored] == ["balance_change.debit", "balance_change.debit",
                                         "balance_change.credit"]
    before = cny(10_000)
    for result, m in zip(results, stored, strict=True):
        r, record = result.record.request, result.record
        moved = record.balance_after - before
        before = record.balance_after
        at_once = a.balance_change(
            notify.recipient(result.card),
            a.Movement(r.kind.value, moved, "CNY", record.balance_after,
                       r.merchant_name or r.merchant_id), record.received_at)
        assert m.text == at_once.text and m.text
        assert dict(m.payload) == dict(at_once.data)
        assert (m.language, m.timezone) == (language, timezone)


def test_sqlite_keeps_no_text_for_a_balance_change(tmp_path, clock) -> None:
    from smartguard.bootstrap import bootstrap
    from smartguard.config import load

    sg = bootstrap(load(None, data_dir=tmp_path / "data"), clock=clock)
    try:
        ref = enrol(sg, "zh-CN", "Asia/Shanghai")
        sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, pos_purchase(cny(100))))
        conn = sqlite3.connect(sg.settings.sqlite_path)
        rows = conn.execute("SELECT channel, body, timezone FROM outbox").fetchall()
        assert rows and all(body == "" and tz == "Asia/Shanghai" for _, body, tz in rows)
        assert "¥100.00" in messages(sg)[0].text
    finally:
        sg.close()


def test_other_alerts_keep_their_text_and_cannot_be_worded_later() -> None:
    with pytest.raises(ValueError):
        a.word("decline", "zh-CN", "Asia/Shanghai", {})


def test_a_balance_change_is_written_with_no_text_at_all(sg: App) -> None:
    """Its text is None until read (never an empty string standing in for one)."""
    ref = enrol(sg, "zh-CN", "Asia/Shanghai")
    written: list[OutboxMessage] = []

    def job(uow: cards.UnitOfWork) -> None:
        add_all = uow.outbox.add_all

        def spy(found: list[OutboxMessage]) -> None:
            written.extend(found)
            add_all(found)

        uow.outbox.add_all = spy  # type: ignore[method-assign]
        az.authorize(uow, sg.ctx, ref, pos_purchase(cny(10)))

    sg.write(job)
    balance = [m for m in written if m.event.startswith("balance_change")]
    assert balance and all(m.text is None for m in balance)
    assert all(m.text for m in messages(sg) if m.event.startswith("balance_change"))
