"""Use case: a balance movement reported by core banking, applied once per posting id."""

from __future__ import annotations

from smartguard.domain.errors import InvalidInput
from smartguard.domain.money import MAX_AMOUNT
from smartguard.domain.transactions import Posting
from smartguard.errors import IdempotencyConflict, UnknownAccount
from smartguard.service_layer import notify
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import PostingRecord


def post(uow: UnitOfWork, ctx: Context, posting: Posting) -> tuple[PostingRecord, bool]:
    """Apply ``posting``; returns the record and whether it had already been applied."""
    if posting.amount == 0 or abs(posting.amount) > MAX_AMOUNT:
        raise InvalidInput("amount", "must be a non-zero signed amount in minor units",
                           "invalid_amount")
    earlier = uow.postings.get(posting.posting_id)
    if earlier is not None:
        if (earlier.account_id, earlier.amount) != (posting.account_id, posting.amount):
            raise IdempotencyConflict("this posting id was already used for another posting")
        return earlier, True
    if uow.accounts.get(posting.account_id) is None:
        raise UnknownAccount(f"no account {posting.account_id}")
    balance = uow.accounts.adjust_balance(posting.account_id, posting.amount)
    record = PostingRecord(
        posting.posting_id, posting.account_id, posting.amount, posting.description,
        balance, ctx.clock(),
    )
    uow.postings.add(record)
    card = notify.account_card(uow, posting.account_id)
    if card is not None:
        notify.after_balance_change(uow, ctx, card, "posting", posting.amount,
                                    posting.description, record.received_at)
    return record, False
