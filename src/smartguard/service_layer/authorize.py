"""Use case: decide an authorization request and apply its effects, exactly once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from smartguard.domain import challenges as ch
from smartguard.domain.challenges import Challenge, ChallengeStatus
from smartguard.domain.controls.spending import Switch
from smartguard.domain.decisions import Decision, Outcome
from smartguard.domain.engine import decide
from smartguard.domain.pan import check_pan
from smartguard.domain.periods import counter_keys, day_key, local_time, month_key
from smartguard.domain.state import Agreement, CardState, TravelAllowance
from smartguard.domain.transactions import AuthorizationRequest, MessageKind, given_back
from smartguard.errors import IdempotencyConflict, InvalidInput, UnknownCard
from smartguard.service_layer import activity, monitoring, notify, travel
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import RowLock, UnitOfWork
from smartguard.service_layer.protections import ceilings_for
from smartguard.service_layer.records import (
    AuthorizationRecord,
    CardRecord,
    ReversalRecord,
    ReversalStatus,
)


@dataclass(frozen=True, slots=True)
class OpenedChallenge:
    challenge: Challenge
    code: str | None  # the one-time code, only when this request made it (for the SMS)


@dataclass(frozen=True, slots=True)
class AuthorizationResult:
    record: AuthorizationRecord
    card: CardRecord
    duplicate: bool = False
    challenge: OpenedChallenge | None = None


@dataclass(frozen=True, slots=True)
class CardRef:
    """How a request names its card: by the PAN's keyed hash, or by card id (a token)."""

    pan_hash: str | None = None
    card_id: str | None = None

    @classmethod
    def from_pan(cls, pan: str, hash_pan: Callable[[str], str]) -> CardRef:
        """The one way a PAN becomes a reference: checked (length, digits, Luhn), then
        hashed; the PAN goes no further."""
        return cls(pan_hash=hash_pan(check_pan(pan)))

    @property
    def lock(self) -> RowLock | None:
        """The card's row, as the writer locks it before the batch's jobs run."""
        if self.pan_hash is not None:
            return ("pan", self.pan_hash)
        return ("card", self.card_id) if self.card_id else None

    def lock_for(self, request: AuthorizationRequest) -> RowLock | None:
        """The card's row, and the key :func:`authorize` looks up first."""
        lock = self.lock
        return None if lock is None else (lock[0], lock[1], request.idempotency_key)

    def load(self, uow: UnitOfWork, lock: bool = False) -> CardRecord | None:
        if self.pan_hash is not None:
            return uow.cards.by_pan_hash(self.pan_hash, lock)
        return uow.cards.get(self.card_id, lock) if self.card_id else None


def fingerprint(card_id: str, r: AuthorizationRequest) -> str:
    """What must match for a repeated key to be a duplicate rather than a conflict."""
    raw = f"{card_id}|{r.kind}|{r.amount}|{r.currency}|{r.billing_amount}|{r.merchant_id}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def authorize(
    uow: UnitOfWork, ctx: Context, ref: CardRef, request: AuthorizationRequest,
    billing_given: bool = True,
) -> AuthorizationResult:
    """Decide ``request`` for the card ``ref`` names. When the sender stated no billing
    amount (``billing_given=False``), the transaction must be in the card's currency."""
    card = ref.load(uow, lock=True)  # one writer per card at a time (PostgreSQL)
    existing = uow.authorizations.by_key(request.idempotency_key)
    if existing is not None:
        if card is None or existing.fingerprint != fingerprint(card.card.id, request):
            raise IdempotencyConflict(
                "this acquirer id, STAN and transmission time were already used "
                "for a different request"
            )
        return AuthorizationResult(existing, card, duplicate=True)
    if card is None:
        raise UnknownCard("no such card is enrolled")
    if not billing_given and request.currency != card.account.currency:
        raise InvalidInput("billing_amount", f"required: the transaction is in "
                           f"{request.currency}, the card in {card.account.currency}")
    now = ctx.clock()
    local = local_time(now, card.cardholder.timezone)
    day, month = day_key(local), month_key(local)
    watched = monitoring.evaluate(uow, ctx.rule_language, card, request, now, local)
    state = _load_state(uow, ctx, card, request, day, month, now)
    if watched.verdict is not None:
        state = replace(state, monitoring=watched.verdict)
    decision = decide(request, state, now)
    if decision.outcome is Outcome.VERIFY:
        decision, state = _with_credit(uow, card, request, state, decision, now)
    fp = fingerprint(card.card.id, request)
    result = _record(uow, ctx, card, request, decision, fp, now, (day, month))
    monitoring.record(uow, watched, result.record.id, card.card.id, now,
                      request.billing_amount)
    return result


def _load_state(
    uow: UnitOfWork, ctx: Context, card: CardRecord, request: AuthorizationRequest,
    day: str, month: str, now: datetime,
) -> CardState:
    c = card.card
    keys = counter_keys(request, card.controls.categories) if request.is_debit else ()
    usage = uow.usage.get(c.id, keys, day, month) if keys else {}
    return CardState(
        status=c.status,
        controls=card.controls,
        balance=card.account.balance,
        timezone=card.cardholder.timezone,
        ceilings=ceilings_for(uow, ctx, c.product),
        usage=usage,
        agreement=_agreement(uow, c.id, request.agreement_id),
        travel=_travel(uow, card, request, now),
    )


def _agreement(uow: UnitOfWork, card_id: str, agreement_id: str | None) -> Agreement | None:
    if agreement_id is None:
        return None
    rec = uow.agreements.get(agreement_id)
    if rec is None or rec.card_id != card_id:
        return None
    return Agreement(rec.id, rec.status, rec.per_txn_limit, rec.daily_limit)


def _travel(uow: UnitOfWork, card: CardRecord, request: AuthorizationRequest,
            now: datetime) -> tuple[TravelAllowance, ...]:
    """Travel exceptions, read only when a lock or the ``abroad`` switch they could open
    would stop ``request`` (so the usual transaction pays no extra query)."""
    c = card.controls
    domestic = request.is_domestic
    if not domestic and request.is_debit and Switch.ABROAD in c.switches.off:
        return travel.allowances(uow, card.card.id, now)
    lock = c.region_lock if domestic else c.overseas_lock
    place = request.region if domestic else request.country
    if not (request.is_offline and lock.enabled) or place in lock.places:
        return ()
    return travel.allowances(uow, card.card.id, now)


def _with_credit(
    uow: UnitOfWork, card: CardRecord, request: AuthorizationRequest, state: CardState,
    decision: Decision, now: datetime,
) -> tuple[Decision, CardState]:
    confirmed = uow.challenges.for_card(card.card.id, (ChallengeStatus.CONFIRMED,))
    credit = ch.usable_credit(confirmed, request, now)
    if credit is None:
        return decision, state
    state = replace(state, credit=credit)
    return decide(request, state, now), state


def _record(
    uow: UnitOfWork, ctx: Context, card: CardRecord, request: AuthorizationRequest,
    decision: Decision, fp: str, now: datetime, period: tuple[str, str],
) -> AuthorizationResult:
    auth_id = ctx.new_id("auth")
    pending = uow.reversals.pending(request.idempotency_key)
    balance, keys, returned = _effects(uow, card, request, decision, period, now, pending)
    fully_reversed = pending is not None and pending.actual_amount is None
    challenge = None
    if decision.outcome is Outcome.VERIFY:
        challenge = _open_challenge(uow, ctx, card, request, decision, auth_id, now)
    record = AuthorizationRecord(
        id=auth_id, card_id=card.card.id, fingerprint=fp, received_at=now, request=request,
        outcome=decision.outcome, response_code=decision.response_code,
        verdicts=decision.verdicts,
        approval_code=ctx.new_code() if decision.approved else None,
        balance_after=balance, day=period[0], month=period[1], counters=keys,
        challenge_id=challenge.challenge.id if challenge else None,
        challenge_used=decision.challenge_used,
        reversed_at=now if fully_reversed and decision.approved else None,
        alerts=decision.alerts,
    )
    uow.authorizations.add(record)
    partial = pending is not None and pending.actual_amount is not None
    activity.after_decision(uow, record, returned if partial else None)
    if pending is not None:
        status = ReversalStatus.APPLIED if returned else ReversalStatus.NO_EFFECT
        uow.reversals.resolve(pending.id, status, auth_id, now, returned)
    code = challenge.code if challenge else None
    expires = challenge.challenge.expires_at if challenge else None
    notify.after_authorization(uow, ctx, card, record, decision, code, expires)
    return AuthorizationResult(record, card, challenge=challenge)


def _effects(
    uow: UnitOfWork, card: CardRecord, request: AuthorizationRequest, decision: Decision,
    period: tuple[str, str], now: datetime, pending: ReversalRecord | None,
) -> tuple[int, tuple[str, ...], int | None]:
    """Apply an approved request. A reversal that came before it (``pending``): a full one
    leaves it without effect; a partial one lets it through for the amount that really
    took place. Returns the balance after, the counters moved, and what the reversal gave
    back (None: nothing)."""
    if not decision.approved:
        return card.account.balance, (), None
    moves = request.kind is not MessageKind.BALANCE_INQUIRY
    if pending is not None and pending.actual_amount is None:
        return card.account.balance, (), request.billing_amount if moves else None
    balance, keys = _apply(uow, card, request, decision, period, now)
    if pending is None or not moves:
        return balance, keys, None
    _, balance = give_back(uow, card.card.account_id, card.card.id, request, keys, period,
                           pending.actual_amount)
    return balance, keys, given_back(request, pending.actual_amount) or None


def _apply(
    uow: UnitOfWork, card: CardRecord, request: AuthorizationRequest, decision: Decision,
    period: tuple[str, str], now: datetime,
) -> tuple[int, tuple[str, ...]]:
    """Move the balance and the usage counters for an approved request."""
    c = card.card
    if request.kind is MessageKind.BALANCE_INQUIRY:
        return card.account.balance, ()
    if request.kind is MessageKind.REFUND:
        return uow.accounts.adjust_balance(c.account_id, request.billing_amount), ()
    keys = counter_keys(request, card.controls.categories)
    uow.usage.add(c.id, keys, period[0], period[1], request.billing_amount, 1)
    if request.agreement_id is not None:
        uow.agreements.mark_used(request.agreement_id, now)
    if decision.challenge_used is not None:
        uow.challenges.set_status(decision.challenge_used, ChallengeStatus.USED, now)
    return uow.accounts.adjust_balance(c.account_id, -request.billing_amount), keys


def give_back(uow: UnitOfWork, account_id: str, card_id: str, r: AuthorizationRequest,
              counters: tuple[str, ...], period: tuple[str, str],
              actual_amount: int | None) -> tuple[int, int]:
    """Move the balance and usage counters back by what a reversal of ``r`` gives back
    (all of it, count included, or above ``actual_amount`` for a partial reversal, which
    keeps the count: the transaction happened). Returns the signed change of balance and
    the balance after it."""
    amount = given_back(r, actual_amount)
    delta = -amount if r.kind is MessageKind.REFUND else amount
    balance = uow.accounts.adjust_balance(account_id, delta)
    if counters:
        uow.usage.add(card_id, counters, period[0], period[1], -amount,
                      -1 if actual_amount is None else 0)
    return delta, balance


def _open_challenge(
    uow: UnitOfWork, ctx: Context, card: CardRecord, request: AuthorizationRequest,
    decision: Decision, auth_id: str, now: datetime,
) -> OpenedChallenge:
    """Open a challenge for this decision, or reuse one still open for the same purchase
    (then no new code is made: the cardholder already has one)."""
    pending = uow.challenges.for_card(card.card.id, (ChallengeStatus.PENDING,))
    existing = ch.open_for(pending, request, now)
    if existing is not None:
        return OpenedChallenge(existing, None)
    code = ctx.new_code()
    challenge = Challenge(
        id=ctx.new_id("chl"), card_id=card.card.id, authorization_id=auth_id,
        reason=str(decision.primary), merchant_id=request.merchant_id,
        merchant_name=request.merchant_name, amount=request.billing_amount,
        currency=card.account.currency, code_hash=ctx.hash_code(code), created_at=now,
        expires_at=now + ctx.challenge_validity,
    )
    uow.challenges.add(challenge)
    return OpenedChallenge(challenge, code)
