"""Channel switches (SPEC 3.12): ATM cash, POS, online (domestic, overseas), contactless,
every payment abroad, quick payments; each on or off, all on for a new card. A debit
through a switched-off channel is declined with that switch's own reason.

Which switches a debit goes through: ``abroad`` for any overseas merchant; card present at
an ATM or kiosk taking cash, ``atm_cash``; card present at a POS, ``pos``, and also
``contactless`` when read contactless; card not present, ``quick_pay`` through an agreement,
else ``online_domestic`` or ``online_overseas``. A travel exception for the country opens
``abroad`` while it runs.
"""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.controls.openings import gate, travel_allows
from smartguard.domain.controls.spending import Switch, switch_target
from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.state import CardState
from smartguard.domain.transactions import AuthorizationRequest, Channel, EntryMode

REASONS: dict[Switch, Reason] = {
    Switch.ATM_CASH: Reason.ATM_CASH_OFF, Switch.POS: Reason.POS_OFF,
    Switch.ONLINE_DOMESTIC: Reason.ONLINE_DOMESTIC_OFF,
    Switch.ONLINE_OVERSEAS: Reason.ONLINE_OVERSEAS_OFF,
    Switch.CONTACTLESS: Reason.CONTACTLESS_OFF, Switch.ABROAD: Reason.ABROAD_OFF,
    Switch.QUICK_PAY: Reason.QUICK_PAY_OFF,
}


# Enum members as module constants: an attribute of an enum class costs a descriptor call.
_ABROAD, _QUICK_PAY, _ATM_CASH, _POS, _CONTACTLESS = (
    Switch.ABROAD, Switch.QUICK_PAY, Switch.ATM_CASH, Switch.POS, Switch.CONTACTLESS)
_ONLINE_DOMESTIC, _ONLINE_OVERSEAS = Switch.ONLINE_DOMESTIC, Switch.ONLINE_OVERSEAS
_CH_ONLINE, _CH_ATM_CASH, _CH_POS = Channel.ONLINE, Channel.ATM_CASH, Channel.POS
_TAP = EntryMode.CONTACTLESS
_VERDICTS = {s: Verdict(r) for s, r in REASONS.items()}
_TARGETS = {s: switch_target(s) for s in Switch}


def _with_abroad(*found: Switch) -> tuple[tuple[Switch, ...], tuple[Switch, ...]]:
    return found, (_ABROAD, *found)


# The answers of switches_of, made once: (domestic, overseas).
_QP, _OD_OO = _with_abroad(_QUICK_PAY), (((_ONLINE_DOMESTIC,), (_ABROAD, _ONLINE_OVERSEAS)))
_ATM, _POS_ONLY, _POS_TAP = (_with_abroad(_ATM_CASH), _with_abroad(_POS),
                             _with_abroad(_POS, _CONTACTLESS))
_NONE, _TAP_ONLY = _with_abroad(), _with_abroad(_CONTACTLESS)


def switches_of(req: AuthorizationRequest) -> tuple[Switch, ...]:
    """The switches a debit goes through, in the order their reasons take precedence."""
    where = 0 if req.is_domestic else 1
    channel = req.channel
    if channel is _CH_ONLINE:
        return (_QP if req.agreement_id is not None else _OD_OO)[where]
    if channel is _CH_ATM_CASH:
        return _ATM[where]
    tap = req.entry_mode is _TAP
    if channel is _CH_POS:
        return (_POS_TAP if tap else _POS_ONLY)[where]
    return (_TAP_ONLY if tap else _NONE)[where]


def channel_switches(
    req: AuthorizationRequest, state: CardState, local: datetime
) -> Verdict | None:
    off = state.controls.switches.off
    if not off or not req.is_debit:
        return None
    softened: Verdict | None = None
    for switch in switches_of(req):
        if switch not in off:
            continue
        verdict = _objection(req, state, local, switch)
        if verdict is not None:
            if not verdict.alert_only:
                return verdict
            softened = softened or verdict
    return softened


def _objection(req: AuthorizationRequest, state: CardState, local: datetime,
               switch: Switch) -> Verdict | None:
    if switch is _ABROAD:
        if travel_allows(state, req.country, local):
            return None
        found = Verdict(REASONS[switch], req.country)
    else:
        found = _VERDICTS[switch]
    return gate(req, state, local, _TARGETS[switch], found)
