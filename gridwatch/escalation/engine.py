"""The escalation engine: pure logic over item snapshots, on an explicit ``now``.

Each item has a schedule of due steps, fixed by its own timestamps and the category's
deadlines: ``unconfirmed`` every ``confirm_within`` after raising until confirmed,
``undispatched`` every ``dispatch_within`` after confirming until dispatched, ``overdue`` at the
due time and after each further ``handle_within`` until handled, ``recurrence`` once when the
place has seen the incident N times within the window. Every due step not yet applied raises
the level once (never above red). Event ids derive from (item, trigger, step), so evaluating the
same snapshot again yields the same events, and steps the store has recorded (by id, or at or
before ``last_escalated_at``) are never emitted again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from gridwatch.config.incidents import WarningLevel
from gridwatch.escalation.calendar import DeadlineClock, WorkingCalendar, clock_for
from gridwatch.escalation.config import DeadlineConfig, EscalationConfig
from gridwatch.escalation.model import (
    FINAL_STATUSES,
    LEVELS,
    EscalationEvent,
    EscalationItem,
    Trigger,
    event_id,
    next_level,
)

MAX_STEPS = len(LEVELS) - 1  # no trigger can raise more than blue → red


@dataclass(frozen=True, slots=True)
class DueStep:
    """One escalation step of an item and the instant it falls due."""

    trigger: Trigger
    step: int
    at: datetime
    detail: str


def _periodic(
    trigger: Trigger, clock: DeadlineClock, first: datetime, period: timedelta,
    stop: datetime | None, now: datetime, what: str,
) -> Iterator[DueStep]:
    """Steps at ``first``, ``first + period``, … that fell due before ``stop`` and by ``now``."""
    for k in range(1, MAX_STEPS + 1):
        at = first if k == 1 else clock.add(first, (k - 1) * period)
        if at > now or (stop is not None and at >= stop):
            return
        yield DueStep(trigger, k, at, f"{what} (step {k}, period {period})")


class EscalationEngine:
    """Evaluates snapshots against the site's deadlines, calendar and recurrence rule."""

    def __init__(self, config: EscalationConfig, calendar: WorkingCalendar) -> None:
        self.config = config
        self.calendar = calendar

    def evaluate(self, items: Iterable[EscalationItem], now: datetime) -> list[EscalationEvent]:
        """Every escalation due by ``now`` and not yet recorded, in time order."""
        snapshot = list(items)
        counts = self._recurrences(snapshot)
        events = [
            event
            for item in snapshot
            for event in self.evaluate_item(item, now, counts.get(item.item_id, 1))
        ]
        return sorted(events, key=lambda e: (e.at, e.item_id, e.step))

    def evaluate_item(
        self, item: EscalationItem, now: datetime, seen_in_window: int = 1
    ) -> list[EscalationEvent]:
        if item.status in FINAL_STATUSES:
            return []
        recurrences = max(item.recurrence_count, seen_in_window)
        steps = sorted(self.due_steps(item, now, recurrences), key=lambda s: s.at)
        level, out = item.current_level, []
        for due in steps:
            eid = event_id(item.item_id, due.trigger, due.step)
            if eid in item.escalation_ids or (
                item.last_escalated_at is not None and due.at <= item.last_escalated_at
            ):
                continue
            target = level if due.trigger is Trigger.RAISED else next_level(level)
            if target is None:
                break
            out.append(self._event(item, eid, due, level, target))
            level = target
        return out

    def due_steps(self, item: EscalationItem, now: datetime, recurrences: int) -> list[DueStep]:
        """The item's schedule up to ``now`` (before applying what was already recorded)."""
        deadline = self.config.deadline(item.incident)
        clock = clock_for(deadline, self.calendar)
        steps: list[DueStep] = []
        if item.level in self.config.notify_supervisors and item.raised_at <= now:
            steps.append(DueStep(Trigger.RAISED, 0, item.raised_at, f"raised at {item.level}"))
        if recurrences >= self.config.recurrence.count and item.raised_at <= now:
            steps.append(DueStep(
                Trigger.RECURRENCE, 1, item.raised_at,
                f"seen {recurrences} times here within {self.config.recurrence.window}",
            ))
        steps += self._deadline_steps(item, deadline, clock, now)
        return steps

    @staticmethod
    def _deadline_steps(
        item: EscalationItem, deadline: DeadlineConfig, clock: DeadlineClock, now: datetime
    ) -> list[DueStep]:
        steps = list(_periodic(
            Trigger.UNCONFIRMED, clock, clock.add(item.raised_at, deadline.confirm_within),
            deadline.confirm_within, item.confirmed_at, now, "not confirmed in time",
        ))
        if item.confirmed_at is not None:
            steps += _periodic(
                Trigger.UNDISPATCHED, clock, clock.add(item.confirmed_at, deadline.dispatch_within),
                deadline.dispatch_within, item.dispatched_at, now, "not dispatched in time",
            )
        if item.dispatched_at is not None:
            due = item.due_at or clock.add(item.dispatched_at, deadline.handle_within)
            steps += _periodic(
                Trigger.OVERDUE, clock, due, deadline.handle_within, item.handled_at, now,
                "overdue",
            )
        return steps

    def immediate(
        self, item: EscalationItem, trigger: Trigger, step: int, at: datetime, detail: str
    ) -> EscalationEvent:
        """One step up from the item's current level at ``at``, outside the schedule (e.g. a
        failed verification); at red it stays red (a repeat notice). The id is stable on
        (item, trigger, step), so the same step asked for twice is the same event."""
        level = item.current_level
        target = next_level(level) or level
        due = DueStep(trigger, step, at, detail)
        return self._event(item, event_id(item.item_id, trigger, step), due, level, target)

    def _event(
        self, item: EscalationItem, eid: str, due: DueStep, from_level: WarningLevel,
        to_level: WarningLevel,
    ) -> EscalationEvent:
        return EscalationEvent(
            event_id=eid,
            item_id=item.item_id,
            camera_id=item.camera_id,
            zone=item.zone,
            incident=item.incident,
            from_level=from_level,
            to_level=to_level,
            trigger=due.trigger,
            step=due.step,
            at=due.at,
            detail=due.detail,
            supervisors=to_level in self.config.notify_supervisors,
        )

    def _recurrences(self, items: list[EscalationItem]) -> dict[str, int]:
        """How many items of the batch share each item's place within the window before it."""
        by_place: dict[tuple[str, str, str], list[EscalationItem]] = defaultdict(list)
        for item in items:
            by_place[item.place].append(item)
        window = self.config.recurrence.window
        counts: dict[str, int] = {}
        for group in by_place.values():
            for item in group:
                counts[item.item_id] = sum(
                    1 for other in group
                    if item.raised_at - window < other.raised_at <= item.raised_at
                )
        return counts
