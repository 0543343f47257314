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
        amount, channel = request.billing_amount, request.channel.value
        self.events.append(Event(auth_id, at, channel, amount, approved, province, country,
                                 approved, request.agreement_id is not None))
        if not approved:
            return ()
        bucket = self.days.setdefault((_day(at, self.timezone), channel), [0, 0])
        bucket[0] += 1
        bucket[1] += amount
        if channel != "online":  # a website's place is not the card's
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
    return local_time(at, timezone).date().isoformat()  # YYYY-MM-DD


def window_features(activity: CardActivity, now: datetime) -> dict[str, int]:
    """Counts and sums per window and channel (and of quick payments), declines and
    attempts in the last hour (all channels and card-not-present), distinct places in 1 h
    and 24 h, all at ``now``."""
    out: dict[str, int] = {}
    for name in WINDOW_NAMES:
        out.update(window_values(activity, now, name))
    return out


WINDOW_NAMES = (*WINDOWS, "30d")
_INDEX = {channel: n for n, channel in enumerate(CHANNELS)}
_KEYS = {w: (tuple(f"count_{w}_{c}" for c in CHANNELS), tuple(f"sum_{w}_{c}" for c in CHANNELS),
             f"count_{w}", f"sum_{w}", f"count_{w}_quick_pay", f"sum_{w}_quick_pay",
             f"provinces_{w}", f"countries_{w}") for w in WINDOW_NAMES}


def window_names(window: str) -> tuple[str, ...]:
    """The features :func:`window_values` gives for ``window``."""
    counts, sums, count, total, quick_n, quick_sum, provinces, countries = _KEYS[window]
    names = (*counts, *sums, count, total)
    if window == "30d":
        return names
    names = (*names, quick_n, quick_sum)
    if window == "1h":
        names = (*names, "attempts_1h", "declines_1h", "attempts_1h_online",
                 "declines_1h_online", "max_1h_online")
    return names if window == "10m" else (*names, provinces, countries)


def window_values(activity: CardActivity, now: datetime, window: str) -> dict[str, int]:
    """The features of one window (``10m``, ``1h``, ``24h``, ``30d``) at ``now``, in one
    pass over the events (a rule reading only the last hour computes only that)."""
    now = now.astimezone(UTC)
    if window == "30d":
        return _put(window, *_month(activity, now))
    since = now - WINDOWS[window]
    counts, sums = [0] * len(CHANNELS), [0] * len(CHANNELS)
    quick_n = quick_sum = attempts = declines = online = online_declines = online_max = 0
    provinces: set[str] = set()
    countries: set[str] = set()
    for e in activity.events:
        if e.at <= since or e.at > now:
            continue
        attempts += 1
        if e.counted:
            i = _INDEX[e.channel]
            counts[i] += 1
            sums[i] += e.amount
            if e.quick_pay:
                quick_n += 1
                quick_sum += e.amount
        if not e.approved:
            declines += 1
        if e.channel == "online":
            online += 1
            online_declines += not e.approved
            online_max = max(online_max, e.amount)
        if e.province:
            provinces.add(e.province)
        countries.add(e.country)
    out = _put(window, counts, sums)
    keys = _KEYS[window]
    out[keys[4]], out[keys[5]] = quick_n, quick_sum
    if window == "1h":
        out.update(attempts_1h=attempts, declines_1h=declines, attempts_1h_online=online,
                   declines_1h_online=online_declines, max_1h_online=online_max)
    if window != "10m":
        out[keys[6]], out[keys[7]] = len(provinces), len(countries)
    return out


def _month(activity: CardActivity, now: datetime) -> tuple[list[int], list[int]]:
    first = _day(now - timedelta(days=DAYS - 1), activity.timezone)
    last = _day(now, activity.timezone)
    counts, sums = [0] * len(CHANNELS), [0] * len(CHANNELS)
    for (day, channel), (n, total) in activity.days.items():
        if first <= day <= last:
            i = _INDEX[channel]
            counts[i] += n
            sums[i] += total
    return counts, sums


def _put(window: str, counts: list[int], sums: list[int]) -> dict[str, int]:
    count_keys, sum_keys, count, total = _KEYS[window][:4]
    out = dict(zip(count_keys, counts, strict=True))
    out.update(zip(sum_keys, sums, strict=True))
    out[count], out[total] = sum(counts), sum(sums)
    return out


def minutes_between(earlier: datetime | None, now: datetime) -> int:
    if earlier is None:
        return NEVER
    return max(0, int((now - earlier).total_seconds() // 60))
