"""A cluster on PostgreSQL (docs/operations.md, "Running a cluster"): several nodes decide the
same hot cards at once and contention never becomes a decline; a node SIGKILLed under load
loses no answered decision, and what it left unanswered, sent again to another node, takes
effect once; the primary SIGKILLed and its synchronous standby promoted, the nodes find
the new primary by themselves and every answered approval is there."""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from smartguard.bootstrap import App, bootstrap
from smartguard.config import load
from smartguard.domain.controls import values as s
from smartguard.domain.pan import with_check_digit
from smartguard.domain.transactions import Channel
from smartguard.service_layer import keys, protections
from smartguard.service_layer.context import Actor
from smartguard.service_layer.records import Role
from tests.cluster import (
    IsoConnection,
    Node,
    PgPair,
    connections,
    node_config,
    outcome,
    pg_binaries_missing,
)
from tests.iso_client import enrol, purchase, reversal

pytestmark = pytest.mark.slow
ACTOR = Actor("test", "test")
PANS = [with_check_digit(f"62220210000000{n:04d}") for n in range(3)]
BALANCE = 500_000  # 5,000 CNY: at most 50 purchases of 100 CNY
AMOUNT = 10_000
COUNT_LIMIT = 40  # the first card's own POS daily count


@dataclass
class Cluster:
    nodes: list[Node]
    database_url: str
    processor_key: str
    answers: dict[str, Any] = field(default_factory=dict)  # STAN -> outcome


def prepare(tmp: Path, database_url: str) -> tuple[Path, str]:
    """Enrol the cards on the database and make a processor key; returns the nodes'
    settings file (one secret for all: cards are found by the same PAN hash)."""
    secret = tmp / "secret.key"
    secret.write_text(secrets.token_hex(32))
    config = node_config(tmp / "smartguard.toml", database_url, secret)
    sg = bootstrap(load(config))
    try:
        card_ids = [enrol(sg, pan, BALANCE) for pan in PANS]
        sg.write(lambda uow: protections.set_limits(
            uow, sg.ctx, ACTOR, card_ids[0], Channel.POS,
            s.ChannelLimits(daily_count=COUNT_LIMIT)))
        token = sg.write(lambda uow: keys.create_key(uow, sg.ctx, Role.PROCESSOR)[1])
    finally:
        sg.close()
    return config, token


@pytest.fixture
def cluster(tmp_path: Path, pg_url: str) -> Iterator[Cluster]:
    config, token = prepare(tmp_path, pg_url)
    nodes = [Node(f"node{i}", config).start(tmp_path / f"node{i}.log") for i in range(3)]
    yield Cluster(nodes, pg_url, token)
    for node in nodes:
        node.stop()


def http_body(stan: int, pan: str) -> dict[str, Any]:
    return {"pan": pan, "kind": "purchase", "amount": AMOUNT, "terminal": "pos",
            "card_present": True, "entry_mode": "chip", "country": "CN", "region": "CN-BJ",
            "merchant_id": "SHOP1", "acquirer_id": "10000001", "stan": f"{stan:06d}",
            "transmission_time": "1125120000"}


async def over_http(client: httpx.AsyncClient, node: Node, key: str, stan: int, pan: str
                    ) -> Any:
    r = await client.post(f"http://127.0.0.1:{node.http}/v1/authorizations",
                          json=http_body(stan, pan), headers={"Authorization": f"Bearer {key}"},
                          timeout=30)
    if r.status_code != 200:
        return f"HTTP {r.status_code}"
    a = r.json()
    return (a["response_code"], a["approval_code"])


async def storm(c: Cluster, purchases: int, duplicates: int, reversals: int
                ) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    """Purchases on the hot cards spread over every node, a tenth over HTTP; some sent to
    two nodes at once; reversals of some of them, each with a repeat (0401) to another
    node at the same moment. Returns every answer per purchase STAN and per reversal."""
    rng = random.Random(12)
    pools = [await connections(n.iso, 6) for n in c.nodes]
    got: dict[int, list[Any]] = {}
    reversed_: dict[int, list[Any]] = {}
    twice = set(rng.sample(range(1, purchases + 1), duplicates))
    undone = rng.sample(range(1, purchases + 1), reversals)
    gate = asyncio.Semaphore(400)

    async def iso(node: int, fields: dict[str, str], into: list[Any]) -> None:
        async with gate:
            conn: IsoConnection = rng.choice(pools[node])
            try:
                into.append(outcome(await conn.request(fields)))
            except (ConnectionError, TimeoutError) as exc:
                into.append(outcome(exc))

    async with httpx.AsyncClient() as client:
        async def http(node: int, stan: int, pan: str, into: list[Any]) -> None:
            async with gate:
                into.append(await over_http(client, c.nodes[node], c.processor_key, stan,
                                            pan))

        work = []
        for stan in range(1, purchases + 1):
            pan, node = PANS[stan % len(PANS)], stan % len(c.nodes)
            into = got.setdefault(stan, [])
            if stan % 10 == 0:
                work.append(http(node, stan, pan, into))
            else:
                work.append(iso(node, purchase(stan, pan, AMOUNT), into))
            if stan in twice:
                work.append(iso((node + 1) % len(c.nodes), purchase(stan, pan, AMOUNT), into))
        for n, stan in enumerate(undone):
            original = purchase(stan, PANS[stan % len(PANS)], AMOUNT)
            into = reversed_.setdefault(stan, [])
            first = reversal(800_000 + n, original)
            work.append(iso(n % len(c.nodes), first, into))
            work.append(iso((n + 1) % len(c.nodes), {**first, "t": "0401"}, into))
        rng.shuffle(work)
        await asyncio.gather(*work)
    for pool in pools:
        for conn in pool:
            await conn.close()
    return got, reversed_


def stored(database_url: str) -> dict[str, Any]:
    """What the database says: approvals per card (and which were reversed), balances,
    POS counts, authorizations per key, reversals applied per original."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        auths = conn.execute(
            "SELECT a.stan, c.pan_hash, a.outcome, a.reversed_at IS NOT NULL, a.response_code "
            "FROM authorizations a JOIN cards c ON c.id = a.card_id").fetchall()
        balances = dict(conn.execute(
            "SELECT c.pan_hash, a.balance FROM cards c JOIN accounts a ON a.id = c.account_id"
        ).fetchall())
        per_key = conn.execute("SELECT count(*), count(DISTINCT (acquirer_id, stan, "
                               "transmission_time)) FROM authorizations").fetchone()
        applied = conn.execute("SELECT original_stan, count(*) FROM reversals WHERE status "
                               "= 'applied' GROUP BY original_stan").fetchall()
        counts = dict(conn.execute(
            "SELECT c.pan_hash, u.count FROM usage_counters u JOIN cards c ON c.id = u.card_id "
            "WHERE u.counter = 'pos' AND u.period LIKE 'D%'").fetchall())
    return {"auths": auths, "balances": balances, "per_key": per_key, "applied": applied,
            "counts": counts}


def check_exact(sg_hash: Any, got: dict[int, list[Any]], db: dict[str, Any],
                amount: int = AMOUNT) -> None:
    """Every answered approval is stored and nothing took effect twice."""
    approved_answers = {stan for stan, a in got.items() if ("00" in {x[0] for x in a
                                                             if isinstance(x, tuple)})}
    approved_stored = {int(stan) for stan, _, o, _, _ in db["auths"] if o == "approve"}
    assert approved_answers <= approved_stored  # no answered approval is lost
    total, distinct = db["per_key"]
    assert total == distinct  # one decision per key
    assert all(n == 1 for _, n in db["applied"])  # a reversal applied at most once
    for pan in PANS:
        h = sg_hash(pan)
        kept = sum(1 for _, ph, o, rev, _ in db["auths"] if ph == h and o == "approve"
                   and not rev)
        assert db["balances"][h] == BALANCE - kept * amount >= 0
        assert db["counts"].get(h, 0) == kept
    first = sg_hash(PANS[0])
    assert db["counts"].get(first, 0) <= COUNT_LIMIT


def hasher(config_url: str, tmp: Path) -> Any:
    sg: App = bootstrap(load(tmp / "smartguard.toml"))
    sg.close()
    return sg.ctx.hash_pan


def test_three_nodes_on_hot_cards_never_decline_for_contention(
        cluster: Cluster, tmp_path: Path) -> None:
    got, reversed_ = asyncio.run(storm(cluster, purchases=1500, duplicates=150,
                                       reversals=100))
    answers = [a for each in got.values() for a in each]
    assert len(answers) == 1650
    bad = [a for a in answers if not isinstance(a, tuple) or a[0] in ("96", "94")]
    assert bad == []
    assert {a[0] for a in answers} <= {"00", "51", "65"}
    assert [a for each in reversed_.values() for a in each if a != ("00", None)] == []
    for each in got.values():
        assert len(set(each)) == 1  # a duplicate got the original's answer
    check_exact(hasher(cluster.database_url, tmp_path), got, stored(cluster.database_url))


async def load_until(c: Cluster, stop_after: float, kill: Any, first_stan: int
                     ) -> dict[int, Any]:
    """Purchases to every node for ``stop_after`` seconds, ``kill()`` called halfway; what
    a dead node left unanswered is sent again, with the same key, to a live one."""
    answers: dict[int, Any] = {}
    live = list(range(len(c.nodes)))
    pools = {i: await connections(n.iso, 4) for i, n in enumerate(c.nodes)}
    started = time.monotonic()
    killed = False

    async def one(stan: int) -> None:
        fields = purchase(stan, PANS[stan % len(PANS)], AMOUNT // 100)
        for attempt in range(20):
            node = live[(stan + attempt) % len(live)]
            conn = pools[node][stan % len(pools[node])]
            try:
                answers[stan] = outcome(await conn.request(fields, timeout=10))
                return
            except (ConnectionError, TimeoutError):
                await asyncio.sleep(0.05 * (attempt + 1))  # that node is gone: another
        answers[stan] = "unanswered"

    tasks = []
    stan = first_stan
    while time.monotonic() - started < stop_after:
        if not killed and time.monotonic() - started > stop_after / 2:
            dead = kill()
            killed = True
            if dead is not None:
                live.remove(dead)
        tasks.append(asyncio.create_task(one(stan)))
        stan += 1
        await asyncio.sleep(0.004)
    await asyncio.gather(*tasks)
    for pool in pools.values():
        for conn in pool:
            await conn.close()
    return answers


def test_a_node_killed_under_load_loses_no_answered_decision(
        cluster: Cluster, tmp_path: Path) -> None:
    answers = asyncio.run(load_until(cluster, 6.0, lambda: cluster.nodes[0].kill() or 0,
                                     first_stan=1))
    assert "unanswered" not in answers.values()
    assert {a[0] for a in answers.values()} <= {"00", "65"}  # approved, or over a count
    db = stored(cluster.database_url)
    check_exact(hasher(cluster.database_url, tmp_path),
                {k: [v] for k, v in answers.items()}, db, AMOUNT // 100)
    decided = {int(stan): code for stan, _, _, _, code in db["auths"]}
    assert decided == {stan: a[0] for stan, a in answers.items()}  # once each, as answered


@pytest.fixture
def pair() -> Iterator[PgPair]:
    reason = pg_binaries_missing()
    if reason:
        pytest.skip(reason)
    found = PgPair().start()
    yield found
    found.stop()


async def resend(c: Cluster, stans: list[int]) -> dict[int, Any]:
    """Send these requests again, with their keys, once the cluster answers again."""
    conn = await IsoConnection().open(c.nodes[-1].iso)
    answers = {}
    for stan in stans:
        fields = purchase(stan, PANS[stan % len(PANS)], AMOUNT // 100)
        answers[stan] = outcome(await conn.request(fields))
    await conn.close()
    return answers


def test_the_primary_lost_the_nodes_resume_on_the_promoted_standby(
        pair: PgPair, tmp_path: Path) -> None:
    config, token = prepare(tmp_path, pair.url)
    nodes = [Node(f"node{i}", config).start(tmp_path / f"node{i}.log") for i in range(2)]
    c = Cluster(nodes, pair.url, token)
    timeline: dict[str, float] = {}

    def failover() -> None:
        timeline["killed"] = time.monotonic()
        pair.kill_primary()
        time.sleep(0.5)  # what an operator or Patroni takes, at the least
        pair.promote()
        timeline["promoted"] = time.monotonic()

    try:
        answers = asyncio.run(load_until(c, 8.0, failover, first_stan=1))
        failed = sorted(stan for stan, a in answers.items() if a[0] == "96")
        recovered = asyncio.run(resend(c, failed))  # what the switch does with a 96
        answers.update(recovered)
    finally:
        for node in nodes:
            node.stop()
    assert "unanswered" not in answers.values()
    assert {a[0] for a in answers.values()} <= {"00", "65"}
    promoted = f"postgresql://postgres@127.0.0.1:{pair.ports['standby']}/postgres"
    db = stored(promoted)
    approved = {int(stan) for stan, _, o, _, _ in db["auths"] if o == "approve"}
    answered = {stan for stan, a in answers.items() if a[0] == "00"}
    assert answered <= approved  # every answered approval is on the promoted standby
    decided = {int(stan): code for stan, _, _, _, code in db["auths"]}
    assert decided == {stan: a[0] for stan, a in answers.items()}
    check_exact(hasher(pair.url, tmp_path), {k: [v] for k, v in answers.items()}, db,
                AMOUNT // 100)
    gap = timeline["promoted"] - timeline["killed"]
    print(f"\nfailover: standby promoted {gap:.2f} s after the primary was killed; "
          f"{len(failed)} of {len(answers)} requests answered 96 in the gap, then resent "
          f"and decided once each; {len(answered)} approvals, all on the new primary")


def readiness(node: Node) -> int:
    return httpx.get(f"http://127.0.0.1:{node.http}/readyz", timeout=30).status_code


async def one_purchase(node: Node, stan: int) -> Any:
    conn = await IsoConnection().open(node.iso)
    try:
        return outcome(await conn.request(purchase(stan, PANS[1], AMOUNT // 100), timeout=15))
    finally:
        await conn.close()


def test_no_primary_answers_96_and_the_node_recovers_by_itself(
        pair: PgPair, tmp_path: Path) -> None:
    config, _ = prepare(tmp_path, pair.url)
    log = tmp_path / "node.log"
    node = Node("node", config).start(log)
    try:
        assert asyncio.run(one_purchase(node, 1))[0] == "00"
        assert readiness(node) == 200
        pair.stop_both()
        down = [asyncio.run(one_purchase(node, stan)) for stan in (2, 3)]
        not_ready = readiness(node)
        pair.start_both()
        up = [asyncio.run(one_purchase(node, stan)) for stan in (2, 4)]
        ready_again = readiness(node)
    finally:
        node.stop()
    assert [a[0] for a in down] == ["96", "96"]  # failed closed, not hung
    assert (not_ready, ready_again) == (503, 200)  # /readyz says so, and recovers
    assert "no PostgreSQL primary answered" in log.read_text(encoding="utf-8")
    assert [a[0] for a in up] == ["00", "00"]  # the same node, no restart; 2 resent
    approved = {int(stan) for stan, _, o, _, _ in stored(pair.url)["auths"] if o == "approve"}
    assert approved == {1, 2, 4}
