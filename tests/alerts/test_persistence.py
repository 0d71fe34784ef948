from __future__ import annotations

import pytest

from gridwatch.alerts.persistence import PersistenceTracker, Sample, TrackerState, iou


def run(tracker: PersistenceTracker, pattern: str, step: float = 0.5) -> list[float]:
    """Feed a pattern ('x' seen, '.' not seen) one sample per ``step``; times of raises."""
    raised = []
    for i, ch in enumerate(pattern):
        t = i * step
        ep = tracker.update(Sample(t, ch == "x", 0.8, (0.1, 0.1, 0.2, 0.2)))
        if ep is not None:
            raised.append(ep.raised_t)
    return raised


@pytest.mark.parametrize(
    ("pattern", "min_s", "clear_s", "ratio", "expected"),
    [
        ("xxxxxxxxxx", 2.0, 3.0, 0.6, [2.0]),  # raised once, after min_seconds
        ("..........", 2.0, 3.0, 0.6, []),  # never seen
        ("xxx.......", 2.0, 3.0, 0.6, []),  # too short
        ("x.x.x.x.x.x.x.x", 2.0, 3.0, 0.7, []),  # flicker below the ratio
        ("xxx.xxxxxx", 2.0, 3.0, 0.6, [2.0]),  # one miss tolerated
        ("xxxxxx..........xxxxxx", 2.0, 3.0, 0.6, [2.0, 10.0]),  # cleared, then a new episode
        ("xxxxxx..xxxxxx", 2.0, 3.0, 0.6, [2.0]),  # short gap: same episode, no repeat
        ("x", 0.0, 1.0, 1.0, [0.0]),  # min_seconds 0 raises at once
    ],
)
def test_raise_and_clear(
    pattern: str, min_s: float, clear_s: float, ratio: float, expected: list[float]
) -> None:
    assert run(PersistenceTracker(min_s, clear_s, ratio), pattern) == expected


def test_episode_records_start_and_mean_confidence() -> None:
    tracker = PersistenceTracker(1.0, 2.0, 0.5)
    tracker.update(Sample(10.0, True, 0.6, (0.1, 0.1, 0.2, 0.2)))
    episode = tracker.update(Sample(11.0, True, 1.0, (0.3, 0.3, 0.4, 0.4)))
    assert episode is not None
    assert episode.started_t == 10.0 and episode.raised_t == 11.0
    assert episode.confidence == pytest.approx(0.8)
    assert episode.bbox == (0.3, 0.3, 0.4, 0.4)
    assert tracker.state is TrackerState.ACTIVE


def test_a_moving_sighting_does_not_persist_as_a_static_incident() -> None:
    tracker = PersistenceTracker(2.0, 3.0, 0.6, min_overlap=0.3)
    raised = []
    for i in range(20):  # a dark passer-by walking across, 0.02 of the frame per sample
        x = 0.1 + 0.02 * i
        ep = tracker.update(Sample(i * 0.5, True, 0.8, (x, 0.4, x + 0.05, 0.5)))
        raised += [ep] if ep else []
    assert raised == []


def test_a_static_sighting_with_jitter_still_raises() -> None:
    tracker = PersistenceTracker(2.0, 3.0, 0.6, min_overlap=0.3)
    raised = []
    for i in range(10):
        d = 0.002 * (i % 3)
        ep = tracker.update(Sample(i * 0.5, True, 0.8, (0.4 + d, 0.4, 0.45 + d, 0.45)))
        raised += [ep] if ep else []
    assert len(raised) == 1 and raised[0].raised_t == 2.0


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 0, 1, 1), (0, 0, 1, 1), 1.0),
        ((0, 0, 1, 1), (2, 2, 3, 3), 0.0),
        ((0, 0, 2, 1), (1, 0, 3, 1), 1 / 3),
    ],
)
def test_iou(a: tuple[float, ...], b: tuple[float, ...], expected: float) -> None:
    assert iou(a, b) == pytest.approx(expected)  # type: ignore[arg-type]
