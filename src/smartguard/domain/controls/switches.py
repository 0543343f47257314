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


def switches_of(req: AuthorizationRequest) -> tuple[Switch, ...]:
    """The switches a debit goes through, in the order their reasons take precedence."""
    found: tuple[Switch, ...] = () if req.is_domestic else (Switch.ABROAD,)
    channel = req.channel
    if channel is Channel.ONLINE:
        if req.agreement_id is not None:
            return (*found, Switch.QUICK_PAY)
        return (*found, Switch.ONLINE_DOMESTIC if req.is_domestic else Switch.ONLINE_OVERSEAS)
    if channel is Channel.ATM_CASH:
        return (*found, Switch.ATM_CASH)
    if channel is Channel.POS:
        found = (*found, Switch.POS)
    if req.entry_mode is EntryMode.CONTACTLESS:
        found = (*found, Switch.CONTACTLESS)
    return found


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
        if switch is Switch.ABROAD and travel_allows(state, req.country, local):
            continue
        detail = req.country if switch is Switch.ABROAD else ""
        verdict = gate(req, state, local, switch_target(switch),
                       Verdict(REASONS[switch], detail))
        if verdict is not None and not verdict.alert_only:
            return verdict
        softened = softened or verdict
    return softened
