"""Quick-payment security (快捷支付安全管理, SPEC 3.10): a quick payment through an agreement
the card does not have, or one that is suspended or revoked, or above the agreement's own
limits, is declined."""

from __future__ import annotations

import pytest

from smartguard.domain.decisions import Reason
from smartguard.domain.periods import agreement_key
from smartguard.domain.state import Agreement, AgreementStatus, Usage
from tests.builders import card_state, cny, judge, online_purchase, quick_payment, refund


def with_agreement(status=AgreementStatus.ACTIVE, per_txn=None, daily=None, used=0):
    return card_state(
        agreement=Agreement("AGR1", status, per_txn, daily),
        usage={agreement_key("AGR1"): Usage(used, 1, used)} if used else None,
    )


def test_quick_payment_through_an_active_agreement_is_approved():
    assert judge(quick_payment("AGR1"), with_agreement()).approved


def test_quick_payment_through_a_suspended_agreement_is_declined():
    decision = judge(quick_payment("AGR1"), with_agreement(AgreementStatus.SUSPENDED))
    assert decision.primary is Reason.AGREEMENT_SUSPENDED
    assert decision.response_code == "57"


def test_quick_payment_through_a_revoked_agreement_is_declined():
    decision = judge(quick_payment("AGR1"), with_agreement(AgreementStatus.REVOKED))
    assert decision.primary is Reason.AGREEMENT_REVOKED


def test_quick_payment_through_an_agreement_the_card_does_not_have_is_declined():
    assert judge(quick_payment("AGR9"), card_state()).primary is Reason.AGREEMENT_UNKNOWN


def test_quick_payment_naming_another_agreement_than_the_loaded_one_is_declined():
    assert judge(quick_payment("AGR2"), with_agreement()).primary is Reason.AGREEMENT_UNKNOWN


def test_quick_payment_above_the_agreement_per_transaction_limit_is_declined():
    decision = judge(quick_payment("AGR1", cny(500, 1)), with_agreement(per_txn=cny(500)))
    assert decision.primary is Reason.AGREEMENT_LIMIT
    assert decision.verdicts[0].detail == "per_txn"
    assert decision.response_code == "61"


def test_quick_payment_at_the_agreement_per_transaction_limit_is_approved():
    assert judge(quick_payment("AGR1", cny(500)), with_agreement(per_txn=cny(500))).approved


@pytest.mark.parametrize(("amount", "approved"), [(cny(200), True), (cny(200, 1), False)])
def test_agreement_daily_limit_counts_what_the_agreement_used_today(amount, approved):
    state = with_agreement(daily=cny(1_000), used=cny(800))
    decision = judge(quick_payment("AGR1", amount), state)
    assert decision.approved is approved
    if not approved:
        assert decision.verdicts[0].detail == "daily_amount"


def test_an_online_purchase_without_an_agreement_is_not_judged_by_this_rule():
    assert judge(online_purchase(), card_state()).approved


def test_a_refund_through_a_revoked_agreement_is_not_blocked():
    req = refund(agreement_id="AGR1", card_present=False)
    assert judge(req, with_agreement(AgreementStatus.REVOKED)).approved
