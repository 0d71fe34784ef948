"""A site config whose streams and keys all live under one test prefix, and a case process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import redis

from gridwatch.cases.process import CaseProcess
from gridwatch.config.models import GridwatchConfig
from gridwatch.queue.config import ConsumerConfig
from gridwatch.store.store import Store

FAST = ConsumerConfig(block_ms=50, min_idle_ms=300, reclaim_every_s=0.1, batch=50,
                      reconnect_base_s=0.05, reconnect_cap_s=0.5)


def site_for(prefix: str, tmp_path: Path, redis_url: str = "redis://127.0.0.1:6379/0",
             cases: dict[str, Any] | None = None, **escalation: Any) -> GridwatchConfig:
    """Every stream and key under ``prefix`` (the ``stream_name`` fixture deletes them)."""
    verification = {"requests_key": f"{prefix}:verify:requests",
                    "verdict_stream": f"{prefix}:verify:verdicts", "poll_s": 0.1}
    return GridwatchConfig.model_validate({
        "redis": {"url": redis_url, "dispatch_stream": f"{prefix}:dispatch", "embedded": False},
        "queue": {"cases_stream": f"{prefix}:cases", "consumer": FAST.model_dump()},
        "store": {"data_dir": str(tmp_path / "var")},
        "cases": cases or {},
        "escalation": {"stream": f"{prefix}:escalations",
                       "supervisor_stream": f"{prefix}:supervisors",
                       "verification": verification, **escalation},
    })


def case_process(site: GridwatchConfig, store: Store, consumer: str = "svc",
                 **kw: Any) -> tuple[CaseProcess, redis.Redis]:
    client = redis.Redis.from_url(site.redis.url.get_secret_value(), socket_timeout=5,
                                  socket_connect_timeout=5)
    process = CaseProcess(site, client, store, consumer=consumer, **kw)
    process.ensure_groups()
    return process, client
