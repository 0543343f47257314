"""``smartguard notifier``: the outbox relay (and the SMPP link) on its own, without HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

import click

from smartguard.bootstrap import bootstrap
from smartguard.entrypoints import logs
from smartguard.entrypoints.cli.options import config_option, data_dir_option, settings_from
from smartguard.entrypoints.notifier import NotifierService
from smartguard.entrypoints.serve import event_loop_runner


@click.command()
@config_option
@data_dir_option
@click.option("--log-level", default=None, help="debug, info, warning, error.")
def notifier(config: Path | None, data_dir: Path | None, log_level: str | None) -> None:
    """Relay alerts from the outbox (SMS, webhooks) until interrupted. Several may run
    at once, beside or instead of the one inside ``serve``."""
    settings = settings_from(config, data_dir=data_dir, log_level=log_level)
    logs.configure(settings.log_level, settings.log_format)

    async def run() -> None:
        sg = bootstrap(settings, loop=asyncio.get_running_loop())
        service = NotifierService(sg)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await service.start()
        try:
            await stop.wait()
        finally:
            await service.stop()
            await sg.writer.aclose()
            sg.close()

    with contextlib.suppress(KeyboardInterrupt):
        event_loop_runner()(run())
