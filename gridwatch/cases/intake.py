"""The case service's handler of the dispatch stream: each alert into the store, once.

Follows the ingestor's contract (``gridwatch.cases.ingestor``): recorded, merged or replayed →
acknowledged; the store away → ``RetryLater`` (left pending, nothing lost); not an alert →
``DeadLetter``. With ``auto_dispatch`` an alert a trusted rule confirmed is dispatched at once,
also when a redelivery finds it recorded but not yet dispatched (a crash in between).
"""

from __future__ import annotations

import logging
from collections import Counter

from gridwatch.cases.ingestor import BadEntry, StoreIngestor
from gridwatch.cases.lifecycle import CaseService
from gridwatch.cases.states import Status
from gridwatch.cases.views import RecordOutcome
from gridwatch.queue.entry import Delivery
from gridwatch.queue.errors import DeadLetter, RetryLater
from gridwatch.store.errors import ConflictError, IllegalTransition, StoreUnavailable

log = logging.getLogger(__name__)

AUTO_DISPATCH_ACTOR = "rule:auto-dispatch"


class AlertIntake:
    """``StreamConsumer`` handler of raw dispatch-stream fields."""

    def __init__(self, ingestor: StoreIngestor, cases: CaseService, auto_dispatch: bool) -> None:
        self.ingestor = ingestor
        self.cases = cases
        self.auto_dispatch = auto_dispatch
        self.outcomes: Counter[str] = Counter()

    def __call__(self, delivery: Delivery[dict[str, str]]) -> None:
        try:
            outcome = self.ingestor.handle(delivery.value, delivery.id)
            if self.auto_dispatch and outcome.status == Status.CONFIRMED:
                self._dispatch(outcome)
        except BadEntry as exc:
            raise DeadLetter(str(exc)) from None
        except StoreUnavailable as exc:
            raise RetryLater(str(exc)) from None
        self.outcomes[outcome.outcome] += 1

    def _dispatch(self, outcome: RecordOutcome) -> None:
        try:
            self.cases.dispatch(outcome.alert_id, AUTO_DISPATCH_ACTOR, "trusted rule")
        except (ConflictError, IllegalTransition) as exc:  # someone (another consumer, an operator) was first
            log.info("alert %s not auto-dispatched: %s", outcome.alert_id, exc)
