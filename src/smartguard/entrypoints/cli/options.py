"""What the commands share: their settings, options, and the actor they act as."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from smartguard.config import Settings, load
from smartguard.config_sources import CONFIG_VARIABLE
from smartguard.domain.errors import SmartGuardError
from smartguard.service_layer.context import Actor

CLI_ACTOR = Actor("cli", "cli")

config_option = click.option("--config", "config", type=click.Path(
    path_type=Path, exists=True, dir_okay=False), envvar=CONFIG_VARIABLE,
    help=f"TOML settings file (or ${CONFIG_VARIABLE}).")
data_dir_option = click.option("--data-dir", type=click.Path(path_type=Path),
                               help="Where the database and secret live "
                               "(default ./smartguard-data).")


def settings_from(config: Path | None, **overrides: Any) -> Settings:
    """The settings of a command: the file, the environment, then the command line."""
    try:
        return load(config, os.environ, **overrides)
    except SmartGuardError as exc:
        raise click.ClickException(str(exc)) from exc
