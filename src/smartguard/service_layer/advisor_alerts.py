"""The one place the advisor's alerts leave from: a travel exception that starts or ends,
and a new quick-payment agreement (a binding the cardholder may not have meant to sign).

Seam for the alerts outbox (SPEC 5: alerts go through a transactional outbox). The outbox
is being built beside this work; until it is merged, :func:`publish` records each alert, in
the cardholder's language, in the audit trail (action ``alert.<event>``), in the caller's
transaction. Once the outbox exists, this function writes the outbox row instead (one
call: ``notify.emit(uow, ctx, <Alert>)``); its callers do not change.
"""

from __future__ import annotations

from typing import Any

from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuditEntry, CardRecord


def publish(uow: UnitOfWork, ctx: Context, card: CardRecord, event: str,
            texts: dict[str, str], data: dict[str, Any]) -> None:
    """Alert the cardholder of ``card``: ``texts`` holds the message per language
    (``zh-CN``, ``en``), ``data`` the details a webhook receiver gets."""
    language = card.cardholder.language.value
    uow.audit.add(AuditEntry(
        ctx.clock(), "system", "system", f"alert.{event}", card.card.id,
        card.cardholder.id, None, {"text": texts[language], **data},
    ))
