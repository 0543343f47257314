"""Quick-payment agreements (SPEC 3.10): what a cardholder may do to a binding, and the
checks on its own limits."""

from __future__ import annotations

import pytest

from smartguard.domain.agreements import (
    AgreementAction,
    agreement_limits,
    next_agreement_status,
)
from smartguard.domain.errors import InvalidInput
from smartguard.domain.state import AgreementStatus as S
from tests.builders import cny

A = AgreementAction


@pytest.mark.parametrize(("current", "action", "after"), [
    (S.ACTIVE, A.SUSPEND, S.SUSPENDED), (S.SUSPENDED, A.SUSPEND, S.SUSPENDED),
    (S.SUSPENDED, A.RESUME, S.ACTIVE), (S.ACTIVE, A.RESUME, S.ACTIVE),
    (S.ACTIVE, A.REVOKE, S.REVOKED), (S.SUSPENDED, A.REVOKE, S.REVOKED),
    (S.REVOKED, A.REVOKE, S.REVOKED),
])
def test_allowed_changes(current, action, after):
    assert next_agreement_status(current, action) is after


@pytest.mark.parametrize("action", [A.SUSPEND, A.RESUME])
def test_a_revoked_agreement_stays_revoked(action):
    assert next_agreement_status(S.REVOKED, action) is None


def test_limits_may_be_left_unset():
    assert agreement_limits(None, None, cny(50_000)) == (None, None)


def test_limits_at_the_ceiling_are_accepted_and_above_it_refused():
    assert agreement_limits(cny(500), cny(50_000), cny(50_000)) == (cny(500), cny(50_000))
    with pytest.raises(InvalidInput) as err:
        agreement_limits(None, cny(50_000, 1), cny(50_000))
    assert (err.value.field, err.value.code) == ("daily_limit", "above_ceiling")


def test_a_per_payment_limit_above_the_daily_one_is_refused():
    with pytest.raises(InvalidInput) as err:
        agreement_limits(cny(600), cny(500), cny(50_000))
    assert err.value.field == "per_txn_limit"


@pytest.mark.parametrize("bad", [0, -1, True])
def test_limits_are_positive_whole_minor_units(bad):
    with pytest.raises(InvalidInput):
        agreement_limits(bad, None, cny(50_000))
