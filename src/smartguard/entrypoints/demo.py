"""``smartguard demo``: a newcomer's first run, end to end over real HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
import httpx

from smartguard.bootstrap import App, bootstrap
from smartguard.config import load
from smartguard.domain.money import format_amount
from smartguard.entrypoints import demo_history, demo_web, logs
from smartguard.entrypoints.advisor_text import preview_lines, report_lines
from smartguard.entrypoints.demo_data import HOLDERS, SCRIPT, Step
from smartguard.entrypoints.serve import event_loop_runner, port_free, run
from smartguard.service_layer import cards, keys
from smartguard.service_layer.alert_preferences import mask_phone
from smartguard.service_layer.context import Actor, shifted_clock, utc_now
from smartguard.service_layer.records import Role

MARKER = ".smartguard-demo"
ZONE = ZoneInfo("Asia/Shanghai")
ACTOR = Actor("demo", "cli")


class DemoClock:
    """The guard's clock, set by the script to the scripted time; once released it runs on
    from the script's last moment, so that what the visitor does next comes after the
    scripted day on every page and in the audit trail (never the wall clock beside it)."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None
        self.after: Callable[[], datetime] | None = None

    def __call__(self) -> datetime:
        if self.fixed is not None:
            return self.fixed
        return self.after() if self.after is not None else utc_now()

    def release(self) -> None:
        if self.fixed is not None:
            self.after = shifted_clock(self.fixed)
        self.fixed = None


def _prepare(data_dir: Path) -> None:
    if data_dir.exists():
        if not (data_dir / MARKER).exists() and any(data_dir.iterdir()):
            raise click.ClickException(
                f"{data_dir} exists and is not a demo directory; choose another --data-dir")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    (data_dir / MARKER).write_text("made by smartguard demo; deleted by the next demo run\n")


def _enrol(sg: App) -> tuple[dict[str, str], dict[str, Any]]:
    def job(uow: Any) -> tuple[dict[str, str], dict[str, Any]]:
        tokens = {r.value: keys.create_key(uow, sg.ctx, r, f"demo {r.value}")[1] for r in Role}
        enrolled = {}
        for h in HOLDERS:
            holder = cards.enrol_cardholder(uow, sg.ctx, ACTOR, h.name, h.phone, h.language,
                                            h.timezone)
            acc = cards.open_account(uow, sg.ctx, ACTOR, holder.id, "CNY", h.balance)
            rec = cards.enrol_card(uow, sg.ctx, ACTOR, h.pan, acc.id, controls=h.controls)
            enrolled[h.key] = rec
        return tokens, enrolled

    return sg.write(job)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-2] + "…"
    return text + " " * (width - _width(text))


COLUMNS = (("Time", 5), ("Cardholder", 20), ("Transaction", 36), ("Amount", 10),
           ("Outcome", 21), ("Code", 4), ("Reason", 62))


def _row(values: list[str]) -> str:
    return "  ".join(_cell(v, w) for v, (_, w) in zip(values, COLUMNS, strict=True))


class Player:
    """Plays the scripted day against the running server through its HTTP API."""

    def __init__(self, base: str, tokens: dict[str, str], enrolled: dict[str, Any],
                 clock: DemoClock) -> None:
        self.tokens, self.enrolled, self.clock = tokens, enrolled, clock
        self.http = httpx.AsyncClient(base_url=base, timeout=10)
        self.stan = 0
        self.day = datetime.now(ZONE).date()

    def _auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def _set_time(self, at: time, plus: timedelta = timedelta()) -> datetime:
        local = datetime.combine(self.day, at, ZONE) + plus
        self.clock.fixed = local.astimezone(UTC)
        return local

    async def authorize(self, step: Step, pan: str) -> dict[str, Any]:
        self.stan += 1
        body = {"pan": pan, "currency": "CNY", "acquirer_id": "10000001",
                "stan": f"{self.stan:06d}", "transmission_time": f"demo-{self.stan}",
                **step.request}
        r = await self.http.post("/v1/authorizations", json=body, headers=self._auth("processor"))
        r.raise_for_status()
        return dict(r.json(), _body=body)

    async def play(self) -> None:
        click.echo(_row([c for c, _ in COLUMNS]))
        click.echo(_row(["-" * w for _, w in COLUMNS]))
        for step in SCRIPT:
            await self._step(step)
        self.clock.release()

    async def _step(self, step: Step) -> None:
        holder = next(h for h in HOLDERS if h.key == step.who)
        local = self._set_time(step.at)
        answer = await self.authorize(step, holder.pan)
        self._print(local, holder.name, step.what, answer)
        if step.then == "confirm" and answer["challenge"]:
            self._set_time(step.at, timedelta(seconds=40))
            cid = answer["challenge"]["id"]
            r = await self.http.post(f"/v1/challenges/{cid}/confirm",
                                     headers=self._auth("cardholder_app"))
            r.raise_for_status()
            click.echo(_row(["", "", "  ↳ cardholder confirms in the app", "", "confirmed",
                             "", f"challenge {cid}"]))
            local = self._set_time(step.at, timedelta(minutes=1))
            retry = await self.authorize(step, holder.pan)
            self._print(local, holder.name, "  ↳ same purchase, retried", retry)
        if step.reverse:
            await self._reverse(step, answer, local, holder.name)

    async def _reverse(self, step: Step, answer: dict[str, Any], local: datetime,
                       name: str) -> None:
        """The acquirer reverses the step's authorization: all of it, or (``dispensed``)
        the part the ATM did not pay out."""
        self.stan += 1
        orig = answer["_body"]
        body: dict[str, Any] = {
            "acquirer_id": "10000001", "stan": f"{self.stan:06d}",
            "transmission_time": f"demo-{self.stan}",
            "original": {k: orig[k] for k in ("acquirer_id", "stan", "transmission_time")}}
        what = "  ↳ acquirer reverses it"
        if step.dispensed is not None:
            body["actual_amount"] = step.dispensed
            what = f"  ↳ partial reversal: {format_amount(step.dispensed)} paid"
        r = await self.http.post("/v1/reversals", json=body, headers=self._auth("processor"))
        r.raise_for_status()
        card = await self.http.get(f"/v1/cards/{self.enrolled[step.who].card.id}",
                                   headers=self._auth("operator"))
        balance = card.json()["account"]["balance"]
        back = r.json()["given_back"]
        note = f"balance back to {format_amount(balance)}" if step.dispensed is None else \
            f"{format_amount(back or 0)} given back, balance {format_amount(balance)}"
        click.echo(_row(["", "", what, "", r.json()["status"], "", note]))

    async def advise(self) -> None:
        """The check-up of Zhang's card, then a preview of two locks on his history."""
        card = self.enrolled["zhang"].card.id
        r = await self.http.get(f"/v1/cards/{card}/checkup",
                                headers=self._auth("cardholder_app"))
        r.raise_for_status()
        click.echo(f"\nSecurity check-up of 张建国 Zhang Jianguo's card "
                   f"(GET /v1/cards/{card}/checkup):\n")
        click.echo("\n".join(report_lines(r.json())))
        proposal = {"region_lock": {"enabled": True, "places": ["CN-HA"]},
                    "night_lock": {"enabled": True, "start": "23:00", "end": "05:00",
                                   "scope": "all"}}
        r = await self.http.post(f"/v1/cards/{card}/preview", json=proposal,
                                 headers=self._auth("cardholder_app"))
        r.raise_for_status()
        click.echo("\nPreview before saving — region lock Henan, and a night lock 23:00-05:00 "
                   f"on every payment (POST /v1/cards/{card}/preview):\n")
        click.echo("\n".join(preview_lines(r.json())))
        click.echo("(Hainan was a holiday: a travel exception, POST /v1/cards/{id}/travel, "
                   "opens the lock there for the trip.)")

    def _print(self, local: datetime, name: str, what: str, a: dict[str, Any]) -> None:
        body = a["_body"]
        amount = format_amount(body["amount"], body.get("currency", "CNY")) \
            if body["amount"] else "-"
        reasons = [r["message"] for r in a["reasons"]]
        first = reasons[0] if reasons else f"approved, balance {format_amount(a['balance'])}"
        click.echo(_row([local.strftime("%H:%M"), name, what, amount, a["outcome"],
                         a["response_code"], first]))
        for more in reasons[1:]:
            click.echo(_row(["", "", "", "", "", "", f"also: {more}"]))

    async def close(self) -> None:
        await self.http.aclose()


def _alerts(sg: App, since: datetime, shown: int = 14) -> None:
    """The SMS the day wrote to the outbox (the demo has no SMS centre: they wait there);
    those of Zhang's recorded history, before ``since``, are left out."""
    sms = [m for m in reversed(sg.read(lambda uow: uow.outbox.list(None, "sms", None, 1000)))
           if m.created_at >= since]
    click.echo(f"\nAlerts written to the outbox: {len(sms)} SMS (the demo has no SMS "
               "centre, so they wait there; see docs/alerts.md):")
    for m in sms[:shown]:
        click.echo(f"  {mask_phone(m.recipient)}  {demo_web.demo_text(sg, m)}")


def _instructions(base: str, iso_port: int, tokens: dict[str, str],
                  enrolled: dict[str, Any]) -> None:
    click.echo(instructions(base, iso_port, tokens, enrolled["wang"].card.id,
                            enrolled["zhang"].card.id, datetime.now(UTC)))


def instructions(base: str, iso_port: int, tokens: dict[str, str], card: str,
                 checked: str, now: datetime) -> str:
    """What the demo prints once it serves: links, keys, and commands ready to paste
    (a shell keeps the newlines inside the quoted JSON; field 7's time is now's, GMT)."""
    sent = now.astimezone(UTC).strftime("%m%d%H%M%S")
    return f"""
SmartGuard is serving at {base}
  API docs (OpenAPI):  {base}/docs      spec: {base}/openapi.json
  ISO 8583 gateway:    tcp://127.0.0.1:{iso_port}  (0100/0200, 0400/0420, 0800; profile in
                       docs/iso8583-profile.md)
{demo_web.instructions(base)}
Demo API keys (this demo only):
  processor       {tokens['processor']}
  cardholder_app  {tokens['cardholder_app']}
  operator        {tokens['operator']}
  admin           {tokens['admin']}

Try:
  curl -s -H 'Authorization: Bearer {tokens['cardholder_app']}' {base}/v1/cards/{card}
  curl -s -X PUT -H 'Authorization: Bearer {tokens['cardholder_app']}' \\
       -H 'Content-Type: application/json' -d '{{"enabled": false}}' \\
       {base}/v1/cards/{card}/controls/night_lock
  curl -s -X POST -H 'Authorization: Bearer {tokens['processor']}' \\
       -H 'Content-Type: application/json' \\
       -d '{{"card_id": "{card}", "kind": "purchase", "amount": 6600, "terminal": "pos",
            "card_present": true, "entry_mode": "chip", "country": "CN", "region": "CN-HA",
            "merchant_id": "CAFE01", "acquirer_id": "10000001", "stan": "900001",
            "transmission_time": "{sent}"}}' \\
       {base}/v1/authorizations
  curl -s -H 'Authorization: Bearer {tokens['operator']}' {base}/v1/cards/{card}/audit
  curl -s -H 'Authorization: Bearer {tokens['cardholder_app']}' \\
       {base}/v1/cards/{checked}/checkup

Press Ctrl+C to stop."""


def run_demo(data_dir: Path, port: int, iso_port: int, exit_after: bool) -> int:
    logs.configure("warning")
    _prepare(data_dir)
    host = "127.0.0.1"
    for busy, option in ((port, "--port"), (iso_port, "--iso-port")):
        if not port_free(host, busy):
            click.echo(f"port {busy} is busy; pass {option} to choose another", err=True)
            return 2
    clock = DemoClock()
    base_settings = load(None, data_dir=data_dir)
    quiet = replace(base_settings.alerts, notifier=replace(base_settings.alerts.notifier,
                                                           enabled=False))
    settings = replace(base_settings, http_port=port, iso=replace(base_settings.iso, port=iso_port),
                       alerts=quiet)
    base = f"http://{host}:{port}"

    async def main() -> None:
        sg = bootstrap(settings, clock=clock, loop=asyncio.get_running_loop())
        today = datetime.now(ZONE).date()
        # Written from a helper thread, one job after another (the history's clock moves
        # between them), while the loop carries out the writer's batches.
        tokens, enrolled = await asyncio.to_thread(_enrol, sg)
        await asyncio.to_thread(demo_history.seed, sg, clock, enrolled["zhang"], today)
        click.echo(f"Demo data in {data_dir}/ — {len(HOLDERS)} cardholders enrolled; "
                   "Zhang Jianguo's last 60 days are on record.\n")
        click.echo("A scripted day of traffic (times in Beijing time):\n")
        codes: list[Any] = []  # the task printing sign-in codes (kept referenced)

        async def on_ready() -> bool:
            player = Player(base, tokens, enrolled, clock)
            player.day = today  # the day Zhang's history leads up to
            try:
                await player.play()
                await player.advise()
            finally:
                await player.close()
            _alerts(sg, datetime.combine(today, time(0), ZONE))
            if exit_after:
                return True
            _instructions(base, iso_port, tokens, enrolled)
            codes.append(demo_web.start(sg))
            return False

        await run(sg, host, port, on_ready)

    with contextlib.suppress(KeyboardInterrupt):
        event_loop_runner()(main())
    return 0
