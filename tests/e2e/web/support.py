"""The served app (fast path, API and web page) on SQLite, driven like a browser would:
forms, cookies, redirects (Starlette's TestClient). Texted sign-in codes are recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from smartguard.bootstrap import App, bootstrap
from smartguard.config import load
from smartguard.domain.alerts import AlertKind
from smartguard.domain.pan import with_check_digit
from smartguard.entrypoints.http_api.app import create_asgi
from smartguard.service_layer import cards, keys
from smartguard.service_layer.context import Actor
from smartguard.service_layer.messages import OutboxMessage
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord, Role
from tests import sms
from tests.conftest import Clock

ENROLLER = Actor("test", "cli")


@dataclass
class Holder:
    name: str
    phone: str
    pan: str
    card_id: str
    cardholder_id: str

    @property
    def last4(self) -> str:
        return self.pan[-4:]


def enrol(sg: App, name: str, phone: str, n: int, language: str = "zh-CN") -> Holder:
    pan = with_check_digit(f"62220210000000{n:04d}")

    def job(uow: UnitOfWork) -> Holder:
        h = cards.enrol_cardholder(uow, sg.ctx, ENROLLER, name, phone, language)
        a = cards.open_account(uow, sg.ctx, ENROLLER, h.id, "CNY", 1_000_000)
        c = cards.enrol_card(uow, sg.ctx, ENROLLER, pan, a.id)
        return Holder(name, phone, pan, c.card.id, h.id)

    return sg.write(job)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


@dataclass
class Web:
    sg: App
    clock: Clock
    app: Any
    tokens: dict[str, str]
    holders: dict[str, Holder]
    stan: int = 0

    def client(self, https: bool = False) -> TestClient:
        base = "https://testserver" if https else "http://testserver"
        return TestClient(self.app, base_url=base, follow_redirects=False)

    def code_for(self, phone: str) -> str:
        """The sign-in code last texted to ``phone`` (read from the outbox)."""
        return self.sg.read(lambda uow: sms.sign_in_code(uow, self.sg.ctx, phone))

    def texts(self, phone: str, kind: AlertKind | None = None) -> list[OutboxMessage]:
        return self.sg.read(lambda uow: sms.texts_to(uow, phone, kind))

    def sign_in(self, holder: Holder, client: TestClient | None = None) -> TestClient:
        c = client or self.client()
        page = c.get("/signin")
        r = c.post("/signin", data={"csrf": csrf_of(page.text), "last4": holder.last4,
                                    "phone": holder.phone})
        assert r.status_code == 303 and r.headers["location"] == "/signin/code", r.text
        page = c.get("/signin/code")
        r = c.post("/signin/code", data={"csrf": csrf_of(page.text),
                                         "code": self.code_for(holder.phone)})
        assert r.status_code == 303 and r.headers["location"] == "/", r.text
        return c

    def operator(self, client: TestClient | None = None, role: str = "operator") -> TestClient:
        c = client or self.client()
        page = c.get("/console/signin")
        r = c.post("/console/signin", data={"csrf": csrf_of(page.text),
                                            "api_key": self.tokens[role]})
        assert r.status_code == 303, r.text
        return c

    def post_form(self, c: TestClient, page_path: str, action: str,
                  data: dict[str, Any] | None = None) -> Any:
        """Open ``page_path`` and send one of its forms to ``action`` (with its CSRF)."""
        page = c.get(page_path)
        assert page.status_code == 200, page.text
        return c.post(action, data={"csrf": csrf_of(page.text), **(data or {})})

    def card(self, holder: Holder) -> CardRecord:
        found = self.sg.read(lambda uow: uow.cards.get(holder.card_id))
        assert found is not None
        return found

    def reverse(self, answer: dict[str, Any], **fields: Any) -> dict[str, Any]:
        """The acquirer reverses the authorization that got ``answer`` (``actual_amount``:
        partly)."""
        self.stan += 1
        sent = answer["_sent"]
        body = {"acquirer_id": "10000001", "stan": f"{self.stan:06d}",
                "transmission_time": f"t{self.stan}",
                "original": {k: sent[k] for k in ("acquirer_id", "stan", "transmission_time")},
                **fields}
        r = TestClient(self.app).post("/v1/reversals", json=body, headers={
            "Authorization": f"Bearer {self.tokens['processor']}"})
        assert r.status_code == 200, r.text
        result: dict[str, Any] = r.json()
        return result

    def authorize(self, holder: Holder, **fields: Any) -> dict[str, Any]:
        self.stan += 1
        body: dict[str, Any] = {
            "pan": holder.pan, "kind": "purchase", "amount": 10_000, "terminal": "pos",
            "card_present": True, "entry_mode": "chip", "country": "CN", "region": "CN-BJ",
            "merchant_id": "SHOP1", "merchant_name": "Shop One", "acquirer_id": "10000001",
            "stan": f"{self.stan:06d}", "transmission_time": f"t{self.stan}", **fields}
        r = TestClient(self.app).post("/v1/authorizations", json=body, headers={
            "Authorization": f"Bearer {self.tokens['processor']}"})
        assert r.status_code == 200, r.text
        answer: dict[str, Any] = r.json()
        return answer | {"_sent": body}


def make_web(tmp_path: Path, clock: Clock) -> Iterator[Web]:
    sg = bootstrap(load(None, data_dir=tmp_path / "data"), clock=clock)
    tokens = {r.value: sg.write(lambda uow, r=r: keys.create_key(uow, sg.ctx, r)[1])
              for r in Role}
    holders = {"wang": enrol(sg, "王芳 Wang Fang", "+8613800000001", 1),
               "li": enrol(sg, "Li Wei", "+8613800000002", 2, "en")}
    yield Web(sg, clock, create_asgi(sg), tokens, holders)
    sg.close()
