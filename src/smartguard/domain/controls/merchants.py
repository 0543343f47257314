"""Merchant and merchant-category controls (SPEC 3.12). A blocked merchant (by card
acceptor id) is declined; a blocked category, or one above its own daily amount, too. A
category's block being lifted under a cool-down still blocks until it ends. Categories come
from the MCC (``categories.category_of``); a debit without one, or with one in no category,
is not touched by category controls. The allow-list and timed unlocks do not open them.
"""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.controls.categories import category_of
from smartguard.domain.controls.openings import gate
from smartguard.domain.controls.spending import category_target
from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.periods import category_key
from smartguard.domain.state import CardState
from smartguard.domain.transactions import AuthorizationRequest


def merchant_block(req: AuthorizationRequest, state: CardState, local: datetime
                   ) -> Verdict | None:
    blocked = state.controls.merchants.blocked
    if not blocked or not req.is_debit or req.merchant_id not in blocked:
        return None
    return Verdict(Reason.MERCHANT_BLOCKED, req.merchant_id)


def category_block(req: AuthorizationRequest, state: CardState, local: datetime
                   ) -> Verdict | None:
    controls = state.controls.categories
    if not controls or not req.is_debit:
        return None
    category = category_of(req.mcc)
    control = controls.get(category)  # type: ignore[arg-type]  # None: no control
    # lifts_at is UTC, local in the cardholder's zone: they compare as instants
    if control is None or category is None or not control.blocks_at(local):
        return None
    return gate(req, state, local, category_target(category),
                Verdict(Reason.CATEGORY_BLOCKED, category.value), openable=False)


def category_amount(req: AuthorizationRequest, state: CardState, local: datetime
                    ) -> Verdict | None:
    controls = state.controls.categories
    if not controls or not req.is_debit:
        return None
    category = category_of(req.mcc)
    control = controls.get(category)  # type: ignore[arg-type]  # None: no control
    if control is None or category is None or control.daily_amount is None:
        return None
    used = state.used(category_key(category.value)).day_amount
    if used + req.billing_amount <= control.daily_amount:
        return None
    return gate(req, state, local, category_target(category),
                Verdict(Reason.CATEGORY_LIMIT, category.value), openable=False)
