"""The bank's monitoring rules in a configuration: the starter pack (docs/rules.md
#the-starter-pack), installed on the simulation's store through the real use cases, as an
operator would (``starter_pack.install`` in shadow, then ``rules.move`` to active; under
four eyes a second operator activates), before any cardholder is enrolled."""

from __future__ import annotations

from smartguard.domain.rules import RuleStatus
from smartguard.service_layer import rules as ru
from smartguard.service_layer import starter_pack
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork

OPERATOR = Actor("simulator-operator", "cli")
SECOND = Actor("simulator-operator-2", "cli")  # the second pair of eyes
#: How a configuration names the pack's status (TOML ``rules = "active"``).
STATUSES = {"shadow": RuleStatus.SHADOW, "active": RuleStatus.ACTIVE}


def install(uow: UnitOfWork, ctx: Context, status: RuleStatus) -> int:
    """Install the starter pack in ``status`` (shadow or active); how many rules are
    live."""
    if status not in (RuleStatus.SHADOW, RuleStatus.ACTIVE):
        raise ValueError("the simulator runs the starter pack in shadow or active")
    for done in starter_pack.install(uow, ctx, OPERATOR, RuleStatus.SHADOW):
        if status is RuleStatus.ACTIVE:
            rule = ru.move(uow, ctx, OPERATOR, done.rule_id, RuleStatus.ACTIVE)
            if rule.status is not RuleStatus.ACTIVE:  # four eyes: the first one asked
                ru.move(uow, ctx, SECOND, done.rule_id, RuleStatus.ACTIVE)
    return len(uow.rules.live())
