"""SMS delivery against the npm ``smpp`` test SMS centre (tests/peers/smsc), SmartGuard's
notifier in this process on the event loop, as in ``serve`` (SQLite, durable).

    python bench/sms_bench.py [--runs 5] [--rate 10] [--seconds 20] [--backlog 2000]

Three figures, each the median of ``--runs`` runs (docs/alerts.md):
- answer -> submit_sm: from an authorization's committed answer to the SMS centre's receipt
  of its alert's first submit_sm, p50 and p99, at ``--rate`` authorizations a second;
- the centre's return -> first submit_sm: the centre is down for 5 s with alerts waiting,
  then started; from the moment it listens to the first submit_sm it records;
- drain: ``--backlog`` alerts written while the centre is down, then from the moment the
  link is bound until every one is marked sent.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.integration.alerts.test_smpp_peer import ACTOR, PAN, PHONE, purchase
from tests.peers.smsc_peer import PASSWORD, SYSTEM_ID, Smsc, unavailable

from smartguard.alerts_config import AlertSettings, NotifierSettings, SmppSettings
from smartguard.bootstrap import App, bootstrap
from smartguard.config import load
from smartguard.entrypoints.notifier import NotifierService
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards
from smartguard.service_layer.messages import OutboxStatus


def app(tmp: Path, smsc: Smsc, loop: asyncio.AbstractEventLoop) -> App:
    alerts = AlertSettings(
        smpp=SmppSettings("127.0.0.1", smsc.port, SYSTEM_ID, PASSWORD, "95588"),
        notifier=NotifierSettings(channels=("sms",)))
    settings = replace(load(None, data_dir=tmp / "data"), alerts=alerts)
    return bootstrap(settings, loop=loop)


def enrol(sg: App) -> None:
    """The one card every alert is about, with funds for every purchase of the bench."""
    def job(uow: Any) -> None:
        h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "王芳", PHONE)
        acc = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", 10**11)
        cards.enrol_card(uow, sg.ctx, ACTOR, PAN, acc.id)

    sg.write(job)


async def authorize(sg: App, amount: int) -> float:
    """One purchase (its alert is written with it); the time its answer came back."""
    ref = az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))
    request = purchase(amount)
    await sg.awrite(lambda uow: az.authorize(uow, sg.ctx, ref, request))
    return time.time()


def first_parts(smsc: Smsc) -> dict[str, float]:
    """Amount text (e.g. ``¥12.34``) -> when the centre got the first part carrying it."""
    found: dict[str, float] = {}
    for m in smsc.received():
        if m["udh"] and not m["udh"][0].endswith("01"):
            continue
        amount = m["message"].split("¥", 1)[1].split("（", 1)[0] if "¥" in m["message"] else ""
        found.setdefault("¥" + amount, m["t"] / 1000)
    return found


async def latency(sg: App, smsc: Smsc, rate: float, seconds: float) -> list[float]:
    answered: dict[str, float] = {}
    for n in range(int(rate * seconds)):
        amount = 1 + n
        answered[f"¥{amount // 100:,}.{amount % 100:02d}"] = await authorize(sg, amount)
        await asyncio.sleep(1 / rate)
    await asyncio.sleep(1.0)
    got = first_parts(smsc)
    return sorted((got[k] - t) * 1000 for k, t in answered.items() if k in got)


def pending(sg: App) -> int:
    counts = sg.read(lambda uow: uow.outbox.counts())
    return counts.get(("sms", OutboxStatus.PENDING.value), 0)


async def wait(predicate: Any, step: float = 0.01, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the bench waited too long")
        await asyncio.sleep(step)


async def comeback(sg: App, smsc: Smsc, service: NotifierService) -> float:
    before = len(smsc.received())
    smsc.stop()
    await wait(lambda: service.smpp is not None and not service.smpp.available)
    for n in range(20):
        await authorize(sg, 100_000 + n)
    await asyncio.sleep(5.0)
    smsc.start()
    back = time.time()
    await wait(lambda: len(smsc.received()) > before, step=0.02)
    return min(m["t"] / 1000 for m in smsc.received()[before:]) - back


async def drain(sg: App, smsc: Smsc, service: NotifierService, backlog: int) -> float:
    smsc.stop()
    await wait(lambda: service.smpp is not None and not service.smpp.available)
    await asyncio.gather(*(authorize(sg, 200_000 + n) for n in range(backlog)))
    smsc.start()
    await wait(lambda: service.smpp is not None and service.smpp.available, step=0.001)
    bound = time.monotonic()
    await wait(lambda: pending(sg) == 0, step=0.02)
    return time.monotonic() - bound


async def one_run(args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        smsc = Smsc(Path(tmp) / "received.jsonl")
        smsc.start()
        sg = app(Path(tmp), smsc, asyncio.get_running_loop())
        await asyncio.to_thread(enrol, sg)
        service = NotifierService(sg)
        await service.start()
        try:
            await wait(lambda: service.smpp is not None and service.smpp.available)
            ms = await latency(sg, smsc, args.rate, args.seconds)
            back = await comeback(sg, smsc, service)
            drained = await drain(sg, smsc, service, args.backlog)
        finally:
            await service.stop()
            await sg.writer.aclose()
            sg.close()
            smsc.stop()
    return {"p50_ms": ms[len(ms) // 2], "p99_ms": ms[int(len(ms) * 0.99) - 1],
            "comeback_s": back, "drain_s": drained}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rate", type=float, default=10.0)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--backlog", type=int, default=2000)
    args = ap.parse_args()
    reason = unavailable()
    if reason:
        sys.exit(reason)
    runs = []
    for n in range(args.runs):
        runs.append(asyncio.run(one_run(args)))
        print(f"run {n + 1}: " + ", ".join(f"{k} {v:.3f}" for k, v in runs[-1].items()))
    print("median: " + ", ".join(
        f"{k} {statistics.median(r[k] for r in runs):.3f}" for k in runs[0]))


if __name__ == "__main__":
    main()
