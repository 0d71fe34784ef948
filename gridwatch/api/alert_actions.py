"""What operators do to an alert: confirm, reject, merge, dispatch.

``AlertActions`` is the seam the routers call; ``RedisAlertActions`` is the minimal real one: each
alert's current status is a JSON value in a Redis hash, changed by a Lua compare-and-set, so when
two operators act on one alert at once exactly one wins and the other gets ``StatusConflict``
(409). The SQL case store replaces it at merge time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

import redis.asyncio as aioredis
from pydantic import BaseModel, Field


class Action(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"
    MERGE = "merge"
    DISPATCH = "dispatch"


# Which statuses each action may start from, and the status it leaves.
TRANSITIONS: dict[Action, tuple[frozenset[str], str]] = {
    Action.CONFIRM: (frozenset({"new"}), "confirmed"),
    Action.REJECT: (frozenset({"new", "confirmed"}), "rejected"),
    Action.MERGE: (frozenset({"new", "confirmed"}), "merged"),
    Action.DISPATCH: (frozenset({"new", "confirmed"}), "dispatched"),
}


class AlertStatus(BaseModel):
    """An alert's lifecycle state as the command hall last set it."""

    status: str = Field(description="new, confirmed, rejected, merged or dispatched.")
    by: str = Field("", description="Who set it (empty: as raised).")
    at: datetime | None = Field(None, description="When it was set (UTC).")
    reason: str = Field("", description="Why (required for reject).")
    merged_into: str | None = Field(None, description="The alert this one was merged into.")
    department: str | None = Field(None, description="Department it was dispatched to.")


class StatusConflict(Exception):
    """The alert is not in a status this action may start from (someone else acted first)."""

    def __init__(self, alert_id: str, current: str, action: Action) -> None:
        self.current = current
        super().__init__(f"alert {alert_id} is {current}; cannot {action.value} it")


class AlertActions(Protocol):
    async def statuses(self, alert_ids: Sequence[str]) -> dict[str, AlertStatus]:
        """The recorded status of each id that has one."""
        ...

    async def apply(
        self, alert_id: str, raised_status: str, action: Action, change: AlertStatus,
        expected: str | None,
    ) -> tuple[str, AlertStatus]:
        """Move the alert to ``change``; the previous status and the new record."""
        ...


_CAS = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local status = ARGV[4]
if cur then status = cjson.decode(cur)['status'] end
if ARGV[3] ~= '' and ARGV[3] ~= status then return {0, status} end
for s in string.gmatch(ARGV[2], '[^,]+') do
  if s == status then
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[5])
    return {1, status}
  end
end
return {0, status}
"""


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisAlertActions:
    def __init__(self, client: aioredis.Redis, hash_key: str) -> None:
        self.client = client
        self.hash_key = hash_key
        self._script = client.register_script(_CAS)

    async def statuses(self, alert_ids: Sequence[str]) -> dict[str, AlertStatus]:
        if not alert_ids:
            return {}
        values = await self.client.hmget(self.hash_key, list(alert_ids))
        return {
            alert_id: AlertStatus.model_validate_json(value)
            for alert_id, value in zip(alert_ids, values, strict=True) if value is not None
        }

    async def apply(
        self, alert_id: str, raised_status: str, action: Action, change: AlertStatus,
        expected: str | None,
    ) -> tuple[str, AlertStatus]:
        allowed, _ = TRANSITIONS[action]
        stamped = change.model_copy(update={"at": change.at or datetime.now(UTC)})
        won, previous = await self._script(
            keys=[self.hash_key],
            args=[alert_id, ",".join(sorted(allowed)), expected or "", raised_status,
                  stamped.model_dump_json()],
        )
        if not int(won):
            raise StatusConflict(alert_id, _text(previous), action)
        return _text(previous), stamped
