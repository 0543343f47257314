"""Use cases: the cardholder confirms or rejects a verification challenge."""

from __future__ import annotations

import hmac

from smartguard.domain.challenges import Challenge, ChallengeStatus
from smartguard.errors import InvalidState, UnknownChallenge
from smartguard.service_layer.cards import card_for
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuditEntry


def answer_challenge(
    uow: UnitOfWork, ctx: Context, actor: Actor, challenge_id: str, confirm: bool,
    code: str | None = None,
) -> Challenge:
    """Confirm (``confirm=True``) or reject a pending challenge. A ``code``, when given, must
    be the one sent to the cardholder; authenticated channels may answer without it."""
    challenge = uow.challenges.get(challenge_id)
    if challenge is None:
        raise UnknownChallenge(f"no challenge {challenge_id}")
    card = card_for(uow, actor, challenge.card_id)
    if code is not None and not hmac.compare_digest(ctx.hash_code(code), challenge.code_hash):
        raise UnknownChallenge("the code does not match this challenge")
    now = ctx.clock()
    if challenge.status is not ChallengeStatus.PENDING:
        raise InvalidState(f"the challenge is already {challenge.status.value}")
    if challenge.expired(now):
        raise InvalidState("the challenge has expired; try the purchase again")
    answered = challenge.resolve(confirm, now)
    uow.challenges.set_status(challenge_id, answered.status, now)
    uow.audit.add(AuditEntry(now, actor.id, actor.channel, f"challenge.{answered.status}",
                             challenge.card_id, card.card.cardholder_id,
                             challenge.status.value, answered.status.value))
    return answered
