"""How a cardholder really uses the card, from the recorded history: where, when, how much.

Only money that really left the card counts as use (approved debits that were not
reversed). Days and months are calendar periods in the cardholder's zone, as for limits.
Amounts count every payment; the hours of use count only payments the cardholder made: a
quick payment through an agreement is pulled by the third party (代扣), whenever it likes,
and night-time pulls are what the night lock should stop, not learn from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from smartguard.domain.advisor.history import Past
from smartguard.domain.periods import day_key, month_key
from smartguard.domain.transactions import Channel

#: Below either figure the history is "too little": recommendations use safe defaults.
ENOUGH_DAYS = 30
ENOUGH_DEBITS = 10


@dataclass(frozen=True, slots=True)
class ChannelUse:
    """Real use of one channel: transactions, the largest one, the largest day (amount and
    count) and the largest calendar month."""

    count: int = 0
    max_txn: int = 0
    max_day: int = 0
    max_day_count: int = 0
    max_month: int = 0


NO_USE = ChannelUse()


@dataclass(frozen=True, slots=True)
class Profile:
    days: int  # from the first recorded transaction to now
    debits: int  # approved, unreversed debits
    provinces: tuple[tuple[str, int], ...]  # domestic offline use, most used first
    countries: tuple[tuple[str, int], ...]  # overseas offline use, most used first
    overseas_online: int  # card-not-present debits at overseas merchants
    offline_hours: frozenset[int]  # local hours with domestic offline use
    debit_hours: frozenset[int]  # local hours of payments the cardholder made
    channels: Mapping[Channel, ChannelUse]

    @property
    def enough(self) -> bool:
        return self.days >= ENOUGH_DAYS and self.debits >= ENOUGH_DEBITS

    def channel(self, channel: Channel) -> ChannelUse:
        return self.channels.get(channel, NO_USE)


def build_profile(history: Iterable[Past], timezone: str, now: datetime) -> Profile:
    records = list(history)
    used = [p for p in records if p.real_debit]
    provinces: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    offline_hours: set[int] = set()
    debit_hours: set[int] = set()
    overseas_online = 0
    for p in used:
        q, hour = p.request, p.local(timezone).hour
        if q.agreement_id is None:
            debit_hours.add(hour)
        if q.is_offline and q.is_domestic:
            offline_hours.add(hour)
            if q.region:
                provinces[q.region] += 1
        elif q.is_offline:
            countries[q.country] += 1
        elif not q.is_domestic:
            overseas_online += 1
    first = min((p.at for p in records), default=None)
    return Profile(
        days=(now - first).days if first else 0,
        debits=len(used),
        provinces=_ranked(provinces),
        countries=_ranked(countries),
        overseas_online=overseas_online,
        offline_hours=frozenset(offline_hours),
        debit_hours=frozenset(debit_hours),
        channels=_channels(used, timezone),
    )


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    """Most used first; ties by code, so the result does not depend on the order seen."""
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _channels(used: list[Past], timezone: str) -> dict[Channel, ChannelUse]:
    days: dict[tuple[Channel, str], list[int]] = {}
    months: Counter[tuple[Channel, str]] = Counter()
    biggest: Counter[Channel] = Counter()
    counts: Counter[Channel] = Counter()
    for p in used:
        ch, amount, local = p.request.channel, p.request.billing_amount, p.local(timezone)
        day = days.setdefault((ch, day_key(local)), [0, 0])
        day[0] += amount
        day[1] += 1
        months[(ch, month_key(local))] += amount
        biggest[ch] = max(biggest[ch], amount)
        counts[ch] += 1
    return {
        ch: ChannelUse(
            count=counts[ch],
            max_txn=biggest[ch],
            max_day=max(v[0] for (c, _), v in days.items() if c is ch),
            max_day_count=max(v[1] for (c, _), v in days.items() if c is ch),
            max_month=max(v for (c, _), v in months.items() if c is ch),
        )
        for ch in counts
    }
