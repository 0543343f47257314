"""Alerts on the page (settings, threshold, recent alerts) and in the console (delivery
status, dead letters and requeueing them)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from smartguard.domain.alerts import AlertKind, preferences_to_dict
from smartguard.service_layer.messages import OutboxStatus
from smartguard.service_layer.ports import UnitOfWork
from tests.e2e.web.support import Web


def preferences(web: Web, card_id: str) -> dict[str, object]:
    found = web.sg.read(lambda uow: uow.alert_preferences.get(card_id))
    assert found is not None
    return preferences_to_dict(found)


def test_alert_preferences_are_saved_audited_and_the_phone_told(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/alerts"
    r = web.post_form(c, page, page, {
        "balance_change.webhook": "on", "balance_inquiry.sms": "on", "decline.sms": "on",
        "decline.webhook": "on", "verification.webhook": "on", "balance_threshold": "100"})
    assert r.headers["location"] == f"{page}?done=done.saved"
    saved = preferences(web, wang.card_id)
    assert saved["balance_threshold"] == 10_000
    assert saved["channels"] == {
        "balance_change": ["webhook"], "balance_inquiry": ["sms"], "decline": ["sms", "webhook"],
        "verification": ["sms", "webhook"], "security": ["sms"]}
    entry = web.sg.read(lambda uow: uow.audit.for_card(wang.card_id, 1))[0]
    assert (entry.action, entry.channel) == ("set_alerts", "web")
    assert web.texts(wang.phone, AlertKind.SECURITY)


def test_codes_and_security_alerts_cannot_be_taken_off_sms(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/alerts"
    html = c.get(page).text
    for kind in ("verification", "security"):
        assert re.search(rf'name="{kind}.sms" value="on" checked disabled', html)
    web.post_form(c, page, page, {"balance_threshold": "0"})
    channels = preferences(web, wang.card_id)["channels"]
    assert isinstance(channels, dict)
    assert channels["verification"] == ["sms"] and channels["security"] == ["sms"]
    assert channels["balance_change"] == []


def test_a_threshold_that_is_not_an_amount_is_refused_next_to_it(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/alerts"
    r = web.post_form(c, page, page, {"balance_threshold": "a lot", "decline.sms": "on"})
    assert r.status_code == 422
    assert re.search(r'id="err-balance_threshold"[^>]*>请输入金额', r.text)
    assert 'name="decline.sms" value="on" checked' in r.text  # the form as it was sent
    assert web.sg.read(lambda uow: uow.alert_preferences.get(wang.card_id)) is None


def test_recent_alerts_show_on_the_overview_without_codes(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    web.authorize(wang, amount=12_345, merchant_name="Luoyang Noodles")
    web.authorize(wang, entry_mode="magstripe")
    html = c.get(f"/cards/{wang.card_id}").text
    section = html[html.index('id="h-alerts"'):]
    assert "¥123.45" in section and "Luoyang Noodles" in section
    assert "验证码******" in section  # the code of the verification SMS is never shown
    assert "待发送" in section  # no SMS centre here: waiting in the outbox
    code = web.code_for(wang.phone)
    assert code not in html


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_alerts_page_renders_in_both_languages(web: Web, lang: str) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    c.get(f"/lang/{lang}")
    r = c.get(f"/cards/{wang.card_id}/alerts")
    assert r.status_code == 200 and f'<html lang="{lang}">' in r.text


def kill(web: Web, message_id: str) -> None:
    """Make a message a dead letter, as the relay does after its last failed attempt."""
    now = web.clock.now

    def job(uow: UnitOfWork) -> None:
        claimed = uow.outbox.claim("test", ["sms"], now, now + timedelta(minutes=1), 100)
        assert message_id in [m.id for m in claimed]
        uow.outbox.failed(message_id, "test", "SMSC said no", None)

    web.sg.write(job)


def test_the_console_shows_delivery_status_and_requeues_a_dead_letter(web: Web) -> None:
    wang = web.holders["wang"]
    web.authorize(wang, amount=50_000, merchant_name="Wangfujing Store")
    [message] = web.texts(wang.phone, AlertKind.BALANCE_CHANGE)
    kill(web, message.id)
    c = web.operator()
    page = f"/console/cards/{wang.card_id}"
    html = c.get(page).text
    table = html[html.index('id="messages"'):]
    assert "Wangfujing Store" in table and "发送失败" in table and "SMSC said no" in table
    assert "+86138****0001" in table and wang.phone not in html
    dead = html[html.index('id="dead"'):]
    assert f"/messages/{message.id}/requeue" in dead
    r = web.post_form(c, page, f"{page}/messages/{message.id}/requeue")
    assert r.headers["location"] == f"{page}?done=done.requeued#dead"
    again = web.sg.read(lambda uow: uow.outbox.get(message.id))
    assert again is not None and again.status is OutboxStatus.PENDING
    entry = web.sg.read(lambda uow: uow.audit.for_card(wang.card_id, 1))[0]
    assert (entry.action, entry.channel) == ("outbox.requeue", "console")
    assert "没有发送失败的消息" in c.get(page).text


def test_the_console_home_counts_messages_per_channel_and_status(web: Web) -> None:
    wang = web.holders["wang"]
    web.authorize(wang)
    html = web.operator().get("/console").text
    section = html[html.index('id="h-outbox"'):html.index('id="h-chart"')]
    assert re.search(r"<td>短信</td><td>1</td><td>0</td><td>0</td>", section)
