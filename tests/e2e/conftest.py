"""The real FastAPI app over a real SQLite store, driven through HTTP (httpx/ASGI)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smartguard.bootstrap import App
from smartguard.domain.pan import with_check_digit
from smartguard.entrypoints.http_api.app import create_app, create_asgi
from smartguard.service_layer import keys
from smartguard.service_layer.records import Role

PAN = with_check_digit("622202100000000001")
OTHER_PAN = with_check_digit("622202100000000002")


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]
    stan: int = 0

    def h(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def get(self, path: str, role: str = "operator", **kw: Any) -> Any:
        return self.client.get(path, headers=self.h(role), **kw)

    def post(self, path: str, body: Any = None, role: str = "operator", **kw: Any) -> Any:
        return self.client.post(path, json=body, headers=self.h(role), **kw)

    def put(self, path: str, body: Any, role: str = "cardholder_app") -> Any:
        return self.client.put(path, json=body, headers=self.h(role))

    def next_stan(self) -> str:
        self.stan += 1
        return f"{self.stan:06d}"

    def authorize(self, pan: str = PAN, **fields: Any) -> Any:
        body: dict[str, Any] = {
            "pan": pan, "kind": "purchase", "amount": 10_000, "terminal": "pos",
            "card_present": True, "entry_mode": "chip", "country": "CN", "region": "CN-BJ",
            "merchant_id": "SHOP1", "merchant_name": "Shop One", "acquirer_id": "10000001",
            "stan": self.next_stan(), "transmission_time": "1125120000",
        }
        body.update(fields)
        return self.client.post("/v1/authorizations", json=body, headers=self.h("processor"))

    def enrol(self, pan: str = PAN, balance: int = 1_000_000, name: str = "Wang Fang",
              phone: str = "+8613800000001", timezone: str = "Asia/Shanghai") -> dict[str, Any]:
        h = self.post("/v1/cardholders", {"name": name, "phone": phone, "timezone": timezone})
        assert h.status_code == 201, h.text
        a = self.post(f"/v1/cardholders/{h.json()['id']}/accounts", {"balance": balance})
        assert a.status_code == 201, a.text
        c = self.post("/v1/cards", {"pan": pan, "account_id": a.json()["id"]})
        assert c.status_code == 201, c.text
        card: dict[str, Any] = c.json()
        return card


@pytest.fixture(params=["served", "framework"])
def api(sg: App, request: pytest.FixtureRequest) -> Iterator[Api]:
    """The app as ``serve`` runs it (authorize fast path in front of FastAPI), and the bare
    FastAPI app (whose authorize route must answer the same)."""
    tokens = {r.value: sg.write(lambda uow, r=r: keys.create_key(uow, sg.ctx, r)[1])
              for r in Role}
    app = create_asgi(sg) if request.param == "served" else create_app(sg)
    with TestClient(app) as client:  # type: ignore[arg-type]
        yield Api(client, tokens)


@pytest.fixture
def card(api: Api) -> dict[str, Any]:
    return api.enrol()
