"""``smartguard config show``: the effective settings, and where each came from."""

from __future__ import annotations

import os
from pathlib import Path

import click

from smartguard.config import load_with_sources, settable
from smartguard.config_sources import effective, env_name, shown
from smartguard.domain.errors import SmartGuardError
from smartguard.entrypoints.cli.options import config_option, data_dir_option


@click.group("config")
def config_group() -> None:
    """The settings SmartGuard runs with."""


@config_group.command("show")
@config_option
@data_dir_option
def config_show(config: Path | None, data_dir: Path | None) -> None:
    """Print every setting's effective value (secrets masked), its variable, and where it
    came from: default, the file, the environment or the command line."""
    try:
        settings, sources = load_with_sources(config, os.environ, data_dir=data_dir)
    except SmartGuardError as exc:
        raise click.ClickException(str(exc)) from exc
    secret_file = sources.get("secret_file") and _secret_file(config)
    for dotted, value in effective(settings, settable(), secret_file or None).items():
        source = sources.get(dotted, "default")
        click.echo(f"{dotted} = {shown(dotted, value)}  # {source}; {env_name(dotted)}")
    if settings.ceilings:
        click.echo(f"ceilings = {sorted(settings.ceilings)}  # file {config}")


def _secret_file(config: Path | None) -> str | None:
    """The secret file as the settings name it (file or environment)."""
    named = os.environ.get(env_name("secret_file"))
    if named:
        return named
    if config is None:
        return None
    import tomllib

    value = tomllib.loads(config.read_text(encoding="utf-8")).get("secret_file")
    return str(value) if value else None
