"""Which alerts an authorization raises, and the cardholder's choices (SPEC 3.7, 3.8, 3.11)."""

from __future__ import annotations

import pytest

from smartguard.domain import alerts as a
from smartguard.domain.decisions import Decision, Outcome, Reason, Verdict
from smartguard.domain.errors import InvalidInput
from smartguard.domain.transactions import TerminalType
from tests.builders import balance_inquiry, beijing, cny, pos_purchase

TO = a.Recipient("chd_1", "+8613800000001", "en", "Asia/Shanghai", "card_1", "1234")
NOW = beijing(12)
APPROVE = Decision(Outcome.APPROVE)


def kinds(alerts: list[a.Alert]) -> list[a.AlertKind]:
    return [x.kind for x in alerts]


def test_approved_purchase_raises_a_balance_change_alert():
    m = a.Movement("purchase", -cny(10), "CNY", cny(90))
    assert kinds(a.authorization(TO, pos_purchase(cny(10)), APPROVE, NOW, m)) == [
        a.AlertKind.BALANCE_CHANGE]


def test_balance_inquiry_at_an_atm_raises_an_inquiry_alert():
    assert kinds(a.authorization(TO, balance_inquiry(), APPROVE, NOW, None)) == [
        a.AlertKind.BALANCE_INQUIRY]


def test_balance_inquiry_at_a_pos_raises_nothing():
    r = balance_inquiry(terminal=TerminalType.POS)
    assert a.authorization(TO, r, APPROVE, NOW, None) == []


def test_decline_by_a_cardholder_protection_raises_a_decline_alert():
    d = Decision(Outcome.DECLINE, (Verdict(Reason.REGION_LOCK, "CN-GD"),))
    assert kinds(a.authorization(TO, pos_purchase(), d, NOW, None)) == [a.AlertKind.DECLINE]


def test_decline_for_insufficient_funds_raises_no_alert():
    d = Decision(Outcome.DECLINE, (Verdict(Reason.INSUFFICIENT_FUNDS),))
    assert a.authorization(TO, pos_purchase(), d, NOW, None) == []


@pytest.mark.parametrize("reason", list(Reason))
@pytest.mark.parametrize("outcome", list(Outcome))
@pytest.mark.parametrize("request_", [pos_purchase(), balance_inquiry(),
                                      balance_inquiry(terminal=TerminalType.POS)])
def test_raises_more_says_whether_anything_but_a_balance_change_is_raised(
        reason, outcome, request_):
    d = Decision(outcome, () if outcome is Outcome.APPROVE else (Verdict(reason),))
    assert a.raises_more(request_, d) == bool(a.authorization(TO, request_, d, NOW, None))


def test_default_preferences_send_every_alert_by_sms_and_webhook():
    assert a.AlertPreferences().channels_for(a.AlertKind.DECLINE) == a.ALL_CHANNELS


def test_balance_threshold_drops_smaller_changes():
    prefs = a.preferences({}, cny(100))
    small = a.balance_change(TO, a.Movement("purchase", -cny(99), "CNY", 0), NOW)
    large = a.balance_change(TO, a.Movement("purchase", -cny(100), "CNY", 0), NOW)
    assert (prefs.wants(small), prefs.wants(large)) == (False, True)


def test_security_alerts_always_go_by_sms():
    with pytest.raises(InvalidInput) as err:
        a.preferences({"security": ["webhook"]}, 0)
    assert err.value.code == "sms_required"


def test_a_cardholder_may_switch_balance_alerts_to_webhook_only():
    prefs = a.preferences({"balance_change": ["webhook"]}, 0)
    assert prefs.channels_for(a.AlertKind.BALANCE_CHANGE) == {a.DeliveryChannel.WEBHOOK}


def test_unknown_alert_kind_or_channel_is_a_validation_error():
    for bad in ({"weather": ["sms"]}, {"decline": ["pigeon"]}):
        with pytest.raises(InvalidInput):
            a.preferences(bad, 0)


def test_preferences_round_trip_through_plain_values():
    prefs = a.preferences({"decline": ["sms"], "balance_change": []}, cny(50))
    d = a.preferences_to_dict(prefs)
    assert a.preferences_to_dict(a.preferences(d["channels"], d["balance_threshold"])) == d
