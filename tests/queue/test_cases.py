"""Case records on the cases stream: idempotent on case id, routing fields, round trip."""

from __future__ import annotations

import pytest
import redis

from gridwatch.queue.case import CaseRecord
from gridwatch.queue.cases import CasePublisher
from gridwatch.queue.config import QueueConfig
from gridwatch.queue.idempotent import IdempotentStream
from gridwatch.services.redis_server import EmbeddedRedis
from tests.queue.conftest import case


def test_stream_fields_round_trip() -> None:
    c = case(3).model_copy(update={"shop": "老王面馆"})
    assert CaseRecord.from_stream_fields(c.to_stream_fields()) == c


@pytest.mark.parametrize(
    ("update", "needle"),
    [({"bbox": "nope"}, "bbox is not JSON"), ({"due_at": "tomorrow"}, "due_at"), ({}, "")],
)
def test_malformed_fields_say_which(update: dict[str, str], needle: str) -> None:
    fields = {**case(1).to_stream_fields(), **update}
    if not needle:
        del fields["case_id"]
        needle = "case_id"
    with pytest.raises(ValueError, match=needle):
        CaseRecord.from_stream_fields(fields)


def test_publish_is_idempotent_and_carries_routing_fields(
    client: redis.Redis, stream_name: str
) -> None:
    config = QueueConfig(cases_stream=stream_name)
    pub = CasePublisher.from_config(client, config)
    first = pub.publish(case(1))
    assert first is not None
    assert pub.publish(case(1)) is None
    assert CasePublisher.from_config(client, config).publish(case(1)) is None  # another process
    assert pub.publish(case(2)) is not None
    entries = client.xrange(stream_name)
    assert len(entries) == 2
    fields = entries[0][1]
    for key in ("street", "grid", "department", "category_code"):
        assert fields[key.encode()] == getattr(case(1), key).encode()


def test_add_many_keeps_order_and_is_idempotent_on_retry(
    client: redis.Redis, stream_name: str
) -> None:
    stream = IdempotentStream(client, stream_name, maxlen=1000, ttl_s=600)
    items = [(f"k{i}", {"n": str(i)}) for i in range(10)]
    assert all(stream.add_many(items[:4]))  # a first attempt that got half-way
    again = stream.add_many(items)  # the retry of the whole batch
    assert again[:4] == [None] * 4 and all(again[4:])
    assert [f[b"n"] for _, f in client.xrange(stream_name)] == [str(i).encode() for i in range(10)]


def test_add_many_loads_its_script_on_a_server_that_lost_it(private_redis: EmbeddedRedis) -> None:
    client = redis.Redis.from_url(private_redis.url)
    stream = IdempotentStream(client, "s", maxlen=1000, ttl_s=600)
    client.script_flush()  # as after a restart
    assert all(stream.add_many([("a", {"n": "1"}), ("b", {"n": "2"})]))
    assert stream.add_many([("a", {"n": "1"}), ("c", {"n": "3"})])[0] is None
    assert client.xlen("s") == 3


def test_maxlen_caps_the_stream(client: redis.Redis, stream_name: str) -> None:
    stream = IdempotentStream(client, stream_name, maxlen=100, ttl_s=600)
    stream.add_many([(f"k{i}", {"n": str(i)}) for i in range(1000)])
    assert client.xlen(stream_name) < 300
