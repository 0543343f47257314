"""``smartguard advisor`` and ``smartguard agreements``: the check-up, recommendations,
previews and quick-payment bindings of one card, for operators at the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any, TypeVar

import click

from smartguard.bootstrap import App, bootstrap
from smartguard.domain.controls import values as s
from smartguard.entrypoints.advisor_text import preview_lines, report_lines
from smartguard.entrypoints.cli.options import (
    CLI_ACTOR,
    config_option,
    data_dir_option,
    settings_from,
)
from smartguard.entrypoints.http_api.advisor_views import (
    agreement_view,
    preview_view,
    recommendations_view,
    report_view,
)
from smartguard.service_layer import agreements, checkup
from smartguard.service_layer import preview as pv
from smartguard.service_layer.ports import UnitOfWork

ACTOR = CLI_ACTOR
T = TypeVar("T")

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
language_option = click.option("--language", type=click.Choice(["en", "zh-CN"]),
                               default="en", show_default=True)


def _read(config: Path | None, data_dir: Path | None, job: Callable[[App, UnitOfWork], T]
          ) -> T:
    sg = bootstrap(settings_from(config, data_dir=data_dir))
    try:
        return sg.read(lambda uow: job(sg, uow))
    finally:
        sg.close()


def _print(value: Any, as_json: bool, lines: Callable[[], list[str]]) -> None:
    if as_json:
        click.echo(json.dumps(value, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(lines()))


@click.group("advisor")
def advisor() -> None:
    """Security check-up, recommendations and previews of one card."""


@advisor.command("checkup")
@config_option
@data_dir_option
@json_option
@language_option
@click.argument("card_id")
def checkup_cmd(config: Path | None, data_dir: Path | None, as_json: bool, language: str,
                card_id: str) -> None:
    """The card's security check-up: score, findings and their fixes."""
    checked = _read(config, data_dir,
                    lambda sg, uow: checkup.run_check_up(uow, sg.ctx, ACTOR, card_id))
    view = report_view(card_id, checked.report)
    _print(view, as_json, lambda: report_lines(view, language))


@advisor.command("recommend")
@config_option
@data_dir_option
@click.argument("card_id")
def recommend_cmd(config: Path | None, data_dir: Path | None, card_id: str) -> None:
    """Recommended protections from the card's own history (JSON)."""
    recs = _read(config, data_dir,
                 lambda sg, uow: checkup.recommendations(uow, sg.ctx, ACTOR, card_id))
    click.echo(json.dumps(recommendations_view(recs), ensure_ascii=False, indent=2))


def _places(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def _night(value: str, scope: str) -> s.NightLock:
    try:
        start, end = (time.fromisoformat(v) for v in value.split("-"))
    except ValueError:
        raise click.BadParameter("give HH:MM-HH:MM, e.g. 23:00-05:00") from None
    return s.night_lock(True, start, end, scope)


@advisor.command("preview")
@config_option
@data_dir_option
@json_option
@language_option
@click.option("--days", type=int, default=pv.DEFAULT_DAYS, show_default=True)
@click.option("--region-lock", help="Provinces, e.g. CN-HA,CN-BJ ('off' to switch off).")
@click.option("--overseas-lock", help="Overseas places, e.g. JP,HK ('none' for none).")
@click.option("--night-lock", help="Window HH:MM-HH:MM ('off' to switch off).")
@click.option("--night-scope", type=click.Choice(["domestic", "all"]), default="domestic")
@click.option("--overseas-cnp-lock/--no-overseas-cnp-lock", default=None)
@click.argument("card_id")
def preview_cmd(config: Path | None, data_dir: Path | None, as_json: bool, language: str,
                days: int, region_lock: str | None, overseas_lock: str | None,
                night_lock: str | None, night_scope: str, overseas_cnp_lock: bool | None,
                card_id: str) -> None:
    """What proposed protections would have done to the card's recent transactions."""
    P, change = s.Protection, s.ProtectionChange
    changes: list[s.ProtectionChange] = []
    if region_lock is not None:
        off = region_lock == "off"
        changes.append(change(P.REGION_LOCK, s.region_lock(
            not off, [] if off else _places(region_lock))))
    if overseas_lock is not None:
        changes.append(change(P.OVERSEAS_LOCK, s.overseas_lock(
            True, [] if overseas_lock == "none" else _places(overseas_lock))))
    if night_lock is not None:
        changes.append(change(P.NIGHT_LOCK, s.NightLock(False) if night_lock == "off" else
                              _night(night_lock, night_scope)))
    if overseas_cnp_lock is not None:
        changes.append(change(P.OVERSEAS_CNP_LOCK, overseas_cnp_lock))

    def job(sg: App, uow: UnitOfWork) -> tuple[dict[str, Any], str]:
        result, proposed = pv.preview_change(uow, sg.ctx, ACTOR, card_id, changes, {}, days)
        card = uow.cards.get(card_id)
        tz = card.cardholder.timezone if card else "Asia/Shanghai"
        return preview_view(card_id, days, result, proposed), tz

    view, tz = _read(config, data_dir, job)
    _print(view, as_json, lambda: preview_lines(view, tz, language))


@click.group("agreements")
def agreements_group() -> None:
    """Quick-payment agreements (bindings) of a card."""


@agreements_group.command("list")
@config_option
@data_dir_option
@click.argument("card_id")
def agreements_list(config: Path | None, data_dir: Path | None, card_id: str) -> None:
    """Every binding of the card: payee, status, since, last used, limits."""
    found = _read(config, data_dir,
                  lambda sg, uow: agreements.agreements_for(uow, ACTOR, card_id))
    for r in found:
        v = agreement_view(r)
        click.echo(f"{v['id']}  {v['status']:<9}  {v['payee']}  since {v['since'][:10]}  "
                   f"last used {(v['last_used_at'] or 'never')[:16]}  "
                   f"limits {v['per_txn_limit']}/{v['daily_limit']}")
