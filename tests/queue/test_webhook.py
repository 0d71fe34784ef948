"""The reference forwarder against a real local HTTP server: signed bodies, retries on 5xx and
timeouts, 4xx to the dead-letter stream, an unavailable platform leaves the case pending."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import redis
from pydantic import SecretStr

from gridwatch.queue.case import CaseRecord
from gridwatch.queue.cases import CasePublisher
from gridwatch.queue.config import ConsumerConfig, ForwardConfig
from gridwatch.queue.consumer import StreamConsumer
from gridwatch.queue.deadletter import dead_stream
from gridwatch.queue.entry import text
from gridwatch.queue.webhook import WebhookForwarder
from tests.queue.conftest import case, drain
from tests.queue.platform_server import Platform, serve

SECRET = "s3cret-hmac-key-for-tests"
FAST = ForwardConfig(timeout_s=0.5, attempts=4, backoff_base_s=0.01, backoff_cap_s=0.05)
CONSUMER = ConsumerConfig(block_ms=50, min_idle_ms=100, reclaim_every_s=0.05)


@pytest.fixture
def platform() -> Iterator[Platform]:
    with serve(Platform(secret=SECRET.encode())) as p:
        yield p


@pytest.fixture(autouse=True)
def _secret_never_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert SECRET not in caplog.text


def forwarding(
    client: redis.Redis, stream: str, platform: Platform, settings: ForwardConfig = FAST
) -> tuple[StreamConsumer[CaseRecord], WebhookForwarder]:
    forwarder = WebhookForwarder(platform.url, SecretStr(SECRET), settings)
    consumer = StreamConsumer(client, stream, "platform", CaseRecord.from_stream_fields, forwarder,
                              settings=CONSUMER, consumer="fwd")
    consumer.ensure_group()
    CasePublisher(client, stream, maxlen=1000, dedup_ttl_s=600).publish(case(7))
    return consumer, forwarder


def settled(client: redis.Redis, stream: str) -> bool:
    groups = client.xinfo_groups(stream)
    return bool(groups) and groups[0]["pending"] == 0 and groups[0]["last-delivered-id"] != b"0-0"


@pytest.mark.parametrize(
    ("script", "requests"),
    [([], 1), (["503", "503"], 3), (["slow"], 2), (["503", "slow", "503"], 4)],
)
def test_delivered_signed_after_retries(
    client: redis.Redis, stream_name: str, platform: Platform, script: list[str], requests: int
) -> None:
    platform.script = list(script)
    consumer, forwarder = forwarding(client, stream_name, platform)
    drain(consumer, lambda: settled(client, stream_name))
    assert len(platform.received) == requests
    assert all(r.signed for r in platform.received)
    assert platform.received[-1].body == case(7).model_dump(mode="json", exclude_none=True)
    assert platform.received[-1].headers["Idempotency-Key"] == "case-00007"
    assert forwarder.sent == 1
    assert client.xlen(dead_stream(stream_name)) == 0


def test_rejection_goes_to_dead_letters_without_retry(
    client: redis.Redis, stream_name: str, platform: Platform
) -> None:
    platform.then = "400"
    consumer, forwarder = forwarding(client, stream_name, platform)
    drain(consumer, lambda: client.xlen(dead_stream(stream_name)) == 1)
    [(_, fields)] = client.xrange(dead_stream(stream_name))
    letter = {text(k): text(v) for k, v in fields.items()}
    assert letter["case_id"] == "case-00007"
    assert letter["dead_reason"] == "rejected"
    assert "HTTP 400" in letter["dead_error"] and "bad grid code" in letter["dead_error"]
    assert len(platform.received) == 1
    assert forwarder.sent == 0


def test_wrong_secret_is_rejected_by_the_receiver(
    client: redis.Redis, stream_name: str, platform: Platform
) -> None:
    platform.secret = b"another-key"
    consumer, _ = forwarding(client, stream_name, platform)
    drain(consumer, lambda: client.xlen(dead_stream(stream_name)) == 1)
    assert [r.signed for r in platform.received] == [False]


def test_platform_down_leaves_the_case_pending_uncounted(
    client: redis.Redis, stream_name: str, platform: Platform
) -> None:
    platform.then = "slow"
    platform.slow_s = 1.0
    consumer, forwarder = forwarding(
        client, stream_name, platform, FAST.model_copy(update={"attempts": 2, "timeout_s": 0.2})
    )
    drain(consumer, lambda: len(platform.received) >= 2)
    [row] = client.xpending_range(stream_name, "platform", "-", "+", 10)
    assert row["times_delivered"] == 0  # given back: a platform outage does not count
    assert client.xlen(dead_stream(stream_name)) == 0
    assert forwarder.sent == 0
    platform.then = "200"
    drain(consumer, lambda: settled(client, stream_name))
    assert forwarder.sent == 1
