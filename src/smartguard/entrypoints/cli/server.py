"""``smartguard serve`` and ``smartguard demo``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import structlog

from smartguard.config import test_clock_start
from smartguard.entrypoints import logs
from smartguard.entrypoints.cli.options import config_option, data_dir_option, settings_from
from smartguard.service_layer.context import shifted_clock


@click.command()
@config_option
@data_dir_option
@click.option("--host", help="HTTP host (default 127.0.0.1).")
@click.option("--port", type=int, help="HTTP port (default 8000).")
@click.option("--iso-port", type=int, help="ISO 8583 TCP port (default 8583).")
@click.option("--no-iso", is_flag=True, help="Do not start the ISO 8583 server.")
@click.option("--iso-workers", type=int, default=None,
              help="ISO 8583 front processes (0: the gateway runs in this process).")
@click.option("--front-metrics-port", type=int, default=None,
              help="Front i serves its own Prometheus /metrics on this port + i "
              "([iso8583] front_metrics_port; 0: none).")
@click.option("--log-level", default=None, help="debug, info, warning, error.")
def serve(config: Path | None, data_dir: Path | None, host: str | None, port: int | None,
          iso_port: int | None, no_iso: bool, iso_workers: int | None,
          front_metrics_port: int | None, log_level: str | None) -> None:
    """Serve the HTTP API (and the ISO 8583 gateway) until interrupted."""
    from smartguard.entrypoints.serve import event_loop_runner
    from smartguard.entrypoints.serve import serve as serve_main

    settings = settings_from(config, data_dir=data_dir, http_host=host, http_port=port,
                         iso_port=iso_port, iso_enabled=False if no_iso else None,
                         iso_workers=iso_workers, iso_front_metrics_port=front_metrics_port,
                         log_level=log_level)
    start = test_clock_start(settings)
    clock = shifted_clock(start) if start is not None else None  # one, for logs and app
    logs.configure(settings.log_level, settings.log_format, clock)
    if start is not None:
        structlog.get_logger("smartguard.serve").warning(
            "test_clock_active", environment=settings.environment, starts=start.isoformat())
    event_loop_runner()(serve_main(settings, clock))


@click.command()
@click.option("--data-dir", type=click.Path(path_type=Path),
              help="Where the demo's database lives (default ./smartguard-demo).")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--iso-port", type=int, default=8583, show_default=True)
@click.option("--exit", "exit_after", is_flag=True,
              help="Stop after the scripted day instead of serving on.")
def demo(data_dir: Path | None, port: int, iso_port: int, exit_after: bool) -> None:
    """Enrol demo cardholders, play a scripted day of traffic, then keep serving."""
    from smartguard.entrypoints.demo import run_demo

    sys.exit(run_demo(data_dir or Path("smartguard-demo"), port, iso_port, exit_after))
