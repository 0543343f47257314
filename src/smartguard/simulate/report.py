"""The measures, per configuration and per attack type, from the tallies; the report as
JSON (sorted keys: byte for byte the same for the same seed and scenario) and as markdown
tables (docs/effectiveness.md explains each measure)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from smartguard.simulate.configurations import Configuration
from smartguard.simulate.model import CARD_PRESENT, AttackKind, Plan
from smartguard.simulate.scenario import Scenario
from smartguard.simulate.tally import Tally

GROUPS: tuple[tuple[str, frozenset[AttackKind]], ...] = (
    *((k.value, frozenset({k})) for k in AttackKind),
    ("card_present", CARD_PRESENT),
    ("all", frozenset(AttackKind)),
)


def pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def fraud_measures(t: Tally, kinds: frozenset[AttackKind]) -> dict[str, Any]:
    ids = {a.id for a in t.attacks if a.kind in kinds} & {s.attack for s in t.steps.values()}
    steps = [s for s in t.steps.values() if s.attack in ids]
    at_stake = [s for s in steps if not s.background]
    value = sum(s.planned for s in at_stake)
    lost = sum(min(s.lost, s.planned) for s in at_stake)
    approved = sum(1 for s in at_stake if s.lost)
    return {
        "attacks": len(ids), "transactions": len(at_stake), "value": value, "lost": lost,
        "stopped": value - lost, "value_stopped_pct": pct(value - lost, value),
        "transactions_stopped_pct": pct(len(at_stake) - approved, len(at_stake)),
        "approved_per_attack": round(approved / len(ids), 2) if ids else 0.0,
        "background_value": sum(s.planned for s in steps if s.background),
    }


def measures(t: Tally, plan: Plan, config: Configuration) -> dict[str, Any]:
    h = t.honest
    months = (plan.end - plan.measured_from).days / 30
    sms = sum(t.alerts.values())
    return {
        "name": config.name, "label": config.label,
        "honest": {"transactions": h.debits, "value": h.value,
                   "declined": h.declined, "declined_pct": pct(h.declined, h.debits),
                   "verified": h.verified, "verified_pct": pct(h.verified, h.debits),
                   "abandoned": h.abandoned,
                   "hindered_pct": pct(h.declined + h.verified, h.debits),
                   "decline_reasons": dict(sorted(h.reasons.items()))},
        "alerts_per_cardholder_month": round(sms / len(plan.holders) / months, 2),
        "sms_by_kind": dict(sorted(t.alerts.items())),
        "fraud": {name: fraud_measures(t, kinds) for name, kinds in GROUPS},
    }


def report(sc: Scenario, plan: Plan, results: Sequence[tuple[Configuration, Tally]]
           ) -> dict[str, Any]:
    r = sc.run
    return {
        "scenario": {"seed": r.seed, "cardholders": r.cardholders, "days": r.days,
                     "start": r.start.isoformat(), "learn_days": r.learn_days,
                     "measured_days": (plan.end - plan.measured_from).days,
                     "attacks": {k.value: sum(1 for a in plan.attacks if a.kind is k)
                                 for k in AttackKind},
                     "events": len(plan.events)},
        "configurations": [measures(t, plan, c) for c, t in results],
    }


def to_json(rep: Mapping[str, Any]) -> str:
    return json.dumps(rep, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


SUMMARY = ("Configuration", "Fraud value stopped", "Card-present value stopped",
           "Fraud lost (CNY)", "Loss avoided vs nothing on", "Fraud txns stopped",
           "Honest declined", "Honest to verification", "SMS / cardholder / month",
           "Fraud txns approved / attack")


def avoided(rep: Mapping[str, Any], c: Mapping[str, Any]) -> str:
    """How much of the loss with nothing on this configuration avoids (when ``none`` ran):
    comparable across configurations, whose values at stake differ (a lock may decline
    first what the bank's ceiling would have declined)."""
    base = [b for b in rep["configurations"] if b["name"] == "none"]
    if not base or not base[0]["fraud"]["all"]["lost"]:
        return "-"
    lost = base[0]["fraud"]["all"]["lost"]
    return f"{pct(lost - c['fraud']['all']['lost'], lost):.1f} %"


def summary_rows(rep: Mapping[str, Any], key: str = "label") -> list[list[str]]:
    rows = []
    for c in rep["configurations"]:
        f, cp, h = c["fraud"]["all"], c["fraud"]["card_present"], c["honest"]
        rows.append([c[key], f"{f['value_stopped_pct']:.1f} %",
                     f"{cp['value_stopped_pct']:.1f} %", f"{f['lost'] // 100:,}",
                     avoided(rep, c), f"{f['transactions_stopped_pct']:.1f} %",
                     f"{h['declined_pct']:.2f} %", f"{h['verified_pct']:.2f} %",
                     f"{c['alerts_per_cardholder_month']:.1f}", f"{f['approved_per_attack']:.2f}"])
    return rows


def by_attack_rows(rep: Mapping[str, Any], key: str = "label"
                   ) -> tuple[list[str], list[list[str]]]:
    """Value stopped % / transactions stopped % / approved per attack, per attack type."""
    kinds = [k.value for k in AttackKind]
    head = ["Configuration", *kinds]
    rows = [[c[key], *(f"{c['fraud'][k]['value_stopped_pct']:.0f} % / "
                          f"{c['fraud'][k]['transactions_stopped_pct']:.0f} % / "
                          f"{c['fraud'][k]['approved_per_attack']:.1f}" for k in kinds)]
            for c in rep["configurations"]]
    return head, rows


def markdown(rep: Mapping[str, Any]) -> str:
    s = rep["scenario"]
    out = [f"Seed {s['seed']}, {s['cardholders']:,} cardholders, {s['days']} days from "
           f"{s['start']} (measured over the last {s['measured_days']}), "
           f"{s['events']:,} planned transactions, attacks: "
           + ", ".join(f"{k} {n}" for k, n in s["attacks"].items()) + ".", ""]
    out += _table(list(SUMMARY), summary_rows(rep))
    head, rows = by_attack_rows(rep)
    out += ["", "Per attack type: value stopped / transactions stopped / fraudulent "
            "transactions approved per attack.", ""]
    out += _table(head, rows)
    return "\n".join(out) + "\n"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]
