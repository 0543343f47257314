"""The advisor on the page: the check-up and its one-click fixes, the preview before saving,
quick-payment agreements and travel exceptions."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from smartguard.domain.state import AgreementStatus
from tests.e2e.web.support import Holder, Web, csrf_of


def audit(web: Web, card_id: str) -> list[tuple[str, str]]:
    return [(e.action, e.channel)
            for e in web.sg.read(lambda uow: uow.audit.for_card(card_id, 20))]


def fix_form(html: str, finding: str) -> dict[str, str]:
    block = html[html.index(f'id="finding-{finding}"'):]
    found = re.search(r'name="expected" value="([^"]*)"', block)
    assert found is not None, f"no fix for {finding}"
    return {"csrf": csrf_of(html), "expected": found.group(1).replace("&#34;", '"')}


def test_the_check_up_shows_a_score_and_findings_with_what_each_fix_does(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    html = c.get(f"/cards/{wang.card_id}/checkup").text
    score = re.search(r'id="score">(\d+)<', html)
    assert score is not None and 0 <= int(score.group(1)) < 100
    assert 'id="finding-protection_off.night_lock"' in html
    assert "一键修复将：开启夜间锁（23:00–05:00，境内）" in html


def test_a_one_click_fix_is_applied_through_the_ordinary_use_case(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/checkup"
    html = c.get(page).text
    r = c.post(f"{page}/fixes/protection_off.night_lock",
               data=fix_form(html, "protection_off.night_lock"))
    assert r.headers["location"] == f"{page}?done=done.fixed"
    assert web.card(wang).controls.night_lock.enabled
    assert audit(web, wang.card_id)[0] == ("set_controls.night_lock", "web")
    after = c.get(r.headers["location"]).text
    assert 'id="finding-protection_off.night_lock"' not in after
    assert "已修复" in after


def test_a_fix_that_changed_since_it_was_shown_is_refused(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/checkup"
    form = fix_form(c.get(page).text, "protection_off.night_lock")
    form["expected"] = '{"action": "freeze_card"}'
    r = c.post(f"{page}/fixes/protection_off.night_lock", data=form)
    assert r.status_code == 409 and "建议的修复已变化，请重新检测" in r.text
    form["expected"] = "not what was shown"
    assert c.post(f"{page}/fixes/protection_off.night_lock", data=form).status_code == 409
    assert not web.card(wang).controls.night_lock.enabled


def test_a_fix_already_applied_answers_not_found(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/checkup"
    form = fix_form(c.get(page).text, "protection_off.night_lock")
    c.post(f"{page}/fixes/protection_off.night_lock", data=form)
    r = c.post(f"{page}/fixes/protection_off.night_lock", data=form)
    assert r.status_code == 404


def night_history(web: Web, wang: Holder) -> None:
    """An ATM withdrawal at 02:00 yesterday, and a lunch at noon."""
    now = web.clock.now
    web.clock.now = now - timedelta(hours=34)  # 02:00 yesterday, Beijing
    web.authorize(wang, kind="cash_withdrawal", terminal="atm", amount=50_000,
                  merchant_name="Night ATM")
    web.clock.now = now - timedelta(hours=24)
    web.authorize(wang, amount=3_000, merchant_name="Noodles")
    web.clock.now = now


def test_previewing_a_night_lock_lists_what_it_would_have_declined_and_saves_nothing(
        web: Web) -> None:
    wang = web.holders["wang"]
    night_history(web, wang)
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/locks"
    r = web.post_form(c, page, f"{page}/night_lock", {
        "enabled": "on", "start": "23:00", "end": "05:00", "scope": "domestic",
        "intent": "preview"})
    assert r.status_code == 200
    box = r.text[r.text.index('id="preview-night_lock"'):]
    assert "按这项更改重放近90天的2笔交易" in box
    assert "会被拒绝的交易（1笔）" in box and "Night ATM" in box and "Noodles" not in box
    assert "夜间锁：02:00在您设置的夜间时段内" in box
    assert not web.card(wang).controls.night_lock.enabled
    assert 'name="enabled" value="on" checked' in r.text  # the form keeps what was sent


def test_previewing_a_limit_shows_the_payments_above_it(web: Web) -> None:
    wang = web.holders["wang"]
    night_history(web, wang)
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/limits"
    r = web.post_form(c, page, f"{page}/atm_cash", {"per_txn": "100", "intent": "preview"})
    box = r.text[r.text.index('id="preview-limits-atm_cash"'):]
    assert "Night ATM" in box and "¥500.00" in box
    assert web.card(wang).controls.limits == {}


def test_a_preview_of_an_invalid_change_shows_the_error_instead(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/locks"
    r = web.post_form(c, page, f"{page}/region_lock", {
        "enabled": "on", "places": ["CN-BJ", "CN-SH", "CN-HA", "CN-GD"], "intent": "preview"})
    assert r.status_code == 422 and "最多选择3个常用地" in r.text
    assert 'id="preview-region_lock"' not in r.text


def register(web: Web, holder: Holder, agreement_id: str = "AGR1",
             payee: str = "支付宝 Alipay") -> None:
    r = TestClient(web.app).post("/v1/agreements", json={
        "card_id": holder.card_id, "agreement_id": agreement_id, "payee": payee},
        headers={"Authorization": f"Bearer {web.tokens['processor']}"})
    assert r.status_code == 201, r.text


def quick_pay(web: Web, holder: Holder, amount: int = 5_000) -> dict[str, Any]:
    return web.authorize(holder, amount=amount, terminal="none", card_present=False,
                         entry_mode="credential_on_file", region=None, agreement_id="AGR1",
                         merchant_name="Alipay")


def test_agreements_are_listed_suspended_resumed_and_revoked(web: Web) -> None:
    wang = web.holders["wang"]
    register(web, wang)
    quick_pay(web, wang)
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/agreements"
    html = c.get(page).text
    assert "支付宝 Alipay" in html and "¥50.00" in html  # used today
    web.post_form(c, page, f"{page}/AGR1/suspend")
    assert quick_pay(web, wang)["primary_reason"] == "agreement_suspended"
    web.post_form(c, page, f"{page}/AGR1/resume")
    assert quick_pay(web, wang)["outcome"] == "approve"
    r = web.post_form(c, page, f"{page}/AGR1/revoke")
    assert r.headers["location"] == f"{page}?done=done.agreement_revoke"
    found = web.sg.read(lambda uow: uow.agreements.get("AGR1"))
    assert found is not None and found.status is AgreementStatus.REVOKED
    assert [a for a, ch in audit(web, wang.card_id) if a.startswith("agreement.")][:3] == [
        "agreement.revoke", "agreement.resume", "agreement.suspend"]


def test_an_agreements_own_limits_are_set_and_refused_next_to_the_field(web: Web) -> None:
    wang = web.holders["wang"]
    register(web, wang)
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/agreements"
    web.post_form(c, page, f"{page}/AGR1/limits", {"per_txn": "30", "daily": "100"})
    found = web.sg.read(lambda uow: uow.agreements.get("AGR1"))
    assert found is not None and (found.per_txn_limit, found.daily_limit) == (3_000, 10_000)
    assert quick_pay(web, wang, 5_000)["primary_reason"] == "agreement_limit"
    r = web.post_form(c, page, f"{page}/AGR1/limits", {"per_txn": "200", "daily": "100"})
    assert r.status_code == 422
    assert re.search(r'id="err-AGR1-per_txn_limit"[^>]*>单笔限额不能高于日累计限额', r.text)


def test_a_travel_exception_opens_the_region_lock_for_a_trip_and_ends(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    locks = f"/cards/{wang.card_id}/locks"
    web.post_form(c, locks, f"{locks}/region_lock", {"enabled": "on", "places": ["CN-BJ"]})
    assert web.authorize(wang, region="CN-HI")["primary_reason"] == "region_lock"
    page = f"/cards/{wang.card_id}/travel"
    r = web.post_form(c, page, page, {"place": "CN-HI", "starts_at": "2026-11-25T11:00",
                                      "ends_at": "2026-11-28T22:00"})
    assert r.headers["location"] == f"{page}?done=done.travel_added"
    html = c.get(page).text
    assert "海南省" in html and "生效中" in html and "2026-11-28 22:00" in html
    assert web.authorize(wang, region="CN-HI")["outcome"] == "approve"
    trip = re.search(r'/travel/(trv_[^/]+)/cancel', html)
    assert trip is not None
    web.post_form(c, page, f"{page}/{trip.group(1)}/cancel")
    assert web.authorize(wang, region="CN-HI")["primary_reason"] == "region_lock"
    assert ("travel.cancel", "web") in audit(web, wang.card_id)


def test_a_trip_that_ends_before_it_starts_is_refused_next_to_the_end(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/travel"
    r = web.post_form(c, page, page, {"place": "JP", "starts_at": "2026-12-10T08:00",
                                      "ends_at": "2026-12-01T08:00"})
    assert r.status_code == 422
    assert re.search(r'id="err-ends_at"[^>]*>结束时间必须晚于开始时间', r.text)
    assert 'value="2026-12-10T08:00"' in r.text  # what was sent is kept
    r = web.post_form(c, page, page, {"place": "", "starts_at": "", "ends_at": ""})
    assert re.search(r'id="err-place"[^>]*>请选择目的地', r.text)
