"""The worker's verification inbox against real Redis: requests reach only their camera's
pipeline, once (again for a rebuilt pipeline), and a verdict reached while Redis is away is
published once it is back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis

from gridwatch.config.models import CameraConfig
from gridwatch.services.redis_server import EmbeddedRedis
from gridwatch.verification.board import PostedRequest, VerificationBoard, verdict_from_fields
from gridwatch.verification.inbox import VerificationInbox
from gridwatch.verification.tracker import VerificationRequest, VerificationResult

T0 = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


class Pipeline:
    """Stands in for CameraPipeline: records what it was asked to re-check."""

    def __init__(self, camera_id: str) -> None:
        self.camera = CameraConfig.model_validate({"id": camera_id, "url": "rtsp://127.0.0.1/x"})
        self.on_verification = None
        self.asked: list[str] = []

    def request_verification(self, request: VerificationRequest) -> None:
        self.asked.append(request.request_id)


def posted(n: int, camera: str) -> PostedRequest:
    return PostedRequest(request_id=f"case-{n}@1", case_id=f"case-{n}", alert_id=str(n),
                         camera_id=camera, zone="cover", incident="manhole_missing",
                         bbox=(0.1, 0.1, 0.2, 0.2), handled_at=T0)


def board_on(url: str, prefix: str) -> VerificationBoard:
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    return VerificationBoard(client, f"{prefix}:requests", f"{prefix}:verdicts")


def test_requests_reach_their_camera_once(redis_url: str, stream_name: str) -> None:
    board = board_on(redis_url, stream_name)
    assert board.post(posted(1, "cam-a")) and board.post(posted(2, "cam-b"))
    assert not board.post(posted(1, "cam-a"))  # posting again changes nothing
    a, other = Pipeline("cam-a"), Pipeline("cam-x")
    pipelines = [a, other]
    inbox = VerificationInbox(board, lambda: pipelines)
    assert inbox.poll_once() == 1 and inbox.poll_once() == 0
    assert a.asked == ["case-1@1"] and other.asked == [] and a.on_verification == inbox.report
    rebuilt = Pipeline("cam-a")  # the camera was removed and added again: a fresh tracker
    pipelines[0] = rebuilt
    assert inbox.poll_once() == 1 and rebuilt.asked == ["case-1@1"]
    board.remove("case-1@1")
    board.post(posted(3, "cam-a"))
    assert inbox.poll_once() == 1 and rebuilt.asked == ["case-1@1", "case-3@1"]


def test_a_verdict_reached_while_redis_is_away_is_sent_later(
    private_redis: EmbeddedRedis, tmp_path: Path
) -> None:
    board = board_on(private_redis.url, "v")
    inbox = VerificationInbox(board, lambda: [])
    private_redis.stop()
    verdict = VerificationResult("case-1@1", "verified", T0, "incident absent for 5 s")
    inbox.report(verdict)  # must not raise
    assert inbox.poll_once() == 0
    restarted = EmbeddedRedis(port=private_redis.port, workdir=tmp_path / "r2").start()
    try:
        inbox.poll_once()
        inbox.report(verdict)  # the same verdict again: still one entry
        ((_, fields),) = board.client.xrange("v:verdicts")
        decoded = {k.decode(): v.decode() for k, v in fields.items()}
        assert verdict_from_fields(decoded) == verdict
        assert inbox.published == 1
    finally:
        restarted.stop()


@pytest.mark.parametrize(("fields", "message"), [
    ({"request_id": "r", "outcome": "verified", "at": T0.isoformat()}, "lacks field"),
    ({"request_id": "r", "outcome": "maybe", "at": T0.isoformat(), "detail": ""}, "'maybe'"),
    ({"request_id": "r", "outcome": "verified", "at": "2026-12-02T08:00", "detail": ""},
     "no UTC offset"),
])
def test_a_malformed_verdict_is_a_clear_error(fields: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        verdict_from_fields(fields)
