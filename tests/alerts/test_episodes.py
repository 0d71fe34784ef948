"""The episode ledger on real Redis: a second worker continues the first one's episode."""

from __future__ import annotations

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from gridwatch.alerts.episodes import EpisodeLedger, SharedEpisodes
from gridwatch.alerts.persistence import Episode
from gridwatch.services.redis_server import free_port


def nowhere() -> redis.Redis:
    """A client of a port nobody listens on, failing at once (no retries)."""
    return redis.Redis(port=free_port(), socket_connect_timeout=0.2, socket_timeout=0.2,
                       retry=Retry(NoBackoff(), 0))


def episode(started_t: float) -> Episode:
    return Episode(started_t=started_t, raised_t=started_t + 3.0, confidence=0.9,
                   bbox=(0.1, 0.1, 0.2, 0.2))


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def shared(client: redis.Redis, prefix: str, clock: Clock | None = None) -> SharedEpisodes:
    return SharedEpisodes(EpisodeLedger(client, prefix), "cam-1", lambda z, i: 20.0,
                          clock or Clock())


def test_the_next_owner_continues_the_episode_and_a_cleared_one_is_forgotten(
    redis_url: str, stream_name: str
) -> None:
    client = redis.Redis.from_url(redis_url)
    first, second = shared(client, stream_name), shared(client, stream_name)
    raised = first.follow("road", "manhole_missing", active=True, present=True,
                          raised=episode(1000.25))
    assert raised is not None and raised.started_t == 1000.25
    taken_over = second.follow("road", "manhole_missing", active=True, present=True,
                               raised=episode(1010.5))
    assert taken_over is not None and taken_over.started_t == 1000.25
    assert second.continued == 1 and first.continued == 0
    other_zone = second.follow("kerb", "manhole_missing", active=True, present=True,
                               raised=episode(1010.5))
    assert other_zone is not None and other_zone.started_t == 1010.5
    second.follow("road", "manhole_missing", active=False, present=False, raised=None)
    key = second.ledger.key("cam-1", "road", "manhole_missing")
    assert client.exists(key) == 0
    fresh = first.follow("road", "manhole_missing", active=True, present=True,
                         raised=episode(1100.0))
    assert fresh is not None and fresh.started_t == 1100.0
    client.close()


def test_refresh_extends_the_record_and_writes_it_again_when_gone(
    redis_url: str, stream_name: str
) -> None:
    client = redis.Redis.from_url(redis_url)
    clock = Clock()
    owner = shared(client, stream_name, clock)
    owner.follow("road", "manhole_missing", active=True, present=True, raised=episode(5.0))
    key = owner.ledger.key("cam-1", "road", "manhole_missing")
    client.pexpire(key, 1000)
    clock.t = 1.0  # under a quarter of the TTL: no round trip
    owner.follow("road", "manhole_missing", active=True, present=True, raised=None)
    assert 0 < client.pttl(key) <= 1000
    clock.t = 6.0
    owner.follow("road", "manhole_missing", active=True, present=True, raised=None)
    assert client.pttl(key) > 15_000
    client.delete(key)  # Redis restarted: the next refresh records it again
    clock.t = 12.0
    owner.follow("road", "manhole_missing", active=True, present=True, raised=None)
    assert client.get(key) == b"5.0"
    client.close()


def test_redis_away_the_alert_keeps_its_own_start() -> None:
    client = nowhere()
    owner = shared(client, "nowhere")
    raised = owner.follow("road", "manhole_missing", active=True, present=True,
                          raised=episode(7.0))
    assert raised is not None and raised.started_t == 7.0
    owner.follow("road", "manhole_missing", active=False, present=False, raised=None)


def test_after_a_failure_the_ledger_rests_instead_of_waiting_on_redis_per_episode() -> None:
    client = nowhere()
    clock = Clock()
    ledger = EpisodeLedger(client, "nowhere", retry_s=5.0, clock=clock)
    owner = SharedEpisodes(ledger, "cam-1", lambda z, i: 20.0, clock)
    owner.follow("road", "manhole_missing", active=True, present=True, raised=episode(7.0))
    assert not ledger.available
    clock.t = 5.0
    assert ledger.available
