"""Escalation events into Redis Streams, idempotently on the event id.

Reuses the dispatch queue's ``StreamPublisher`` (one Lua script: ``SET NX`` on the id, then
``XADD``). Events at a level the supervisors watch also go to the supervisors' stream.
"""

from __future__ import annotations

import redis

from gridwatch.alerts.dispatch import StreamPublisher
from gridwatch.escalation.model import EscalationEvent


class EscalationPublisher:
    """``stream`` gets every event; ``supervisor_stream`` the ones flagged for supervisors."""

    def __init__(
        self,
        client: redis.Redis,
        stream: str,
        supervisor_stream: str,
        maxlen: int = 100_000,
        dedup_ttl_s: int = 30 * 86400,
    ) -> None:
        self.events = StreamPublisher(client, stream, maxlen, dedup_ttl_s)
        self.supervisors = StreamPublisher(client, supervisor_stream, maxlen, dedup_ttl_s)

    def publish(self, event: EscalationEvent) -> str | None:
        """The new entry id on the escalations stream, or None when it was there already.

        The supervisors' copy is added (once) even when the main entry already existed, so a
        crash between the two adds is repaired by the next attempt.
        """
        fields = event.to_stream_fields()
        entry = self.events.publish_once(event.event_id, fields)
        if event.supervisors:
            self.supervisors.publish_once(event.event_id, fields)
        return entry
