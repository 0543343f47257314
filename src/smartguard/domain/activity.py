"""A card's recent activity, kept incrementally, for the monitoring rules (docs/rules.md).

:class:`CardActivity` is fed every recorded decision (:meth:`~CardActivity.record`), every
reversal (:meth:`~CardActivity.give_back`) and every audited change
(:meth:`~CardActivity.changed`); :meth:`~CardActivity.features` reads the windows at one
instant. Replaying a card's recorded decisions gives the same state as feeding it live
(the store rebuilds it that way after a restart; a test holds the two equal).

- The 10 min, 1 h and 24 h windows are instants: ``(now - w, now]``; the 30 days are the
  cardholder's local calendar days, today and the 29 before (the zone decides where a day
  begins, as for the limits).
- Counts and sums are of approved debits (a reversal gives back what it undid); declines
  and distinct places are of every debit recorded, approved or not.
- "Ever used" places are of approved requests (a declined attempt did not use a place).
- The distance and speed from the last place are from the last approved *card-present*
  debit: a website's province says where the merchant is registered, not where the card is.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from smartguard.domain.periods import local_time
from smartguard.domain.transactions import AuthorizationRequest, MessageKind

WINDOWS: dict[str, timedelta] = {
    "10m": timedelta(minutes=10), "1h": timedelta(hours=1), "24h": timedelta(hours=24),
}
DAYS = 30
CHANNELS = ("atm_cash", "atm_transfer", "pos", "online")
NEVER = 10**9  # "minutes since" something that never happened (rules compare with <)
CHANGE_KINDS = ("phone", "protection", "binding")


def change_kind(action: str) -> str | None:
    """Which feature an audited action moves (None: none)."""
    if action == "change_phone":
        return "phone"
    if action.startswith("set_controls.") or action.startswith("unlock."):
        return "protection"
    if action.startswith("agreement."):
        return "binding"
    return None


@dataclass(slots=True)
class Event:
    auth_id: str
    at: datetime  # UTC
    channel: str
    amount: int  # what was taken (after a partial reversal, what was kept)
    approved: bool
    province: str
    country: str
    counted: bool  # an approved debit still counted (not fully reversed)
    quick_pay: bool = False  # through a third-party quick-payment agreement


@dataclass(frozen=True, slots=True)
class Place:
    at: datetime
    province: str
    country: str
    city: str


@dataclass(slots=True)
class CardActivity:
    timezone: str
    events: deque[Event] = field(default_factory=deque)  # the last 24 h of debits
    days: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (day, ch) -> n, sum
    provinces: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    inquiry: Place | None = None
    last: Place | None = None  # the last approved card-present debit
    new_country_at: datetime | None = None  # the last first use of a foreign country
    changes: dict[str, datetime] = field(default_factory=dict)

    def record(self, auth_id: str, request: AuthorizationRequest, at: datetime,
               approved: bool) -> tuple[str, ...]:
        """Feed one recorded decision; returns the places it used for the first time."""
        at = at.astimezone(UTC)
        province, country = request.region or "", request.country
        if request.kind is MessageKind.BALANCE_INQUIRY:
            if approved:
                self.inquiry = Place(at, province, country, request.city)
            return ()
        if not request.is_debit:
            return ()
        self._prune(at)
        amount = request.billing_amount
        self.events.append(Event(auth_id, at, request.channel.value, amount, approved,
                                 province, country, approved,
                                 request.agreement_id is not None))
        if not approved:
            return ()
        bucket = self.days.setdefault((_day(at, self.timezone), request.channel.value),
                                      [0, 0])
        bucket[0] += 1
        bucket[1] += amount
        if request.channel.value != "online":  # a website's place is not the card's
            self.last = Place(at, province, country, request.city)
        return self._used(at, province, country)

    def _used(self, at: datetime, province: str, country: str) -> tuple[str, ...]:
        new: list[str] = []
        if province and province not in self.provinces:
            self.provinces.add(province)
            new.append(province)
        if country and country not in self.countries:
            self.countries.add(country)
            new.append(country)
            if country != "CN":
                self.new_country_at = at
        return tuple(new)

    def give_back(self, auth_id: str, request: AuthorizationRequest, at: datetime,
                  amount: int, full: bool) -> None:
        """A reversal of ``auth_id`` (``request``, recorded at ``at``, approved) gave back
        ``amount`` (all of it, count included, when ``full``)."""
        if not request.is_debit:
            return
        at = at.astimezone(UTC)
        bucket = self.days.get((_day(at, self.timezone), request.channel.value))
        if bucket is not None:
            bucket[0] -= 1 if full else 0
            bucket[1] -= amount
        for event in self.events:
            if event.auth_id == auth_id and event.counted:
                event.amount -= amount
                event.counted = not full
                return

    def changed(self, kind: str, at: datetime) -> None:
        self.changes[kind] = at.astimezone(UTC)

    def used_place(self, place: str) -> None:
        """A place known used before the window (the store's record of first uses)."""
        (self.provinces if place.startswith("CN-") else self.countries).add(place)

    def _prune(self, now: datetime) -> None:
        horizon = now - WINDOWS["24h"]
        events = self.events
        while events and events[0].at <= horizon:
            events.popleft()
        if len(self.days) > len(CHANNELS) * (DAYS + 2):
            first = _day(now - timedelta(days=DAYS + 1), self.timezone)
            for key in [k for k in self.days if k[0] < first]:
                del self.days[key]


def _day(at: datetime, timezone: str) -> str:
    return local_time(at, timezone).strftime("%Y-%m-%d")


def window_features(activity: CardActivity, now: datetime) -> dict[str, int]:
    """Counts and sums per window and channel (and of quick payments), declines and
    attempts in the last hour (all channels and card-not-present), distinct places in 1 h
    and 24 h, all at ``now``."""
    now = now.astimezone(UTC)
    out: dict[str, int] = {}
    for name, width in WINDOWS.items():
        _window(out, name, [e for e in activity.events if now - width < e.at <= now])
    _put(out, "30d", *_month(activity, now))
    return out


def _window(out: dict[str, int], name: str, events: list[Event]) -> None:
    counts = dict.fromkeys(CHANNELS, 0)
    sums = dict.fromkeys(CHANNELS, 0)
    for e in events:
        if e.counted:
            counts[e.channel] += 1
            sums[e.channel] += e.amount
    _put(out, name, counts, sums)
    quick = [e.amount for e in events if e.counted and e.quick_pay]
    out[f"count_{name}_quick_pay"], out[f"sum_{name}_quick_pay"] = len(quick), sum(quick)
    if name == "1h":
        online = [e for e in events if e.channel == "online"]
        out["attempts_1h"] = len(events)
        out["declines_1h"] = sum(1 for e in events if not e.approved)
        out["attempts_1h_online"] = len(online)
        out["declines_1h_online"] = sum(1 for e in online if not e.approved)
        out["max_1h_online"] = max((e.amount for e in online), default=0)
    if name != "10m":
        out[f"provinces_{name}"] = len({e.province for e in events if e.province})
        out[f"countries_{name}"] = len({e.country for e in events})


def _month(activity: CardActivity, now: datetime) -> tuple[dict[str, int], dict[str, int]]:
    first = _day(now - timedelta(days=DAYS - 1), activity.timezone)
    last = _day(now, activity.timezone)
    counts = dict.fromkeys(CHANNELS, 0)
    sums = dict.fromkeys(CHANNELS, 0)
    for (day, channel), (n, total) in activity.days.items():
        if first <= day <= last:
            counts[channel] += n
            sums[channel] += total
    return counts, sums


def _put(out: dict[str, int], window: str, counts: dict[str, int],
         sums: dict[str, int]) -> None:
    for channel in CHANNELS:
        out[f"count_{window}_{channel}"] = counts[channel]
        out[f"sum_{window}_{channel}"] = sums[channel]
    out[f"count_{window}"] = sum(counts.values())
    out[f"sum_{window}"] = sum(sums.values())


def minutes_between(earlier: datetime | None, now: datetime) -> int:
    if earlier is None:
        return NEVER
    return max(0, int((now - earlier).total_seconds() // 60))
