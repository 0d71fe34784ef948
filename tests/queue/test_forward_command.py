"""`gridwatch forward` end to end: config → cases stream → signed POSTs to a local server."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
import yaml
from typer.testing import CliRunner

from gridwatch.cli import app
from gridwatch.queue.cases import CasePublisher
from tests.queue.conftest import case
from tests.queue.platform_server import Platform, serve

SECRET = "cli-secret-value"


def site_file(tmp_path: Path, redis_url: str, stream: str) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump({
        "redis": {"url": redis_url, "embedded": False},
        "store": {"data_dir": str(tmp_path / "var")},
        "queue": {"cases_stream": stream,
                  "consumer": {"block_ms": 100},
                  "forward": {"departments": ["环卫"], "backoff_base_s": 0.01}},
    }, allow_unicode=True))
    return path


def test_forward_posts_the_departments_cases(
    client: redis.Redis, redis_url: str, stream_name: str, tmp_path: Path
) -> None:
    pub = CasePublisher(client, stream_name, maxlen=1000, dedup_ttl_s=600)
    pub.publish(case(1, department="环卫"))
    pub.publish(case(2, department="市政设施应急队"))
    with serve(Platform(secret=SECRET.encode())) as platform:
        result = CliRunner().invoke(
            app,
            ["forward", "--config", str(site_file(tmp_path, redis_url, stream_name)),
             "--url", platform.url, "--secret-env", "GW_TEST_SECRET", "--duration", "3"],
            env={"GW_TEST_SECRET": SECRET},
        )
    assert result.exit_code == 0, result.output
    assert "forwarded 1 case(s)" in result.output
    assert [(r.body["case_id"], r.signed) for r in platform.received] == [("case-00001", True)]
    assert SECRET not in result.output


@pytest.mark.parametrize(
    ("args", "env", "needle"),
    [
        (["--url", "ftp://x", "--secret-env", "S"], {"S": "x"}, "http:// or https://"),
        (["--url", "http://127.0.0.1:9/x", "--secret-env", "GW_UNSET_VAR"], {}, "GW_UNSET_VAR"),
    ],
)
def test_forward_refuses_bad_arguments(args: list[str], env: dict[str, str], needle: str) -> None:
    result = CliRunner().invoke(app, ["forward", *args], env=env)
    assert result.exit_code == 2
    assert needle in result.output
