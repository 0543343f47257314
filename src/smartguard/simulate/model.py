"""The simulator's values: cardholders, and the events of a plan (payments, bindings,
travel announcements). A plan is made once from the seed and played under every
configuration, so configurations are compared on exactly the same traffic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from smartguard.domain.pan import with_check_digit
from smartguard.domain.transactions import AuthorizationRequest
from smartguard.simulate.places import Home

HONEST = -1  # the attack id of an honest payment


class AttackKind(StrEnum):
    SKIM = "skim"  # skimmed card cloned, cashed out by magnetic stripe in another province
    CNP = "cnp"  # card number leaked, used card-not-present at overseas merchants
    LOST = "lost"  # lost or stolen card, used contactless nearby
    BINDING = "binding"  # hidden third-party quick-payment binding, small sums at night
    SCAM = "scam"  # the cardholder talked into paying (AI face-swap call)


#: Attacks on the card itself, at a terminal (counterfeit and lost/stolen).
CARD_PRESENT = frozenset({AttackKind.SKIM, AttackKind.LOST})


@dataclass(frozen=True, slots=True)
class Holder:
    index: int
    archetype: str
    home: Home
    language: str
    balance: int  # fen, at the start
    bindings: tuple[str, ...]  # quick-payment agreements signed before the period

    @property
    def pan(self) -> str:
        return with_check_digit(f"62220216{self.index:010d}")

    @property
    def phone(self) -> str:
        return f"+86139{self.index:08d}"



@dataclass(frozen=True, slots=True)
class Attack:
    id: int
    kind: AttackKind
    holder: int
    start: datetime


@dataclass(frozen=True, slots=True)
class Payment:
    """One planned transaction. ``then``: what follows an approval (``refund``: the
    merchant refunds it days later; ``reverse``: the acquirer reverses it)."""

    at: datetime  # UTC
    holder: int
    request: AuthorizationRequest  # identity fields (acquirer, STAN) set when played
    attack: int = HONEST
    then: str = ""


@dataclass(frozen=True, slots=True)
class Binding:
    """A quick-payment agreement registered for the card (a hidden one, by a criminal)."""

    at: datetime
    holder: int
    agreement_id: str
    payee: str
    attack: int = HONEST


@dataclass(frozen=True, slots=True)
class Trip:
    """A trip the cardholder may announce: a travel exception for ``place``, set when
    ``chance`` is below the share of trips announced (the scenario's, or the
    configuration's)."""

    at: datetime
    holder: int
    place: str
    starts: datetime
    ends: datetime
    chance: float = 0.0


Event = Payment | Binding | Trip


@dataclass(frozen=True, slots=True)
class Plan:
    holders: tuple[Holder, ...]
    attacks: tuple[Attack, ...]
    events: tuple[Event, ...]  # in time order; an event's index is its uid
    start: datetime  # UTC: the start of the period
    measured_from: datetime  # UTC: the end of the learning weeks
    end: datetime


class SimClock:
    """The guard's clock: the simulated instant (it never goes back)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True, slots=True)
class Reaction:
    what: str  # answer, retry, stop, reissue, refund, reverse, learn
    holder: int
    uid: int = -1  # the planned step this belongs to
    payment: Payment | None = None
    text: str = ""  # the SMS the cardholder sends (answer)
    key: tuple[str, str, str] = ("", "", "")  # the original (reverse)
    tries: int = 0  # smaller amounts already asked for (scam)
    attack: int = HONEST
