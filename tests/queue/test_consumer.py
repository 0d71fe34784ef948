"""StreamConsumer on the real (shared) Redis: ack after success, poison and failures to the
dead-letter stream, claiming idle entries page by page, retry-later not counted, filtering."""

from __future__ import annotations

import collections
import time
from typing import Any

import pytest
import redis

from gridwatch.queue.case import CaseRecord
from gridwatch.queue.cases import CasePublisher
from gridwatch.queue.config import ConsumerConfig
from gridwatch.queue.consumer import StreamConsumer
from gridwatch.queue.deadletter import dead_stream
from gridwatch.queue.entry import Delivery, text
from gridwatch.queue.errors import DeadLetter, RetryLater
from tests.queue.conftest import case, drain

GROUP = "g"
FAST = ConsumerConfig(block_ms=50, min_idle_ms=50, reclaim_every_s=0.05, max_deliveries=3, batch=10)


class Recorder:
    """A handler that records case ids and fails as told."""

    def __init__(self, fail: dict[str, BaseException] | None = None) -> None:
        self.fail = fail or {}
        self.calls: collections.Counter[str] = collections.Counter()
        self.handled: list[str] = []

    def __call__(self, delivery: Delivery[CaseRecord]) -> None:
        cid = delivery.value.case_id
        self.calls[cid] += 1
        if cid in self.fail:
            raise self.fail[cid]
        self.handled.append(cid)


def consumer_for(
    client: redis.Redis, stream: str, handler: Recorder, name: str = "c1", **kw: Any
) -> StreamConsumer[CaseRecord]:
    c = StreamConsumer(client, stream, GROUP, CaseRecord.from_stream_fields, handler,
                       settings=FAST, consumer=name, **kw)
    c.ensure_group()
    return c


def publish(client: redis.Redis, stream: str, n: int) -> list[str]:
    pub = CasePublisher(client, stream, maxlen=10_000, dedup_ttl_s=600)
    return [pub.publish(case(i)) or "" for i in range(n)]


def pending(client: redis.Redis, stream: str) -> int:
    return int(client.xpending(stream, GROUP)["pending"])


def dead(client: redis.Redis, stream: str) -> list[dict[str, str]]:
    return [{text(k): text(v) for k, v in f.items()} for _, f in client.xrange(dead_stream(stream))]


def test_group_creation_is_idempotent(client: redis.Redis, stream_name: str) -> None:
    c = StreamConsumer(client, stream_name, GROUP, CaseRecord.from_stream_fields, Recorder(),
                       settings=FAST)
    assert c.ensure_group() is True
    assert c.ensure_group() is False
    assert client.exists(stream_name)


def test_each_entry_handled_once_and_acked(client: redis.Redis, stream_name: str) -> None:
    handler = Recorder()
    c = consumer_for(client, stream_name, handler)
    publish(client, stream_name, 12)
    drain(c, lambda: len(handler.handled) == 12)
    for _ in range(3):
        c.poll(1e9)  # reclaim is due: nothing is pending, nothing comes twice
    assert handler.handled == [f"case-{i:05d}" for i in range(12)]
    assert pending(client, stream_name) == 0


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"case_id": "x"}, "validation error"),
        ({**case(1).to_stream_fields(), "bbox": "[0.1, 0.2"}, "bbox is not JSON"),
        ({**case(1).to_stream_fields(), "level": "purple"}, "level"),
        ({**case(1).to_stream_fields(), "surprise": "1"}, "surprise"),
        ({b"case_id": b"\xff\xfe"}, "UnicodeDecodeError"),
    ],
)
def test_poison_goes_to_dead_letters_at_once(
    client: redis.Redis, stream_name: str, fields: dict[Any, Any], needle: str
) -> None:
    handler = Recorder()
    c = consumer_for(client, stream_name, handler)
    bad_id = text(client.xadd(stream_name, fields))
    publish(client, stream_name, 1)
    drain(c, lambda: len(handler.handled) == 1 and client.xlen(dead_stream(stream_name)) == 1)
    [(_, raw)] = client.xrange(dead_stream(stream_name))
    for key, value in fields.items():  # the poison's own fields are kept, bytes as they were
        assert raw[key if isinstance(key, bytes) else key.encode()] == (
            value if isinstance(value, bytes) else value.encode())
    letter = {k.decode(): v.decode() for k, v in raw.items() if k.startswith(b"dead_")}
    assert letter["dead_reason"] == "poison"
    assert needle in letter["dead_error"]
    assert letter["dead_source_id"] == bad_id
    assert letter["dead_deliveries"] == "1"
    assert pending(client, stream_name) == 0


def test_failing_entry_goes_to_dead_letters_with_its_delivery_count(
    client: redis.Redis, stream_name: str
) -> None:
    handler = Recorder(fail={"case-00001": ValueError("storage rejected the row")})
    c = consumer_for(client, stream_name, handler)
    publish(client, stream_name, 3)
    drain(c, lambda: len(dead(client, stream_name)) == 1)
    [letter] = dead(client, stream_name)
    assert letter["case_id"] == "case-00001"
    assert letter["dead_reason"] == "failed"
    assert letter["dead_deliveries"] == str(FAST.max_deliveries)
    assert "storage rejected the row" in letter["dead_error"]
    assert handler.calls["case-00001"] == FAST.max_deliveries
    assert sorted(handler.handled) == ["case-00000", "case-00002"]
    assert pending(client, stream_name) == 0


def test_dead_letter_raised_by_handler_moves_at_once(client: redis.Redis, stream_name: str) -> None:
    handler = Recorder(fail={"case-00000": DeadLetter("HTTP 400: bad grid")})
    c = consumer_for(client, stream_name, handler)
    publish(client, stream_name, 1)
    drain(c, lambda: len(dead(client, stream_name)) == 1)
    [letter] = dead(client, stream_name)
    assert (letter["dead_reason"], letter["dead_error"]) == ("rejected", "HTTP 400: bad grid")
    assert handler.calls["case-00000"] == 1


def test_retry_later_does_not_count_towards_dead_letters(
    client: redis.Redis, stream_name: str
) -> None:
    class Flaky(Recorder):
        def __call__(self, delivery: Delivery[CaseRecord]) -> None:
            self.calls[delivery.value.case_id] += 1
            if self.calls[delivery.value.case_id] <= 2 * FAST.max_deliveries:
                raise RetryLater("platform down")
            self.handled.append(delivery.value.case_id)

    handler = Flaky()
    c = consumer_for(client, stream_name, handler)
    publish(client, stream_name, 2)
    drain(c, lambda: len(handler.handled) == 2)
    assert dead(client, stream_name) == []
    assert pending(client, stream_name) == 0


def test_claims_every_page_of_a_dead_consumers_entries(client: redis.Redis, stream_name: str) -> None:
    handler = Recorder()
    c = consumer_for(client, stream_name, handler)
    c.settings = FAST.model_copy(update={"batch": 4})
    publish(client, stream_name, 25)
    # A consumer takes them all and dies without acknowledging anything.
    client.xreadgroup(GROUP, "ghost", {stream_name: ">"}, count=100)
    assert pending(client, stream_name) == 25
    time.sleep(FAST.min_idle_ms / 1000 * 2)
    assert c.reclaim() == 25  # one call: XAUTOCLAIM's cursor followed through 7 pages of 4
    assert sorted(handler.handled) == [f"case-{i:05d}" for i in range(25)]
    assert pending(client, stream_name) == 0


def test_entry_delivered_too_often_goes_to_dead_letters(client: redis.Redis, stream_name: str) -> None:
    handler = Recorder()
    c = consumer_for(client, stream_name, handler)
    [entry_id] = publish(client, stream_name, 1)
    client.xreadgroup(GROUP, "ghost", {stream_name: ">"}, count=1)
    # Consumers crashed on it again and again: its delivery count is at the limit.
    client.xclaim(stream_name, GROUP, "ghost", 0, [entry_id], retrycount=FAST.max_deliveries,
                  justid=True)
    drain(c, lambda: len(dead(client, stream_name)) == 1)
    [letter] = dead(client, stream_name)
    assert letter["dead_reason"] == "max_deliveries"
    assert letter["dead_deliveries"] == str(FAST.max_deliveries + 1)
    assert handler.calls == {}


def test_filter_acks_other_departments_without_handling(client: redis.Redis, stream_name: str) -> None:
    pub = CasePublisher(client, stream_name, maxlen=1000, dedup_ttl_s=600)
    pub.publish(case(1, department="环卫"))
    pub.publish(case(2, department="市政设施应急队"))
    handler = Recorder()
    c = consumer_for(client, stream_name, handler, accept=lambda k: k.department == "环卫")
    drain(c, lambda: pending(client, stream_name) == 0 and client.xinfo_groups(stream_name)[0][
        "last-delivered-id"] != b"0-0")
    assert handler.handled == ["case-00001"]


def test_socket_timeout_shorter_than_block_is_refused(redis_url: str, stream_name: str) -> None:
    short = redis.Redis.from_url(redis_url, socket_timeout=0.5)
    with pytest.raises(ValueError, match="socket_timeout"):
        StreamConsumer(short, stream_name, GROUP, CaseRecord.from_stream_fields, Recorder(),
                       settings=ConsumerConfig(block_ms=1000))
