"""``smartguard simulate``: how much fraud each protection configuration stops, and how
many honest payments it gets in the way of (docs/effectiveness.md)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import click

from smartguard.domain.errors import SmartGuardError
from smartguard.simulate import parallel, plot, report
from smartguard.simulate import scenario as scn
from smartguard.simulate.configurations import available, chosen
from smartguard.simulate.configured import from_scenario
from smartguard.simulate.plan import make_plan


@click.command()
@click.option("--scenario", "scenario_file", type=click.Path(path_type=Path, exists=True,
              dir_okay=False), help="TOML scenario overriding the default one.")
@click.option("--seed", type=int, help="Seed (default: the scenario's).")
@click.option("--cardholders", type=int, help="How many cardholders.")
@click.option("--days", type=int, help="Length of the period in days.")
@click.option("--only", default="", help="Comma-separated configurations (default all).")
@click.option("--workers", type=int, default=min(2, os.cpu_count() or 1),
              show_default=True, help="Processes running configurations side by side.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Write report.json, report.md and frontier.png there.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--list", "list_only", is_flag=True, help="List the configurations.")
@click.option("--print-scenario", is_flag=True, help="Print the default scenario (TOML).")
def simulate(scenario_file: Path | None, seed: int | None, cardholders: int | None,
             days: int | None, only: str, workers: int, out: Path | None, quiet: bool,
             list_only: bool, print_scenario: bool) -> None:
    """Simulate a cardholder population and the attacks on it through SmartGuard itself,
    under each protection configuration, and report what each stopped."""
    if print_scenario:
        click.echo(scn.default_text())
        return
    try:
        sc = scn.load(scenario_file, seed=seed, cardholders=cardholders, days=days)
        extra = from_scenario(sc.configurations)
        names = tuple(n for n in only.split(",") if n) or sc.run.configurations
        configs = chosen(names, extra)
    except (SmartGuardError, OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if list_only:
        click.echo("\n".join(f"{c.name:<28} {c.label}" for c in available(extra).values()))
        return
    started = time.perf_counter()
    plan = make_plan(sc)
    results = parallel.run_all(sc, plan, configs, workers, show=not quiet)
    rep = report.report(sc, plan, results)
    _show(rep, quiet)
    if out is not None:
        _write(rep, out)
    click.echo(f"{len(plan.events):,} planned transactions x {len(configs)} configurations "
               f"in {time.perf_counter() - started:.0f} s", err=True)


def _show(rep: dict[str, Any], plain: bool) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ModuleNotFoundError:
        plain = True
    if plain:
        click.echo(report.markdown(rep))
        return
    console = Console()
    for title, (head, rows) in (("What each configuration achieves",
                                 (list(report.SUMMARY), report.summary_rows(rep, "name"))),
                                ("Per attack: value % / transactions % / approved per "
                                 "attack", report.by_attack_rows(rep, "name"))):
        table = Table(title=title)
        for column in head:
            table.add_column(column, justify="left" if column == head[0] else "right")
        for row in rows:
            table.add_row(*row)
        console.print(table)


def _write(rep: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(report.to_json(rep), "utf-8")
    (out / "report.md").write_text(report.markdown(rep), "utf-8")
    if plot.plot(rep, out / "frontier.png"):
        click.echo(f"wrote {out}/report.json, report.md, frontier.png", err=True)
    else:
        click.echo(f"wrote {out}/report.json, report.md (no plot: pip install "
                   "'smartguard[simulate]' for matplotlib)", err=True)
