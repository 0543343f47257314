"""The security check-up (账户安全检测, SPEC 3.9): a score 0-100 and findings, each with a
severity, a plain explanation in zh-CN and en, and a one-click fix.

The score starts at 100 and each finding takes off its severity's weight
(:data:`findings.WEIGHTS`: high 25, medium 10, low 5, info 0), never below 0. The checks and
their severities are listed in docs/advisor.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from smartguard.domain.advisor import checks_activity as act
from smartguard.domain.advisor import checks_controls as ctl
from smartguard.domain.advisor import checks_protections as cfg
from smartguard.domain.advisor.findings import Finding, FixAction, Severity, ordered, score
from smartguard.domain.advisor.profile import Profile, build_profile
from smartguard.domain.advisor.recommend import Recommendations, recommend
from smartguard.domain.advisor.subject import LOOKBACK, Subject
from smartguard.domain.controls.values import Controls


@dataclass(frozen=True, slots=True)
class Report:
    score: int
    findings: tuple[Finding, ...]
    recommendations: Recommendations
    generated_at: datetime

    def finding(self, finding_id: str) -> Finding | None:
        return next((f for f in self.findings if f.id == finding_id), None)


def learn(s: Subject) -> tuple[Profile, Recommendations]:
    """The usage profile of the last 12 months and the recommendations drawn from it."""
    profile = build_profile(s.since(LOOKBACK), s.timezone, s.now)
    return profile, recommend(profile, s.controls, s.ceilings)


def check_up(s: Subject) -> Report:
    profile, recs = learn(s)
    found = [
        *cfg.protections_off(s, recs),
        *cfg.limits_high(s, recs),
        *cfg.phone_unverified(s),
        *act.lock_declines(s),
        *act.balance_inquiries(s, profile),
        *act.night_activity(s),
        *act.overseas_activity(s),
        *act.agreements(s),
        *ctl.gambling_block(s),
        *ctl.unused_channels(s),
    ]
    found = _once([_settled(f, s.controls) for f in found])
    return Report(score(found), ordered(found), recs, s.now)


def _once(found: list[Finding]) -> list[Finding]:
    """Each fix is offered once: of findings with the same fix (e.g. "night lock is off"
    and "payments at night"), the one backed by transactions is kept."""
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: not f.evidence):
        if f.fix is None or all(f.fix != k.fix for k in kept):
            kept.append(f)
    return kept


def _settled(f: Finding, controls: Controls) -> Finding:
    """A finding whose fix is already in place (the change was made after the activity it
    reports) keeps being shown for information, without a fix and without weight."""
    fix = f.fix
    if fix is None:
        return f
    if fix.action is FixAction.SET_PROTECTION and fix.protection:
        done = getattr(controls, fix.protection) == fix.value
    elif fix.action is FixAction.SET_LIMITS and fix.channel:
        done = controls.limits.get(fix.channel) == fix.value
    else:
        done = False
    return replace(f, fix=None, severity=Severity.INFO) if done else f
