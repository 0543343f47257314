"""Travel exceptions (出行例外): open the region lock for one province, or the overseas
lock for one country, from a start to an end time; it closes by itself."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from smartguard.bootstrap import App
from smartguard.entrypoints.http_api.alert_models import TravelOut
from smartguard.entrypoints.http_api.auth import Principal, require
from smartguard.entrypoints.http_api.idempotency import Once
from smartguard.service_layer import travel
from smartguard.service_layer.records import Role

router = APIRouter(prefix="/v1/cards/{card_id}/travel", tags=["travel"])
Holder = Annotated[Principal, Depends(require(Role.CARDHOLDER_APP, Role.OPERATOR))]


class TravelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place: str = Field(min_length=2, max_length=10, description="A province (CN-GD, 440000) "
                       "or an overseas country or region (JP, HK)")
    starts_at: datetime = Field(description="ISO 8601; without an offset it is wall-clock "
                                "time in the cardholder's zone")
    ends_at: datetime = Field(description="ISO 8601, after starts_at, at most 180 days later")


def _app(request: Request) -> App:
    app: App = request.app.state.smartguard
    return app


@router.post("", status_code=201, response_model=TravelOut)
async def add_travel(card_id: str, body: TravelIn, request: Request, p: Holder,
                     once: Once) -> dict[str, Any]:
    """Open the lock for ``place`` from ``starts_at`` to ``ends_at``. The cardholder is
    alerted when it starts and when it ends."""
    app = _app(request)
    return await once.write(lambda uow: travel.view(travel.add_travel(
        uow, app.ctx, p.actor, card_id, body.place, body.starts_at, body.ends_at),
        app.ctx.clock()))


@router.get("", response_model=list[TravelOut])
def list_travel(card_id: str, request: Request, p: Holder,
                include_past: bool = False) -> list[dict[str, Any]]:
    """Travel exceptions not yet ended (all of them with ``include_past``)."""
    app = _app(request)
    now = app.ctx.clock()
    found = app.read(lambda uow: travel.list_travel(uow, p.actor, card_id, now, include_past))
    return [travel.view(r, now) for r in found]


@router.delete("/{travel_id}", response_model=TravelOut)
async def cancel_travel(card_id: str, travel_id: str, request: Request, p: Holder
                        ) -> dict[str, Any]:
    """End a travel exception now (or drop it before it starts)."""
    app = _app(request)
    rec = await app.awrite(
        lambda uow: travel.cancel_travel(uow, app.ctx, p.actor, card_id, travel_id))
    return travel.view(rec, app.ctx.clock())
