"""Video verification, the case service's side: handled cases ask their camera to re-check;
the camera's verdict verifies the case, or reopens it and escalates.

``post_requests`` offers one request per handling of each handled case (idempotent: posting
again changes nothing). ``VerdictHandler`` (a ``StreamConsumer`` handler of the verdict stream)
applies a verdict only while the case is still in the handling it was asked for, then removes
the request; a verdict for a request already settled is acknowledged and ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from gridwatch.cases.lifecycle import CaseService
from gridwatch.cases.states import Status
from gridwatch.cases.supervision import open_items
from gridwatch.cases.views import OpenItem
from gridwatch.escalation.config import VerificationConfig
from gridwatch.queue.entry import Delivery
from gridwatch.queue.errors import RetryLater
from gridwatch.store.errors import ConflictError, IllegalTransition, StoreUnavailable
from gridwatch.store.store import Store
from gridwatch.verification.board import PostedRequest, VerificationBoard, request_id_for
from gridwatch.verification.tracker import VerificationResult

log = logging.getLogger(__name__)

Escalate = Callable[[PostedRequest, VerificationResult], None]


def posted_request(item: OpenItem, settings: VerificationConfig) -> PostedRequest:
    """The request for a handled case (``item`` must have a case and a handling time)."""
    if item.case_id is None or item.handled_at is None:
        raise ValueError(f"alert {item.alert_id} has no handled case to verify")
    return PostedRequest(
        request_id=request_id_for(item.case_id, item.handled_at), case_id=item.case_id,
        alert_id=item.alert_id, camera_id=item.camera_id, zone=item.zone, incident=item.incident,
        bbox=item.bbox, handled_at=item.handled_at, absent_s=settings.absent_seconds,
        present_s=settings.present_seconds,
    )


def post_requests(store: Store, board: VerificationBoard, settings: VerificationConfig) -> int:
    """Post a request for every handled case not yet asked; returns how many were new."""
    new = 0
    for item in open_items(store, [Status.HANDLED]):
        if item.case_id is not None and item.handled_at is not None:
            new += board.post(posted_request(item, settings))
    return new


class VerdictHandler:
    """Applies camera verdicts to the store; ``escalate`` is told of each failed verification
    before the case is reopened (so a crash in between escalates once, then reopens)."""

    def __init__(self, cases: CaseService, board: VerificationBoard, escalate: Escalate) -> None:
        self.cases = cases
        self.board = board
        self.escalate = escalate
        self.applied = 0

    def __call__(self, delivery: Delivery[VerificationResult]) -> None:
        result = delivery.value
        request = self.board.get(result.request_id)
        if request is None:
            log.info("verdict %s: request already settled; ignored", result.request_id)
            return
        try:
            self._apply(request, result)
        except StoreUnavailable as exc:
            raise RetryLater(str(exc)) from None
        except (ConflictError, IllegalTransition) as exc:  # someone acted on the case meanwhile
            log.info("verdict %s not applied: %s", result.request_id, exc)
        self.board.remove(result.request_id)

    def _apply(self, request: PostedRequest, result: VerificationResult) -> None:
        item = self.cases.get(request.alert_id)
        if item.status != Status.HANDLED or item.handled_at != request.handled_at:
            log.info("verdict %s: case %s is %s now; ignored", result.request_id,
                     request.case_id, item.status)
            return
        actor = f"camera:{request.camera_id}"
        if result.outcome == "verified":
            self.cases.verify(request.alert_id, actor, result.detail, item.version)
        else:
            self.escalate(request, result)
            self.cases.reopen(request.alert_id, actor, f"verification failed: {result.detail}",
                              item.version)
        self.applied += 1
        log.info("case %s %s by %s: %s", request.case_id, result.outcome, actor, result.detail)
