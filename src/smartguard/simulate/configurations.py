"""The protection configurations compared side by side. Each says what a cardholder's card
is set to at enrolment, whether balance and inquiry alerts reach them, and whether the
check-up's recommendations are applied after the learning weeks.

These are the built-in ones (SPEC 3.1-3.11); the scenario adds its own, written in TOML
(``[configurations.NAME]``, configured.py), among them the controls beyond Smart Guard
(SPEC 3.12). Two run the bank's monitoring rules (3.13): the starter pack, active
(rulepack.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from smartguard.domain.advisor.recommend import SAFE_LIMITS
from smartguard.domain.controls import values as s
from smartguard.domain.errors import InvalidInput
from smartguard.domain.rules import RuleStatus
from smartguard.simulate.model import Holder

OFF = s.Verification(magstripe=False)  # every protection off, the stripe check too


@dataclass(frozen=True, slots=True)
class Configuration:
    name: str
    label: str
    controls: Callable[[Holder], s.Controls]
    alerts: bool = False  # balance-change, inquiry and decline alerts by SMS
    learn: bool = False  # apply the check-up's recommendations after the learning weeks
    sms: bool = True  # False: the bank sends no SMS at all (no SmartGuard: the baseline)
    #: the share of trips announced with a travel exception (None: the scenario's
    #: ``[cardholder] announces_trip``)
    announces: float | None = None
    #: the bank's starter pack of monitoring rules, installed in this status (None: no rule)
    rules: RuleStatus | None = None


def _home(h: Holder) -> s.RegionLock:
    return s.RegionLock(True, (h.home.province,))


NIGHT = s.NightLock(True, time(23), time(5))
NIGHT_ALL = s.NightLock(True, time(23), time(5), s.NightScope.ALL)
LARGE = s.Verification(magstripe=False, large_purchase=True)
BOTH = s.Verification(magstripe=True, large_purchase=True)


def _everything(h: Holder) -> s.Controls:
    return s.Controls(region_lock=_home(h), overseas_lock=s.OverseasLock(True, ()),
                      night_lock=NIGHT, overseas_cnp_lock=True, verification=BOTH,
                      limits=dict(SAFE_LIMITS))


CONFIGURATIONS: tuple[Configuration, ...] = (
    Configuration("none", "Nothing on (no SMS at all)",
                  lambda h: s.Controls(verification=OFF), sms=False),
    Configuration("icbc_defaults", "ICBC's defaults (stripe check, alerts)",
                  lambda h: s.Controls(), alerts=True),
    Configuration("region_lock", "Region lock (home province) alone",
                  lambda h: s.Controls(region_lock=_home(h), verification=OFF)),
    Configuration("overseas_lock", "Overseas lock alone",
                  lambda h: s.Controls(overseas_lock=s.OverseasLock(True, ()),
                                       verification=OFF)),
    Configuration("night_lock", "Night lock 23:00-05:00 alone",
                  lambda h: s.Controls(night_lock=NIGHT, verification=OFF)),
    Configuration("night_lock_all", "Night lock 23:00-05:00 on every payment, alone",
                  lambda h: s.Controls(night_lock=NIGHT_ALL, verification=OFF)),
    Configuration("overseas_cnp_lock", "Overseas card-not-present lock alone",
                  lambda h: s.Controls(overseas_cnp_lock=True, verification=OFF)),
    Configuration("magstripe_verification", "Magnetic-stripe verification alone",
                  lambda h: s.Controls()),
    Configuration("large_purchase_verification", "Large-purchase verification alone",
                  lambda h: s.Controls(verification=LARGE)),
    Configuration("limits", "Personal limits (safe defaults) alone",
                  lambda h: s.Controls(verification=OFF, limits=dict(SAFE_LIMITS))),
    Configuration("alerts", "Alerts and SMS stop-payment alone",
                  lambda h: s.Controls(verification=OFF), alerts=True),
    Configuration("checkup", "ICBC's defaults + the check-up's advice (learnt)",
                  lambda h: s.Controls(), alerts=True, learn=True),
    Configuration("recommended", "The recommended set (everything on, alerts)",
                  _everything, alerts=True),
    Configuration("starter_pack", "The bank's starter pack of rules (active) alone",
                  lambda h: s.Controls(verification=OFF), rules=RuleStatus.ACTIVE),
    Configuration("recommended_rules", "The recommended set + the starter pack (active)",
                  _everything, alerts=True, rules=RuleStatus.ACTIVE),
)
BY_NAME = {c.name: c for c in CONFIGURATIONS}


def chosen(names: tuple[str, ...], extra: tuple[Configuration, ...] = ()
           ) -> tuple[Configuration, ...]:
    """The configurations named (all for none), built-in ones then ``extra`` (the
    scenario's), in that order."""
    known = available(extra)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InvalidInput("configurations", f"unknown: {', '.join(unknown)}; known: "
                           + ", ".join(known))
    return tuple(c for c in known.values() if not names or c.name in names)


def available(extra: tuple[Configuration, ...] = ()) -> dict[str, Configuration]:
    """Every configuration by name: the built-in ones, then ``extra``; a name used twice
    is refused."""
    known = dict(BY_NAME)
    for c in extra:
        if c.name in known:
            raise InvalidInput(f"configurations.{c.name}", "a configuration of that name "
                               "exists already")
        known[c.name] = c
    return known
