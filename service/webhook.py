"""The outgoing webhook: the connector that posts an approved reply to its channel."""

from __future__ import annotations

import httpx


class WebhookError(RuntimeError):
    pass


class Webhook:
    def __init__(self, url: str | None, timeout: float = 5.0) -> None:
        self.url = url
        self.timeout = timeout

    def send(self, payload: dict) -> None:
        if not self.url:
            raise WebhookError("no outgoing webhook is configured (set TRIAGE_WEBHOOK_URL)")
        try:
            response = httpx.post(self.url, json=payload, timeout=self.timeout)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise WebhookError(f"the outgoing webhook failed: {error}") from error
