"""Cursor pagination of the list endpoints (decisions, audit, outbox, cards; docs/api.md):
``limit`` (at most :data:`MAX_LIMIT`) and ``cursor``; an answer is ``{"items": [...],
"next_cursor": ...}``. A cursor is the position of a page's last item (its sort key,
keyset pagination), base64url JSON, opaque to clients: rows written between two pages
never make the next one repeat or skip an item."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from smartguard.errors import InvalidInput

MAX_LIMIT = 500
Position = list[str | int]
T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
Cursor = Annotated[str | None, Query(max_length=400, description=(
    "the next_cursor of the previous page; absent for the first page"))]


def encode(position: Position) -> str:
    raw = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None, shape: Sequence[type]) -> Position | None:
    """The position in ``cursor`` (None for the first page); a cursor this server did not
    make, or made for another list, is 422 ``invalid_cursor``."""
    if cursor is None:
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        raise _invalid() from None
    if (not isinstance(position, list) or len(position) != len(shape)
            or not all(type(v) is t for v, t in zip(position, shape, strict=True))):
        raise _invalid()
    return position


def _invalid() -> InvalidInput:
    return InvalidInput("cursor", "not a cursor of this list", "invalid_cursor")


def page(found: list[T], limit: int, position: Callable[[T], Position],
         view: Callable[[T], Any]) -> dict[str, Any]:
    """The answer for ``found``, read with ``limit + 1`` so that a next page is known."""
    items = found[:limit]
    more = len(found) > limit
    return {"items": [view(x) for x in items],
            "next_cursor": encode(position(items[-1])) if more else None}


class Page(BaseModel):
    next_cursor: str | None = Field(description="pass as cursor for the next page; null "
                                    "on the last one", examples=["WyIyMDI2LTExLTI1Il0"])
