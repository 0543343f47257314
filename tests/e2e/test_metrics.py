"""/metrics, scraped and parsed with prometheus-client's own parser: the values move with
traffic on both interfaces; /livez and /readyz."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from smartguard.bootstrap import App
from smartguard.entrypoints import iso8583
from tests.e2e.conftest import Api
from tests.iso_client import Client, Gateway, enrol, purchase


def scrape(api: Api) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = api.client.get("/metrics")  # no key: the platform's scraper has none
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_http_traffic_moves_the_metrics(api: Api, card: dict[str, Any]) -> None:
    before = scrape(api)
    assert api.authorize(amount=10_000).json()["outcome"] == "approve"
    declined = api.authorize(amount=999_999_999)
    assert declined.json()["primary_reason"] == "amount_limit"
    after = scrape(api)

    approved = {"interface": "http", "outcome": "approve", "reason": "none"}
    funds = {"interface": "http", "outcome": "decline", "reason": "amount_limit"}
    assert value(after, "smartguard_decisions_total", **approved) == \
        value(before, "smartguard_decisions_total", **approved) + 1
    assert value(after, "smartguard_decisions_total", **funds) == \
        value(before, "smartguard_decisions_total", **funds) + 1
    moved = [("smartguard_decision_seconds_count", {"interface": "http"}),
             ("smartguard_commit_seconds_count", {}), ("smartguard_batch_jobs_count", {})]
    for name, labels in moved:
        assert value(after, name, **labels) >= value(before, name, **labels) + 2, name
    assert value(after, "smartguard_decision_seconds_sum", interface="http") > 0
    # an approved purchase queues a balance-change SMS: it waits (no SMS centre here)
    assert value(after, "smartguard_outbox_pending", channel="sms") >= 1
    assert value(after, "smartguard_outbox_oldest_age_seconds", channel="sms") >= 0
    assert ("smartguard_store_errors_total", (("kind", "unavailable"),)) in after


def test_the_served_app_times_each_http_request(sg: App, api: Api,
                                                card: dict[str, Any]) -> None:
    before = sg.telemetry.request_seconds["http"].count
    api.authorize()
    timed = sg.telemetry.request_seconds["http"].count - before
    # the fast path (as serve runs it) times the request; bare FastAPI does not
    assert timed == (1 if _served(api) else 0)


def _served(api: Api) -> bool:
    from smartguard.entrypoints.logs import RequestIds

    return isinstance(api.client.app, RequestIds)


def test_iso8583_traffic_and_open_connections(sg: App, api: Api) -> None:
    enrol(sg)
    sg.settings = replace(sg.settings, iso=replace(sg.settings.iso, port=0))
    gw = Gateway(None, server=iso8583.service(sg))  # type: ignore[arg-type]
    try:
        before = scrape(api)
        client = Client(gw.port)
        assert client.request(purchase(1))["39"] == "00"
        assert client.request(purchase(2, amount=999_999_999))["39"] == "61"
        during = scrape(api)
        client.close()
    finally:
        gw.close()
    labels = {"interface": "iso8583", "outcome": "decline", "reason": "amount_limit"}
    assert value(during, "smartguard_decisions_total", **labels) == \
        value(before, "smartguard_decisions_total", **labels) + 1
    assert value(during, "smartguard_request_seconds_count", interface="iso8583") == \
        value(before, "smartguard_request_seconds_count", interface="iso8583") + 2
    assert value(during, "smartguard_request_seconds_bucket", interface="iso8583",
                 le="+Inf") >= 2
    assert value(during, "smartguard_iso8583_open_connections") == 1
    # the one-process gateway's traffic, under the names a front uses (without its label)
    for name, mti in (("smartguard_iso8583_requests_total", "0100"),
                      ("smartguard_iso8583_answers_total", "0110")):
        assert value(during, name, mti=mti) == value(before, name, mti=mti) + 2, name
    assert value(during, "smartguard_iso8583_connections_accepted_total") == \
        value(before, "smartguard_iso8583_connections_accepted_total") + 1


def test_livez_and_readyz(api: Api, sg: App) -> None:
    assert api.client.get("/livez").json() == {"status": "ok"}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"store": "ok", "migrations": "ok"}
    sg.telemetry.ready["iso8583_listening"] = lambda: False  # as a stopped gateway says
    not_ready = api.client.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["checks"]["iso8583_listening"] == "not listening"


def test_readyz_names_a_migration_not_applied(api: Api, sg: App) -> None:
    if sg.settings.database_url:
        return  # the PostgreSQL variant: the same function, another query
    import sqlite3

    with sqlite3.connect(sg.settings.sqlite_path) as conn:
        conn.execute("DELETE FROM schema_migrations WHERE version = "
                     "(SELECT max(version) FROM schema_migrations)")
    r = api.client.get("/readyz")
    assert r.status_code == 503
    assert "not applied" in r.json()["checks"]["migrations"]


def test_relay_counts_and_the_smpp_link_are_read_when_scraped(api: Api, sg: App) -> None:
    from types import SimpleNamespace

    from smartguard.entrypoints.notifier import NotifierService
    from smartguard.service_layer.relay import RelayStats

    notifier = NotifierService(sg)
    link = SimpleNamespace(available=False)
    notifier.smpp = link  # type: ignore[assignment]
    relay = SimpleNamespace(stats=RelayStats())
    notifier._register(relay)  # type: ignore[arg-type]
    relay.stats.sent, relay.stats.failed, relay.stats.dead = 7, 3, 1
    down = scrape(api)
    assert value(down, "smartguard_deliveries_total") == 7
    assert value(down, "smartguard_delivery_failures_total") == 3
    assert value(down, "smartguard_dead_letters_total") == 1
    assert value(down, "smartguard_smpp_link_up") == 0
    link.available = True
    assert value(scrape(api), "smartguard_smpp_link_up") == 1


def test_a_rule_failing_at_run_time_is_counted_and_logged(api: Api,
                                                          card: dict[str, Any]) -> None:
    """A live rule that divides by zero on a request: the authorization is approved, the
    failure is a counter on /metrics (by rule) and a warning in the log."""
    from structlog.testing import capture_logs
    rule = {"id": "per_hour", "name": "Per hour", "action": "decline",
            "expression": "amount / count_1h > 100000", "message_zh": "每小时",
            "message_en": "per hour"}
    assert api.post("/v1/rules", rule).status_code == 201
    assert api.post("/v1/rules/per_hour/status", {"status": "active"}).status_code == 200
    before = value(scrape(api), "smartguard_rule_errors_total", rule="per_hour")
    with capture_logs() as logs:
        assert api.authorize(amount=10_000).json()["outcome"] == "approve"  # count_1h is 0
    after = value(scrape(api), "smartguard_rule_errors_total", rule="per_hour")
    assert after == before + 1
    [failed] = [e for e in logs if e["event"] == "rule_failed"]
    assert failed["rule"] == "per_hour" and failed["log_level"] == "warning"
    assert "division" in failed["error"] or "zero" in failed["error"]
    assert api.authorize(amount=10_000).json()["outcome"] == "approve"  # / 1: runs, no hit
    assert value(scrape(api), "smartguard_rule_errors_total", rule="per_hour") == after
