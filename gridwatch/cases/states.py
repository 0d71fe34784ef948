"""The alert/case lifecycle: statuses and the transitions allowed between them.

new → confirmed (operator, or a trusted rule) → dispatched → handled → verified → closed;
new/confirmed → rejected (false positive, with a reason) or merged (duplicate of another alert);
handled → reopened (verification failed) → dispatched again (or handled again).
"""

from __future__ import annotations

from enum import StrEnum

from gridwatch.config.incidents import WarningLevel
from gridwatch.store.errors import IllegalTransition


class Status(StrEnum):
    NEW = "new"
    CONFIRMED = "confirmed"
    DISPATCHED = "dispatched"
    HANDLED = "handled"
    VERIFIED = "verified"
    CLOSED = "closed"
    REJECTED = "rejected"
    MERGED = "merged"
    REOPENED = "reopened"


ALLOWED: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.CONFIRMED, Status.REJECTED, Status.MERGED}),
    Status.CONFIRMED: frozenset({Status.DISPATCHED, Status.REJECTED, Status.MERGED}),
    Status.DISPATCHED: frozenset({Status.HANDLED}),
    Status.HANDLED: frozenset({Status.VERIFIED, Status.REOPENED}),
    Status.VERIFIED: frozenset({Status.CLOSED}),
    Status.REOPENED: frozenset({Status.DISPATCHED, Status.HANDLED}),
    Status.CLOSED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.MERGED: frozenset(),
}

# Still needs someone to act: what escalation and video verification look at.
OPEN: frozenset[Status] = frozenset(
    {Status.NEW, Status.CONFIRMED, Status.DISPATCHED, Status.HANDLED, Status.REOPENED}
)
# A duplicate can join these (not one that is already fixed, rejected or merged).
MERGEABLE_INTO: frozenset[Status] = frozenset(
    {Status.NEW, Status.CONFIRMED, Status.DISPATCHED, Status.REOPENED}
)
# Decided by a person or rule (the denominator of the false-positive rate).
DECIDED: frozenset[Status] = frozenset(set(Status) - {Status.NEW, Status.MERGED})
NEEDS_REASON: frozenset[Status] = frozenset({Status.REJECTED, Status.MERGED, Status.REOPENED})

LEVEL_ORDER: tuple[WarningLevel, ...] = (
    WarningLevel.BLUE, WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED,
)


def check_transition(entity_id: str, current: str, target: Status) -> Status:
    """``current`` as a Status, when moving to ``target`` is allowed; else IllegalTransition."""
    try:
        source = Status(current)
    except ValueError:
        raise IllegalTransition(entity_id, current, target, []) from None
    if target not in ALLOWED[source]:
        raise IllegalTransition(entity_id, source, target, sorted(ALLOWED[source]))
    return source


def level_rank(level: str) -> int:
    """0 (blue) .. 3 (red); ValueError naming the level otherwise."""
    try:
        return LEVEL_ORDER.index(WarningLevel(level))
    except ValueError:
        raise ValueError(f"unknown warning level {level!r} (blue, yellow, orange, red)") from None
