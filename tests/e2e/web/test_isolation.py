"""A cardholder can never see or change another cardholder's card: every page and every
form about Li Wei's card answers Wang Fang exactly like a card that does not exist, and
nothing of Li's changes."""

from __future__ import annotations

import pytest

from smartguard.domain.cards import CardStatus
from tests.e2e.web.support import Web, csrf_of
from tests.e2e.web.test_advisor_pages import register

PAGES = ["", "/locks", "/limits", "/verification", "/pending", "/transactions", "/alerts",
         "/checkup", "/agreements", "/travel"]
FORMS = ["/freeze", "/unfreeze", "/locks/region_lock", "/locks/night_lock",
         "/locks/overseas_lock", "/locks/overseas_cnp_lock", "/limits/atm_cash",
         "/verification", "/alerts", "/checkup/fixes/protection_off.night_lock",
         "/agreements/AGR1/suspend", "/agreements/AGR1/limits", "/travel"]


@pytest.mark.parametrize("tab", PAGES)
def test_another_cardholders_card_pages_answer_as_unknown(web: Web, tab: str) -> None:
    wang, li = web.holders["wang"], web.holders["li"]
    web.authorize(li, merchant_name="Li's Secret Shop")
    c = web.sign_in(wang)
    mine = c.get(f"/cards/{wang.card_id}{tab}")
    theirs = c.get(f"/cards/{li.card_id}{tab}")
    unknown = c.get(f"/cards/card_does_not_exist{tab}")
    assert mine.status_code == 200
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.text == unknown.text.replace("card_does_not_exist", li.card_id)
    shown = theirs.text.replace(li.card_id, "")  # the id asked for may hold any 4 digits
    for secret in (li.last4, "Li Wei", "Li's Secret Shop", "¥10,000.00"):
        assert secret not in shown


@pytest.mark.parametrize("form", FORMS)
def test_another_cardholders_card_cannot_be_changed(web: Web, form: str) -> None:
    wang, li = web.holders["wang"], web.holders["li"]
    register(web, li)
    c = web.sign_in(wang)
    before = web.card(li)
    agreement = web.sg.read(lambda uow: uow.agreements.get("AGR1"))
    audit_before = web.sg.read(lambda uow: uow.audit.for_card(li.card_id, 100))
    token = csrf_of(c.get(f"/cards/{wang.card_id}/locks").text)  # Wang's own valid token
    r = c.post(f"/cards/{li.card_id}{form}", data={
        "csrf": token, "enabled": "on", "places": ["CN-BJ"], "start": "00:00", "end": "06:00",
        "scope": "all", "per_txn": "1", "large_purchase": "on", "large_threshold": "1",
        "daily": "1", "place": "CN-HI", "starts_at": "2026-11-25T13:00",
        "ends_at": "2026-11-26T13:00", "balance_threshold": "1", "intent": "save"})
    assert r.status_code == 404
    assert web.card(li) == before
    assert web.sg.read(lambda uow: uow.agreements.get("AGR1")) == agreement
    assert web.sg.read(lambda uow: uow.travel.for_card(li.card_id)) == []
    assert web.sg.read(lambda uow: uow.alert_preferences.get(li.card_id)) is None
    assert web.sg.read(lambda uow: uow.audit.for_card(li.card_id, 100)) == audit_before


def test_another_cardholders_history_cannot_be_previewed(web: Web) -> None:
    wang, li = web.holders["wang"], web.holders["li"]
    web.authorize(li, merchant_name="Li's Secret Shop")
    c = web.sign_in(wang)
    token = csrf_of(c.get(f"/cards/{wang.card_id}/locks").text)
    r = c.post(f"/cards/{li.card_id}/locks/night_lock", data={
        "csrf": token, "enabled": "on", "start": "00:00", "end": "23:59", "scope": "all",
        "intent": "preview"})
    assert r.status_code == 404 and "Li's Secret Shop" not in r.text


def test_another_cardholders_verification_cannot_be_answered(web: Web) -> None:
    wang, li = web.holders["wang"], web.holders["li"]
    pending = web.authorize(li, entry_mode="magstripe")["challenge"]["id"]
    c = web.sign_in(wang)
    token = csrf_of(c.get(f"/cards/{wang.card_id}/pending").text)
    for card in (wang.card_id, li.card_id):
        r = c.post(f"/cards/{card}/challenges/{pending}/confirm", data={"csrf": token})
        assert r.status_code == 404
    challenge = web.sg.read(lambda uow: uow.challenges.get(pending))
    assert challenge is not None and challenge.status.value == "pending"


def test_a_form_without_the_sessions_token_changes_nothing(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    r = c.post(f"/cards/{wang.card_id}/freeze", data={"csrf": "forged"})
    assert r.status_code == 403
    r = c.post(f"/cards/{wang.card_id}/freeze")
    assert r.status_code == 403
    assert web.card(wang).card.status is CardStatus.ACTIVE


def test_a_form_sent_from_another_site_changes_nothing(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    token = csrf_of(c.get(f"/cards/{wang.card_id}").text)
    r = c.post(f"/cards/{wang.card_id}/freeze", data={"csrf": token},
               headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert web.card(wang).card.status is CardStatus.ACTIVE


def test_one_cardholders_token_does_not_work_in_anothers_session(web: Web) -> None:
    wang, li = web.holders["wang"], web.holders["li"]
    c_wang = web.sign_in(wang)
    c_li = web.sign_in(li)
    li_token = csrf_of(c_li.get(f"/cards/{li.card_id}").text)
    r = c_wang.post(f"/cards/{wang.card_id}/freeze", data={"csrf": li_token})
    assert r.status_code == 403
    assert web.card(wang).card.status is CardStatus.ACTIVE


def test_a_cardholder_session_does_not_open_the_console(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    c.cookies.set("sg_console", c.cookies["sg_session"])
    r = c.get("/console")
    assert (r.status_code, r.headers["location"]) == (303, "/console/signin")
