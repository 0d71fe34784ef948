"""The reference forwarder's handler: POST each case as signed JSON to the city platform.

- 2xx: done (the entry is acknowledged).
- 4xx other than 408/429: the receiver rejected the case; retrying cannot help → dead letter
  with the status and the response text.
- 5xx, 408, 429, timeouts and connection errors: retried with exponential backoff and full
  jitter, up to ``attempts``; then the case is left pending (``RetryLater``) for a later pass.

The secret is kept as ``SecretStr`` and never logged; nor are the signature headers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import httpx
from pydantic import SecretStr

from gridwatch.ingest.backoff import Backoff
from gridwatch.ingest.url import redact_url
from gridwatch.queue.case import CaseRecord
from gridwatch.queue.config import ForwardConfig
from gridwatch.queue.entry import Delivery
from gridwatch.queue.errors import DeadLetter, RetryLater
from gridwatch.queue.signature import signed_headers

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 429})
_TEXT_LIMIT = 500


def _retryable(status: int) -> bool:
    return status >= 500 or status in RETRY_STATUSES


class WebhookForwarder:
    """A ``StreamConsumer`` handler POSTing cases to ``url``."""

    def __init__(
        self,
        url: str,
        secret: SecretStr,
        settings: ForwardConfig | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not secret.get_secret_value():
            raise ValueError("the webhook secret is empty")
        self.url = url
        self.settings = settings or ForwardConfig()
        self._secret = secret
        self._clock = clock
        self._stop = threading.Event()
        self._http = httpx.Client(timeout=self.settings.timeout_s)
        self.sent = 0

    def __call__(self, delivery: Delivery[CaseRecord]) -> None:
        case = delivery.value
        body = case.to_json().encode()
        backoff = Backoff(self.settings.backoff_base_s, self.settings.backoff_cap_s)
        problem = ""
        for attempt in range(1, self.settings.attempts + 1):
            problem = self._post_once(case, body, delivery.deliveries)
            if not problem:
                self.sent += 1
                return
            log.warning(
                "case %s → %s: %s (attempt %d of %d)",
                case.case_id, redact_url(self.url), problem, attempt, self.settings.attempts,
            )
            if attempt < self.settings.attempts and self._stop.wait(backoff.next_delay()):
                break
        raise RetryLater(f"{redact_url(self.url)}: {problem}")

    def _post_once(self, case: CaseRecord, body: bytes, deliveries: int) -> str:
        """'' on success, else what went wrong (retryable); raises DeadLetter on a rejection."""
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": case.case_id,
            "X-Gridwatch-Case-Id": case.case_id,
            "X-Gridwatch-Delivery": str(deliveries),
            **signed_headers(self._secret.get_secret_value().encode(), int(self._clock()), body),
        }
        try:
            response = self._http.post(self.url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            return f"timed out after {self.settings.timeout_s} s ({type(exc).__name__})"
        except httpx.TransportError as exc:
            return f"connection failed ({type(exc).__name__}: {exc})"
        if response.is_success:
            return ""
        text = response.text[:_TEXT_LIMIT]
        if _retryable(response.status_code):
            return f"HTTP {response.status_code}: {text}"
        raise DeadLetter(f"HTTP {response.status_code} from {redact_url(self.url)}: {text}")

    def stop(self) -> None:
        """Interrupt a retry wait (the case stays pending)."""
        self._stop.set()

    def close(self) -> None:
        self._http.close()
