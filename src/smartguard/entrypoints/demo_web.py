"""The demo's web page: where it is, how a demo cardholder signs in, and the demo's "SMS log"
that shows each sign-in code as it is written to the outbox (the demo has no SMS centre)."""

from __future__ import annotations

import asyncio
from typing import Any

import click

from smartguard.bootstrap import App
from smartguard.domain.alerts import CODE_MARK, AlertKind
from smartguard.entrypoints.demo_data import HOLDERS
from smartguard.service_layer.alert_preferences import mask_phone
from smartguard.service_layer.messages import OutboxMessage, OutboxStatus, text_of
from smartguard.service_layer.ports import UnitOfWork

POLL_SECONDS = 0.5


def instructions(base: str) -> str:
    holder = HOLDERS[0]
    return f"""
Cardholder web page:   {base}/          (zh-CN; "English" at the top right)
  sign in as {holder.name}: card ending {holder.pan[-4:]}, phone {holder.phone[3:]};
  the SMS code appears below as "demo SMS" (no SMS centre in the demo).
Operator console:      {base}/console   (sign in with the operator key below)"""


def _new_codes(uow: UnitOfWork, seen: set[str]) -> list[OutboxMessage]:
    found = [m for m in uow.outbox.list(OutboxStatus.PENDING, "sms", None, 50)
             if m.kind == AlertKind.SIGN_IN.value and m.id not in seen]
    return list(reversed(found))


def demo_text(sg: App, m: OutboxMessage) -> str:
    """An SMS as the demo prints it: with its one-time code (this is a demo; a real
    SmartGuard shows codes to nobody), never the template's mark."""
    text = text_of(m)
    if CODE_MARK not in text:
        return text
    return text.replace(CODE_MARK, sg.ctx.unseal(m.sealed) if m.sealed else "******")


async def print_sign_in_codes(sg: App) -> None:
    """Print every sign-in SMS the page writes, code included, until cancelled."""
    seen: set[str] = set()
    while True:
        found = await asyncio.to_thread(sg.read, lambda uow: _new_codes(uow, seen))
        for m in found:
            seen.add(m.id)
            click.echo(f"demo SMS to {mask_phone(m.recipient)}: {demo_text(sg, m)}")
        await asyncio.sleep(POLL_SECONDS)


def start(sg: App) -> asyncio.Task[Any]:
    return asyncio.get_running_loop().create_task(print_sign_in_codes(sg))
