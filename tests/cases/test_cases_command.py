"""`gridwatch cases run` on real Redis and a real SQLite store, and its clear errors."""

from __future__ import annotations

from pathlib import Path

import redis
import yaml
from typer.testing import CliRunner

from gridwatch.alerts.dispatch import StreamPublisher
from gridwatch.services.redis_server import free_port
from tests.cases.helpers import make_alert
from tests.cases.service_site import site_for
from tests.cases.test_case_service import TRUSTED, cases_out


def config_file(tmp_path: Path, prefix: str, redis_url: str) -> Path:
    site = site_for(prefix, tmp_path, redis_url, cases=TRUSTED, interval_s=0.2)
    site.cases.service.tick_s = 0.2
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(site.model_dump(mode="json", exclude_defaults=True) | {
        "redis": {"url": redis_url, "dispatch_stream": site.redis.dispatch_stream,
                  "embedded": False}}, allow_unicode=True), encoding="utf-8")
    return path


def test_cases_run_records_and_dispatches(redis_url: str, stream_name: str, tmp_path: Path) -> None:
    from gridwatch.cli import app

    config = config_file(tmp_path, stream_name, redis_url)
    client = redis.Redis.from_url(redis_url)
    publisher = StreamPublisher(client, f"{stream_name}:dispatch", 1000, 600)
    alerts = [make_alert(incident="manhole_missing", zone=f"z{i}") for i in range(3)]
    for alert in alerts:
        publisher.publish(alert)
    result = CliRunner().invoke(app, ["cases", "run", "--config", str(config), "--duration", "2"])
    assert result.exit_code == 0, result.output
    assert "3 recorded" in result.output
    assert sorted(c.alert_id for c in cases_out(client, f"{stream_name}:cases")) == sorted(
        a.alert_id for a in alerts)
    assert (tmp_path / "var" / "gridwatch.sqlite").is_file()


def test_cases_run_without_redis_is_a_clear_error(tmp_path: Path) -> None:
    from gridwatch.cli import app

    url = f"redis://:s3cret@127.0.0.1:{free_port()}/0"
    config = tmp_path / "site.yaml"
    config.write_text(f"redis: {{url: '{url}', embedded: false}}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["cases", "run", "--config", str(config), "--duration", "1"])
    assert result.exit_code == 2
    assert "no Redis answers at" in result.output and "s3cret" not in result.output
