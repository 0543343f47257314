"""Alerts to the bank's systems as signed JSON webhooks (httpx, async).

Each message is POSTed to every configured URL with ``SmartGuard-Signature`` (see
:mod:`signing`) and ``SmartGuard-Message-Id``; it counts as delivered when every URL
answered 2xx. A non-2xx answer, a timeout or a connection error fails the attempt and the
notifier retries it later (to every URL again: receivers dedupe on the message id).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import httpx

from smartguard.adapters.webhook.signing import HEADER, sign
from smartguard.domain.alerts import CODE_MARK
from smartguard.service_layer.messages import OutboxMessage, text_of
from smartguard.service_layer.relay import DeliveryFailed


def body(message: OutboxMessage) -> dict[str, Any]:
    """The JSON a receiver gets: no PAN, no one-time code (its text shows ``******``)."""
    return {
        "id": message.id, "type": message.event, "kind": message.kind,
        "created_at": message.created_at.isoformat(), "card_id": message.card_id,
        "cardholder_id": message.cardholder_id, "language": message.language,
        "text": text_of(message).replace(CODE_MARK, "******"), "data": dict(message.payload),
    }


class WebhookSender:
    channel = "webhook"
    available = True

    def __init__(self, urls: Sequence[str], secrets: Sequence[str], timeout: float = 10.0,
                 client: httpx.AsyncClient | None = None) -> None:
        self.urls, self.secrets = list(urls), [s for s in secrets if s]
        self._client = client or httpx.AsyncClient(timeout=timeout)

    async def send(self, message: OutboxMessage, text: str) -> str | None:
        raw = json.dumps(body(message), ensure_ascii=False, separators=(",", ":")).encode()
        headers = {"content-type": "application/json", HEADER: sign(raw, self.secrets),
                   "SmartGuard-Message-Id": message.id}
        for url in self.urls:
            try:
                answer = await self._client.post(url, content=raw, headers=headers)
            except httpx.HTTPError as exc:
                raise DeliveryFailed(f"{url}: {type(exc).__name__}: {exc}") from exc
            if not 200 <= answer.status_code < 300:
                raise DeliveryFailed(f"{url} answered {answer.status_code}")
        return None

    async def aclose(self) -> None:
        await self._client.aclose()
