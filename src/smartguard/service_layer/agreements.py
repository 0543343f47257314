"""Use cases: quick-payment agreements (快捷支付安全管理, SPEC 3.10). The processor
registers a binding when a third party's payment agreement is signed; the cardholder lists
them, suspends, resumes or revokes one and sets its own limits. Every change is audited;
a new binding alerts the cardholder (hidden bindings are a known fraud)."""

from __future__ import annotations

from dataclasses import replace

from smartguard.domain.agreements import (
    AgreementAction,
    agreement_limits,
    binding_alert,
    next_agreement_status,
)
from smartguard.domain.cards import CardStatus
from smartguard.domain.errors import InvalidInput
from smartguard.domain.state import AgreementStatus
from smartguard.domain.transactions import Channel
from smartguard.errors import Conflict, InvalidState, UnknownAgreement, UnknownCard
from smartguard.service_layer import notify
from smartguard.service_layer.authorize import CardRef
from smartguard.service_layer.cards import card_for
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.history import binding
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.protections import ceilings_for
from smartguard.service_layer.records import AgreementRecord, AuditEntry, CardRecord

Limits = tuple[int | None, int | None]  # per transaction, daily


def _state(r: AgreementRecord) -> dict[str, object]:
    return {"status": r.status.value, "payee": r.payee, "per_txn_limit": r.per_txn_limit,
            "daily_limit": r.daily_limit}


def _checked(uow: UnitOfWork, ctx: Context, card: CardRecord, limits: Limits) -> Limits:
    ceiling = ceilings_for(uow, ctx, card.card.product).channels[Channel.ONLINE].daily_amount
    assert ceiling is not None
    return agreement_limits(limits[0], limits[1], ceiling)


def register_agreement(uow: UnitOfWork, ctx: Context, actor: Actor, ref: CardRef,
                       agreement_id: str, payee: str, limits: Limits = (None, None)
                       ) -> tuple[AgreementRecord, bool]:
    """Register a binding; returns it and whether it is new. Registering the same id for
    the same card and payee again is answered with the stored binding."""
    if not agreement_id.strip() or not payee.strip():
        raise InvalidInput("agreement_id" if not agreement_id.strip() else "payee",
                           "must not be empty")
    card = ref.load(uow, lock=True)
    if card is None:
        raise UnknownCard("no such card is enrolled")
    existing = uow.agreements.get(agreement_id)
    if existing is not None:
        if existing.card_id != card.card.id or existing.payee != payee.strip():
            raise Conflict("this agreement id is already registered for another binding")
        return existing, False
    if card.card.status is not CardStatus.ACTIVE:
        raise InvalidState(f"the card is {card.card.status.value}: no new bindings")
    per_txn, daily = _checked(uow, ctx, card, limits)
    now = ctx.clock()
    record = AgreementRecord(agreement_id, card.card.id, payee.strip(), AgreementStatus.ACTIVE,
                             now, per_txn, daily)
    uow.agreements.add(record)
    uow.audit.add(AuditEntry(now, actor.id, actor.channel, "agreement.register",
                             card.card.id, card.card.cardholder_id, None, _state(record)))
    _alert_new(uow, ctx, card, record)
    return record, True


def _alert_new(uow: UnitOfWork, ctx: Context, card: CardRecord, r: AgreementRecord) -> None:
    notify.emit(uow, ctx, binding_alert(notify.recipient(card), binding(r)))


def agreements_for(uow: UnitOfWork, actor: Actor, card_id: str) -> list[AgreementRecord]:
    card_for(uow, actor, card_id)
    return uow.agreements.for_card(card_id)


def _owned(uow: UnitOfWork, actor: Actor, card_id: str, agreement_id: str
           ) -> tuple[CardRecord, AgreementRecord]:
    card = card_for(uow, actor, card_id, lock=True)
    record = uow.agreements.get(agreement_id)
    if record is None or record.card_id != card_id:
        raise UnknownAgreement(f"no agreement {agreement_id} on this card")
    return card, record


def change_agreement(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
                     agreement_id: str, action: AgreementAction) -> AgreementRecord:
    """Suspend, resume or revoke; takes effect on the next quick payment."""
    card, record = _owned(uow, actor, card_id, agreement_id)
    target = next_agreement_status(record.status, action)
    if target is None:
        raise InvalidState(f"cannot {action.value} an agreement that is revoked")
    if target is record.status:
        return record
    updated = replace(record, status=target)
    _save(uow, ctx, actor, card, record, updated, f"agreement.{action.value}")
    return updated


def set_agreement_limits(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
                         agreement_id: str, limits: Limits) -> AgreementRecord:
    """Set the binding's own per-payment and daily limits (None: no limit of its own)."""
    card, record = _owned(uow, actor, card_id, agreement_id)
    if record.status is AgreementStatus.REVOKED:
        raise InvalidState("the agreement is revoked")
    per_txn, daily = _checked(uow, ctx, card, limits)
    updated = replace(record, per_txn_limit=per_txn, daily_limit=daily)
    if updated != record:
        _save(uow, ctx, actor, card, record, updated, "agreement.limits")
    return updated


def _save(uow: UnitOfWork, ctx: Context, actor: Actor, card: CardRecord,
          old: AgreementRecord, new: AgreementRecord, action: str) -> None:
    uow.agreements.update(new)
    uow.audit.add(AuditEntry(ctx.clock(), actor.id, actor.channel, action, card.card.id,
                             card.card.cardholder_id, {"agreement_id": old.id, **_state(old)},
                             {"agreement_id": new.id, **_state(new)}))
