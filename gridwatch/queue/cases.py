"""Publishing dispatched cases to ``gridwatch:cases``, idempotently on ``case_id``."""

from __future__ import annotations

import redis

from gridwatch.queue.case import CaseRecord
from gridwatch.queue.config import QueueConfig
from gridwatch.queue.idempotent import IdempotentStream


class CasePublisher:
    """``XADD`` of case records, once per case id (the same Lua script as the alert stream)."""

    def __init__(self, client: redis.Redis, stream: str, maxlen: int, dedup_ttl_s: int) -> None:
        self.stream = stream
        self._stream = IdempotentStream(client, stream, maxlen, dedup_ttl_s)

    @classmethod
    def from_config(cls, client: redis.Redis, config: QueueConfig) -> CasePublisher:
        return cls(client, config.cases_stream, config.cases_maxlen, config.cases_dedup_ttl_s)

    def publish(self, case: CaseRecord) -> str | None:
        """The new entry's id, or None when this case id was already published."""
        return self._stream.add(case.case_id, case.to_stream_fields())
