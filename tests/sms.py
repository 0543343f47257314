"""Reading what SmartGuard texted, straight from the outbox (as the SMS centre would get it)."""

from __future__ import annotations

from smartguard.domain.alerts import CODE_MARK, AlertKind
from smartguard.service_layer.context import Context
from smartguard.service_layer.messages import OutboxMessage
from smartguard.service_layer.ports import UnitOfWork


def texts_to(uow: UnitOfWork, phone: str, kind: AlertKind | None = None
             ) -> list[OutboxMessage]:
    """SMS written for ``phone`` (of ``kind``), newest first."""
    return [m for m in uow.outbox.list(None, "sms", None, 500)
            if m.recipient == phone and (kind is None or m.kind == kind.value)]


def sign_in_code(uow: UnitOfWork, ctx: Context, phone: str) -> str:
    """The sign-in code last texted to ``phone``, unsealed as the relay would send it."""
    found = texts_to(uow, phone, AlertKind.SIGN_IN)
    assert found, f"no sign-in code was texted to {phone}"
    assert found[0].sealed is not None and CODE_MARK in found[0].text
    return ctx.unseal(found[0].sealed)
