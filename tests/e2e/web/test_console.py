"""The operator console: sign-in with an operator key, finding cards, the card's whole story,
block and unblock, the bank's ceilings and the chart of the last 24 hours."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from smartguard.domain.cards import CardStatus
from tests.e2e.web.support import Web, csrf_of


def test_the_console_needs_an_operator_session(web: Web) -> None:
    for path in ("/console", "/console/ceilings",
                 f"/console/cards/{web.holders['wang'].card_id}"):
        r = web.client().get(path)
        assert (r.status_code, r.headers["location"]) == (303, "/console/signin")


@pytest.mark.parametrize("role", ["processor", "cardholder_app"])
def test_keys_without_the_operator_role_do_not_open_the_console(web: Web, role: str) -> None:
    c = web.client()
    page = c.get("/console/signin")
    r = c.post("/console/signin", data={"csrf": csrf_of(page.text),
                                        "api_key": web.tokens[role]})
    assert r.status_code == 401 and 'id="err-api_key"' in r.text
    assert c.get("/console").status_code == 303


def test_the_console_cookie_is_strict_and_scoped_to_the_console(web: Web) -> None:
    c = web.client()
    page = c.get("/console/signin")
    r = c.post("/console/signin", data={"csrf": csrf_of(page.text),
                                        "api_key": web.tokens["operator"]})
    header = next(v for v in r.headers.get_list("set-cookie") if v.startswith("sg_console="))
    assert "HttpOnly" in header and "SameSite=strict" in header and "Path=/console" in header


@pytest.mark.parametrize("query", ["last4", "phone", "local_phone", "card_id"])
def test_an_operator_finds_a_card_by_last4_phone_or_id(web: Web, query: str) -> None:
    wang = web.holders["wang"]
    c = web.operator()
    params = {"last4": {"last4": wang.last4}, "phone": {"phone": wang.phone},
              "local_phone": {"phone": wang.phone[3:]},
              "card_id": {"card_id": wang.card_id}}[query]
    html = c.get("/console", params=params).text
    assert f'href="/console/cards/{wang.card_id}"' in html
    assert web.holders["li"].card_id not in html
    assert "138****0001" in html  # phones are masked


def test_the_card_detail_shows_decisions_challenges_and_the_audit_trail(web: Web) -> None:
    wang = web.holders["wang"]
    cardholder = web.sign_in(wang)
    page = f"/cards/{wang.card_id}"
    web.post_form(cardholder, page, f"{page}/freeze")
    web.post_form(cardholder, page, f"{page}/unfreeze")
    web.authorize(wang, entry_mode="magstripe", merchant_name="Wangfujing Store")
    c = web.operator(role="admin")
    html = c.get(f"/console/cards/{wang.card_id}").text
    assert "Wangfujing Store" in html and "磁条刷卡消费需要您确认" in html
    audit = html[html.index('id="audit"'):]
    rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>",
                      audit)
    actor = f"web:{wang.cardholder_id}"
    assert rows[:3] == [(actor, "web", "unfreeze"), (actor, "web", "freeze"),
                        (actor, "web", "web.sign_in")]


def test_an_operator_blocks_and_unblocks_a_card_from_the_console(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.operator()
    page = f"/console/cards/{wang.card_id}"
    r = web.post_form(c, page, f"{page}/block")
    assert r.status_code == 303
    assert web.card(wang).card.status is CardStatus.BLOCKED
    cardholder = web.sign_in(wang)
    assert "/unfreeze" not in cardholder.get(f"/cards/{wang.card_id}").text
    web.post_form(c, page, f"{page}/unblock")
    assert web.card(wang).card.status is CardStatus.ACTIVE
    entries = web.sg.read(lambda uow: uow.audit.for_card(wang.card_id, 10))
    operator = [(e.action, e.channel, e.actor) for e in entries if e.channel == "console"]
    assert [a for a, _, _ in operator] == ["unblock", "block"]
    assert all(actor.startswith("console:key:") for _, _, actor in operator)


def test_ceilings_are_shown_and_saved_and_bind_cardholders(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.operator()
    page = c.get("/console/ceilings").text
    fields = dict(re.findall(r'name="([a-z_]+\.[a-z_]+|atm_cash_overseas_daily)" '
                             r'value="([^"]*)"', page))
    assert fields["atm_cash.daily_amount"] == "20000.00"
    fields["atm_cash.daily_amount"] = "8000"
    r = c.post("/console/ceilings", data={"csrf": csrf_of(page), "product": "debit_standard",
                                          **fields})
    assert r.status_code == 303
    holder = web.sign_in(wang)
    limits = f"/cards/{wang.card_id}/limits"
    assert "银行上限：¥8,000.00" in holder.get(limits).text
    r = web.post_form(holder, limits, f"{limits}/atm_cash", {"daily_amount": "9000"})
    assert r.status_code == 422 and "不能高于银行上限¥8,000.00" in r.text


def test_a_missing_ceiling_is_refused_next_to_its_field(web: Web) -> None:
    c = web.operator()
    page = c.get("/console/ceilings").text
    fields = dict(re.findall(r'name="([a-z_]+\.[a-z_]+|atm_cash_overseas_daily)" '
                             r'value="([^"]*)"', page))
    fields["pos.per_txn"] = ""
    r = c.post("/console/ceilings", data={"csrf": csrf_of(page), "product": "debit_standard",
                                          **fields})
    assert r.status_code == 422
    assert 'id="err-ceilings-pos-per_txn"' in r.text and 'aria-invalid="true"' in r.text


def test_the_chart_counts_the_last_24_hours_by_reason(web: Web) -> None:
    wang = web.holders["wang"]
    web.authorize(wang)
    web.authorize(wang, entry_mode="magstripe")
    web.authorize(wang, kind="cash_withdrawal", terminal="atm", amount=600_000)
    web.clock.now -= timedelta(hours=30)
    web.authorize(wang)  # too old to count
    web.clock.now += timedelta(hours=30)
    html = web.operator().get("/console").text
    assert "共3笔" in html
    totals = dict(re.findall(r"</svg> ([^<]+)</td><td>(\d+)</td>", html))
    assert totals == {"已批准": "1", "超过金额限额": "1", "磁条卡消费验证": "1"}
    assert html.count("<rect") >= 3 + 3  # bars and legend swatches
