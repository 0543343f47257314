"""The web page's storage on each real store: sign-in codes, sessions, attempt counters and
the console's decision counts."""

from __future__ import annotations

from datetime import timedelta

from smartguard.bootstrap import App
from smartguard.domain.decisions import Outcome
from smartguard.domain.pan import with_check_digit
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards, sessions, signin
from smartguard.service_layer.context import Actor
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord
from smartguard.service_layer.web_records import SessionKind, SignInCode
from tests.builders import atm_withdrawal, magstripe_purchase, pos_purchase
from tests.conftest import Clock

ACTOR = Actor("test", "test")
PAN = with_check_digit("622202100000000001")


def enrol(sg: App) -> CardRecord:
    def job(uow: UnitOfWork) -> CardRecord:
        h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "Wang", "+8613800000001")
        a = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", 1_000_000)
        return cards.enrol_card(uow, sg.ctx, ACTOR, PAN, a.id)

    return sg.write(job)


def test_a_sign_in_code_is_kept_counted_and_used(sg: App) -> None:
    rec = enrol(sg)
    now = sg.ctx.clock()
    code = SignInCode("sgn_1", rec.cardholder.id, rec.card.id, "hash", now,
                      now + timedelta(minutes=5))
    sg.write(lambda uow: uow.signins.add(code))
    sg.write(lambda uow: uow.signins.failed_attempt("sgn_1"))
    sg.write(lambda uow: uow.signins.use("sgn_1", now))
    found = sg.read(lambda uow: uow.signins.get("sgn_1"))
    assert found is not None
    assert (found.attempts, found.used_at, found.expires_at) == (1, now, code.expires_at)
    assert sg.read(lambda uow: uow.signins.get("sgn_2")) is None


def test_a_session_is_opened_touched_and_ended(sg: App, clock: Clock) -> None:
    rec = enrol(sg)
    token = sg.write(lambda uow: sessions.open_session(
        uow, sg.ctx, SessionKind.CARDHOLDER, rec.cardholder.id, rec.card.id))
    clock.now += timedelta(minutes=10)
    sg.write(lambda uow: sessions.touch_session(uow, sg.ctx, token))
    clock.now += timedelta(minutes=10)
    found = sg.read(lambda uow: sessions.current_session(uow, sg.ctx, token,
                                                         SessionKind.CARDHOLDER))
    assert found is not None and found.label == rec.card.id
    sg.write(lambda uow: sessions.end_session(uow, sg.ctx, token))
    assert sg.read(lambda uow: sessions.current_session(
        uow, sg.ctx, token, SessionKind.CARDHOLDER)) is None


def test_attempts_over_the_limit_are_refused_and_expire(sg: App, clock: Clock) -> None:
    limit = sessions.Limit(2, timedelta(minutes=15))
    results = [sg.write(lambda uow: sessions.attempt(uow, sg.ctx, "s", "+86138", limit))
               for _ in range(3)]
    assert results == [True, True, False]
    clock.now += timedelta(minutes=16)
    assert sg.write(lambda uow: sessions.attempt(uow, sg.ctx, "s", "+86138", limit))


def test_a_refused_attempt_is_still_counted(sg: App) -> None:
    """A use case that answers THROTTLED commits its attempt (it is a value, not an error)."""
    enrol(sg)
    for n in range(signin.PER_PHONE.count + 1):
        sg.write(lambda uow, n=n: signin.request_code(
            uow, sg.ctx, "0000", "+8613800000001", f"10.0.0.{n}"))
    result = sg.write(lambda uow: signin.request_code(
        uow, sg.ctx, "0000", "+8613800000001", "10.0.1.1"))
    assert result.outcome is signin.SignInStatus.THROTTLED


def test_decisions_are_counted_by_hour_outcome_and_primary_reason(sg: App,
                                                                 clock: Clock) -> None:
    rec = enrol(sg)
    ref = az.CardRef(card_id=rec.card.id)
    clock.set_local("2026-11-25T09:10")
    sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, pos_purchase(10_000)))
    sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, pos_purchase(20_000)))
    clock.set_local("2026-11-25T10:20")
    sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, magstripe_purchase(10_000)))
    sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, atm_withdrawal(600_000)))
    counts = sg.read(lambda uow: uow.authorizations.decision_counts(
        clock.now - timedelta(hours=24)))
    found = {(c.hour.hour, c.outcome, c.reason): c.count for c in counts}
    assert found == {
        (1, Outcome.APPROVE, None): 2,  # 09:00 Beijing is 01:00 UTC
        (2, Outcome.VERIFY, "magstripe_verification"): 1,
        (2, Outcome.DECLINE, "amount_limit"): 1,
    }
    later = sg.read(lambda uow: uow.authorizations.decision_counts(
        clock.now - timedelta(minutes=5)))
    assert sum(c.count for c in later) == 2
