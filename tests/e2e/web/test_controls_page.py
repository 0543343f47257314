"""The controls tab (SPEC 3.12): switch a channel, block a category (and see when a lifted
block ends), block a merchant from a transaction, open and close a timed unlock, alert-only;
each through the service layer, audited as web."""

from __future__ import annotations

import re
from datetime import timedelta

from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import Switch
from tests.e2e.web.support import Web

ALL_BUT_CONTACTLESS = [s.value for s in Switch if s is not Switch.CONTACTLESS]


def test_switching_off_a_channel_declines_it_and_is_audited_as_web(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/controls"
    r = web.post_form(c, page, f"{page}/switches", {"on": ALL_BUT_CONTACTLESS})
    assert r.status_code == 303
    assert web.card(wang).controls.switches.off == {Switch.CONTACTLESS}
    assert web.authorize(wang, entry_mode="contactless")["primary_reason"] == "contactless_off"
    entry = web.sg.read(lambda uow: uow.audit.for_card(wang.card_id, 1))[0]
    assert (entry.action, entry.channel) == ("set_controls.switches", "web")


def test_turning_channels_back_on_at_once_asks_first_as_a_switch_row_does(web: Web) -> None:
    """The folded form that changes several channels at once lowers the protection when it
    turns one on: it asks the switch row's question first, naming every such channel, and
    saves only once the cardholder says yes."""
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/controls"
    web.post_form(c, page, f"{page}/switches", {"on": ["atm_cash", "pos"]})
    everything = [s.value for s in Switch]
    asked = web.post_form(c, page, f"{page}/switches", {"on": everything})
    assert asked.status_code == 200
    assert "打开" in asked.text and "非接触" in asked.text and 'name="confirm"' in asked.text
    assert "这些渠道的付款将重新放行" in asked.text
    assert web.card(wang).controls.switches.off != frozenset()  # nothing saved yet
    confirmed = web.post_form(c, page, f"{page}/switches", {"on": everything,
                                                            "confirm": "1"})
    assert confirmed.status_code == 303
    assert web.card(wang).controls.switches.off == frozenset()


def test_the_switches_preview_shows_the_payments_it_would_have_declined(web: Web) -> None:
    wang = web.holders["wang"]
    web.authorize(wang, entry_mode="contactless", merchant_name="Tap Cafe")
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/controls"
    r = web.post_form(c, page, f"{page}/switches", {"on": ALL_BUT_CONTACTLESS,
                                                    "intent": "preview"})
    assert r.status_code == 200
    assert 'id="preview-switches"' in r.text and "Tap Cafe" in r.text
    assert web.card(wang).controls.switches.off == frozenset()  # nothing saved


def test_a_lifted_gambling_block_shows_when_it_ends(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/controls"
    web.post_form(c, page, f"{page}/categories/gambling", {"blocked": "on"})
    assert web.authorize(wang, mcc="7995")["primary_reason"] == "category_blocked"
    web.post_form(c, page, f"{page}/categories/gambling", {})
    html = c.get(page).text
    assert "冷静期后于" in html
    lifts = web.card(wang).controls.categories[Category.GAMBLING].lifts_at
    assert lifts == web.sg.ctx.clock() + timedelta(hours=48)
    assert web.authorize(wang, mcc="7995")["primary_reason"] == "category_blocked"


def test_block_this_merchant_from_the_transactions_tab(web: Web) -> None:
    wang = web.holders["wang"]
    paid = web.authorize(wang, merchant_id="NOODLE1", merchant_name="Noodle Bar")
    c = web.sign_in(wang)
    tab = f"/cards/{wang.card_id}/transactions"
    html = c.get(tab).text
    assert "屏蔽此商户" in html
    r = web.post_form(c, tab, f"/cards/{wang.card_id}/controls/block-merchant",
                      {"authorization_id": paid["authorization_id"]})
    assert r.status_code == 303
    assert dict(web.card(wang).controls.merchants.blocked) == {"NOODLE1": "Noodle Bar"}
    assert web.authorize(wang, merchant_id="NOODLE1")["primary_reason"] == "merchant_blocked"
    assert "Noodle Bar" in c.get(f"/cards/{wang.card_id}/controls").text


def test_a_timed_unlock_opens_and_can_be_closed_from_the_page(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/controls"
    web.post_form(c, page, f"{page}/switches", {"on": []})
    r = web.post_form(c, page, f"{page}/unlocks", {"target": "switches.pos", "minutes": "30"})
    assert r.status_code == 303
    assert web.authorize(wang)["outcome"] == "approve"
    assert "已临时打开" in c.get(page).text
    web.post_form(c, page, f"{page}/unlocks/switches.pos/close")
    assert web.authorize(wang)["primary_reason"] == "pos_off"


def test_an_unlock_of_an_unknown_target_is_refused_next_to_the_field(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/controls"
    r = web.post_form(c, page, f"{page}/unlocks", {"target": "categories.gambling",
                                                   "minutes": "30"})
    assert r.status_code == 422
    error = re.search(r'<p class="error" id="err-target"[^>]*>([^<]*)</p>', r.text)
    assert error is not None and error.group(1) == "不是可选的项目"
    assert web.card(wang).controls.unlocks == ()


def test_alert_only_lets_the_payment_through_and_says_so(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/controls"
    web.post_form(c, page, f"{page}/switches", {"on": []})
    web.post_form(c, page, f"{page}/alert-only", {"targets": ["switches.pos"]})
    answer = web.authorize(wang)
    assert (answer["outcome"], [a["reason"] for a in answer["alerts"]]) == (
        "approve", ["pos_off"])
    assert "已放行并提醒" in c.get(f"/cards/{wang.card_id}/transactions").text


def test_the_console_shows_the_new_controls_and_their_audit(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/controls"
    web.post_form(c, page, f"{page}/switches", {"on": ALL_BUT_CONTACTLESS})
    web.post_form(c, page, f"{page}/categories/lottery", {"blocked": "on"})
    web.post_form(c, page, f"{page}/alert-only", {"targets": ["night_lock"]})
    op = web.operator()
    op.get("/lang/en")
    html = op.get(f"/console/cards/{wang.card_id}").text
    assert "Channels off" in html and "Contactless" in html
    assert "Lotteries" in html  # the list of names in sentence case
    assert "set_controls.switches" in html and "set_controls.categories" in html


def test_the_category_preview_shows_the_payments_it_would_have_declined(web: Web) -> None:
    wang = web.holders["wang"]
    web.authorize(wang, mcc="7995", merchant_name="Lucky Bets")
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/controls"
    r = web.post_form(c, page, f"{page}/categories/gambling", {"blocked": "on",
                                                               "intent": "preview"})
    assert r.status_code == 200
    assert 'id="preview-category-gambling"' in r.text and "Lucky Bets" in r.text
    assert Category.GAMBLING not in web.card(wang).controls.categories  # nothing saved
