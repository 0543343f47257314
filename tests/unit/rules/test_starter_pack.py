"""The starter pack (docs/rules.md#the-starter-pack): each rule fires on its pattern and
not on the nearest innocent one, run on the features a card's recorded history gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from smartguard.adapters.cel_rules import CelLanguage
from smartguard.domain.activity import CardActivity
from smartguard.domain.controls.values import Controls
from smartguard.domain.rule_variables import SAMPLES, Variables
from smartguard.domain.transactions import AuthorizationRequest, EntryMode
from smartguard.service_layer.starter_pack import starter_rules
from tests.builders import (
    atm_withdrawal,
    balance_inquiry,
    cny,
    online_purchase,
    pos_purchase,
    quick_payment,
)

LANG = CelLanguage(SAMPLES)
PACK = {r.id: r for r in starter_rules()}
ZONE = ZoneInfo("Asia/Shanghai")
NIGHT = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)  # 02:30 on 3 March in Beijing
DAY = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 14:00 in Beijing
History = list[tuple[AuthorizationRequest, datetime, bool]]


def fires(rule_id: str, request: AuthorizationRequest, now: datetime,
          history: History | None = None, changes: dict[str, datetime] | None = None) -> bool:
    """Does the pack's rule match ``request`` at ``now``, after ``history`` (request,
    when, approved) and the audited ``changes``?"""
    activity = CardActivity("Asia/Shanghai")
    for n, (req, at, approved) in enumerate(history or []):
        activity.record(f"A{n}", req, at, approved)
    for kind, at in (changes or {}).items():
        activity.changed(kind, at)
    variables = Variables(request, "active", "debit_standard", Controls(), activity, now,
                          now.astimezone(ZONE))
    return LANG.compile(PACK[rule_id].expression).matches(variables)


def test_the_pack_has_six_rules_that_compile_with_both_messages() -> None:
    assert len(PACK) == 6
    for rule in PACK.values():
        LANG.compile(rule.expression)
        assert rule.message_zh and rule.message_en


HOME: History = [(pos_purchase(cny(50), region="CN-BJ"), DAY - timedelta(days=3), True)]


def test_skimmed_card_cash_out() -> None:
    stripe = atm_withdrawal(cny(2_000), region="CN-GD", entry_mode=EntryMode.MAGSTRIPE)
    assert fires("skimmed_card_cash_out", stripe, NIGHT, HOME)
    fallback = atm_withdrawal(cny(2_000), region="CN-GD",
                              entry_mode=EntryMode.MAGSTRIPE_FALLBACK)
    assert fires("skimmed_card_cash_out", fallback, NIGHT, HOME)
    # the nearest innocent ones: the chip (a clone has none), the home province, the day
    chip = atm_withdrawal(cny(2_000), region="CN-GD")
    assert not fires("skimmed_card_cash_out", chip, NIGHT, HOME)
    home = atm_withdrawal(cny(2_000), region="CN-BJ", entry_mode=EntryMode.MAGSTRIPE)
    assert not fires("skimmed_card_cash_out", home, NIGHT, HOME)
    assert not fires("skimmed_card_cash_out", stripe, DAY, HOME)


def test_inquiry_then_cash_in_another_city() -> None:
    inquiry = balance_inquiry(region="CN-BJ", city="Beijing")
    elsewhere = atm_withdrawal(cny(3_000), region="CN-TJ", city="Tianjin")
    assert fires("inquiry_then_cash_elsewhere", elsewhere, DAY,
                 [(inquiry, DAY - timedelta(minutes=12), True)])
    # innocent: checking the balance, then taking cash at the same place (or much later)
    same = atm_withdrawal(cny(3_000), region="CN-BJ", city="Beijing")
    assert not fires("inquiry_then_cash_elsewhere", same, DAY,
                     [(inquiry, DAY - timedelta(minutes=12), True)])
    assert not fires("inquiry_then_cash_elsewhere", elsewhere, DAY,
                     [(inquiry, DAY - timedelta(minutes=16), True)])


def test_impossible_travel() -> None:
    beijing: History = [(pos_purchase(cny(80), region="CN-BJ"), DAY - timedelta(minutes=50), True)]
    guangzhou = pos_purchase(cny(500), region="CN-GD")  # ~1,900 km away
    assert fires("impossible_travel", guangzhou, DAY, beijing)
    # innocent: the same trip by air (four hours), and a website registered far away
    flown: History = [(pos_purchase(cny(80), region="CN-BJ"), DAY - timedelta(hours=4), True)]
    assert not fires("impossible_travel", guangzhou, DAY, flown)
    website: History = [(online_purchase(cny(80), region="CN-GD"),
                         DAY - timedelta(minutes=5), True)]
    assert not fires("impossible_travel", pos_purchase(cny(80), region="CN-BJ"), DAY,
                     beijing + website)


def burst(at: datetime, n: int = 3) -> History:
    return [(quick_payment("AGR9", cny(99)), at - timedelta(minutes=5 * (n - i)), True)
            for i in range(n)]


def test_night_burst_of_quick_payments_on_a_new_binding() -> None:
    bound = {"binding": NIGHT - timedelta(hours=2)}
    fourth = quick_payment("AGR9", cny(99))
    assert fires("night_quick_pay_burst", fourth, NIGHT, burst(NIGHT), bound)
    # innocent: a binding of months ago, the same burst by day, or only the second one
    assert not fires("night_quick_pay_burst", fourth, NIGHT, burst(NIGHT),
                     {"binding": NIGHT - timedelta(days=90)})
    assert not fires("night_quick_pay_burst", fourth, DAY, burst(DAY),
                     {"binding": DAY - timedelta(hours=2)})
    assert not fires("night_quick_pay_burst", fourth, NIGHT, burst(NIGHT, 1), bound)


def probes(approved: int, declined: int) -> History:
    out: History = []
    for i in range(approved + declined):
        out.append((online_purchase(cny(1, 50)), DAY - timedelta(minutes=30 - i),
                    i >= declined))
    return out


def test_card_testing() -> None:
    large = online_purchase(cny(3_000))
    assert fires("card_testing", large, DAY, probes(approved=1, declined=5))
    # innocent: small purchases that went through, then a large one; or no large one
    assert not fires("card_testing", large, DAY, probes(approved=5, declined=1))
    assert not fires("card_testing", online_purchase(cny(2)), DAY,
                     probes(approved=1, declined=5))
    # a large attempt among them: not a test of small amounts
    assert not fires("card_testing", large, DAY,
                     [*probes(1, 5), (online_purchase(cny(800)), DAY, False)])


def test_first_use_abroad_then_online_overseas() -> None:
    bangkok: History = [(pos_purchase(cny(300), country="TH", region=None),
                         DAY - timedelta(minutes=20), True)]
    overseas_site = online_purchase(cny(600), country="US")
    assert fires("abroad_then_online_overseas", overseas_site, DAY, bangkok)
    # innocent: online at home after a trip's first use, or days into the trip
    assert not fires("abroad_then_online_overseas", online_purchase(cny(600)), DAY, bangkok)
    days_later: History = [(pos_purchase(cny(300), country="TH", region=None),
                   DAY - timedelta(days=3), True)]
    assert not fires("abroad_then_online_overseas", overseas_site, DAY, days_later)


def test_the_screen_runs_only_the_rules_a_request_could_match() -> None:
    """A chip purchase at a till: of the pack, only impossible travel (card present) is
    run; the screen's answer is kept per request shape."""
    from smartguard.service_layer import monitoring
    live = tuple(r for r in monitoring_rules())

    def screen(request: AuthorizationRequest) -> tuple:
        variables = Variables(request, "active", "debit_standard", Controls(),
                              CardActivity("Asia/Shanghai"), DAY, DAY.astimezone(ZONE))
        return monitoring._screen(LANG, live, request, variables)

    screened = screen(pos_purchase(cny(50)))
    assert [r.id for r in screened] == ["impossible_travel"]
    assert screen(pos_purchase(cny(70))) is screened  # the same shape
    online = online_purchase(cny(50), country="US")
    assert [r.id for r in screen(online)] == ["card_testing", "abroad_then_online_overseas"]
    chip_cash = [r.id for r in screen(atm_withdrawal(cny(50)))]
    assert chip_cash == ["inquiry_then_cash_elsewhere", "impossible_travel"]  # not by chip
    stripe = atm_withdrawal(cny(50), entry_mode=EntryMode.MAGSTRIPE)
    assert [r.id for r in screen(stripe)] == ["skimmed_card_cash_out", *chip_cash]


def monitoring_rules() -> list:
    from smartguard.domain.rules import MonitoringRule, RuleStatus
    return [MonitoringRule(s.id, 1, s.name, s.expression, s.action, RuleStatus.ACTIVE,
                           s.message_zh, s.message_en, "test", DAY) for s in starter_rules()]
