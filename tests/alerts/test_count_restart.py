"""Count rules: a spell of the count that begins later restarts a pending episode."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gridwatch.alerts.persistence import PersistenceTracker, Sample
from gridwatch.config.models import RuleConfig


@pytest.mark.parametrize(("restarts", "started", "raised"), [
    (True, 20.0, 30.0),  # the brief crossing at 0-2 s does not start the episode
    (False, 0.0, 26.0),  # a tracked rule's since does not move a pending episode
])
def test_a_later_spell_restarts_the_pending_episode(restarts: bool, started: float, raised: float) -> None:
    tracker = PersistenceTracker(min_seconds=10.0, clear_seconds=30.0, min_ratio=0.6)
    episodes = []
    for t in range(0, 40):
        present = t < 2 or t >= 20
        since = (0.0 if t < 2 else 20.0) if present else None
        episode = tracker.update(Sample(float(t), present, 0.8, (0, 0, 1, 1), since, restarts))
        if episode is not None:
            episodes.append(episode)
    (episode,) = episodes
    assert (episode.started_t, episode.raised_t) == (started, raised)


@pytest.mark.parametrize(("rule", "message"), [
    ({"incident": "crowd_gathering", "count_window_s": 3}, "count_window_s applies to count rules"),
    ({"incident": "street_vending", "count_window_s": 3}, "count_window_s applies to count rules"),
    ({"incident": "crowd_gathering", "min_count": 5, "count_window_s": 0}, "count_window_s"),
    ({"incident": "crowd_gathering", "min_count": 5, "count_window_s": 601}, "count_window_s"),
])
def test_count_window_is_validated(rule: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        RuleConfig.model_validate(rule)


@pytest.mark.parametrize(("rule", "window"), [
    ({"incident": "crowd_gathering", "min_count": 5}, 2.0),
    ({"incident": "illegal_parking_nonmotor", "min_count": 5}, 10.0),
    ({"incident": "crowd_gathering", "min_count": 5, "count_window_s": 4.5}, 4.5),
])
def test_count_window_defaults(rule: dict[str, object], window: float) -> None:
    assert RuleConfig.model_validate(rule).count_window == window
