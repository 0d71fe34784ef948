"""A consumer process that takes entries and hangs in its handler (the test SIGKILLs it).

Run: python -m tests.queue.crash_consumer REDIS_URL STREAM GROUP MARKER_FILE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import redis

from gridwatch.queue.case import CaseRecord
from gridwatch.queue.config import ConsumerConfig
from gridwatch.queue.consumer import StreamConsumer
from gridwatch.queue.entry import Delivery


def main(url: str, stream: str, group: str, marker: str) -> None:
    def hang(delivery: Delivery[CaseRecord]) -> None:
        Path(marker).write_text(delivery.id)
        time.sleep(3600)

    client = redis.Redis.from_url(url, socket_timeout=10)
    consumer = StreamConsumer(client, stream, group, CaseRecord.from_stream_fields, hang,
                              settings=ConsumerConfig(batch=1000, block_ms=200), consumer="victim")
    consumer.run()


if __name__ == "__main__":
    main(*sys.argv[1:5])
