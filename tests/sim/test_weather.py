"""Weather over rendered clips: rain and haze change the picture, not the truth."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from gridwatch.sim.clip import render_clip
from gridwatch.sim.scenarios import named_scenario
from gridwatch.sim.scene import SceneRenderer
from gridwatch.sim.truth import load_truth
from gridwatch.sim.weather import Weather


def clear_frame(seed: int = 5) -> np.ndarray:
    scenario = named_scenario("quiet", seed, 4.0)
    image, _ = SceneRenderer(scenario.scene()).render(1.0, {})
    return image


@pytest.mark.parametrize(("kind", "darker", "streaks_move"), [
    ("rain", True, True),
    ("haze", False, False),
])
def test_weather_changes_the_picture_steadily(kind: str, darker: bool, streaks_move: bool) -> None:
    image = clear_frame()
    weather = Weather(kind, 9)
    first, second = weather.apply(image, 0), weather.apply(image, 1)
    assert float(np.abs(first.astype(float) - image).mean()) > 3.0
    assert bool(first.mean() < image.mean()) is darker
    assert np.array_equal(first, Weather(kind, 9).apply(image, 0))  # seeded: reproducible
    assert (not np.array_equal(first, second)) is streaks_move  # rain falls, haze stays


def test_clear_weather_is_the_clear_view() -> None:
    image = clear_frame()
    assert Weather("clear", 1).apply(image, 3) is image


def test_an_unknown_weather_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown weather 'snow'"):
        Weather("snow", 1)


def test_a_rainy_clip_keeps_its_truth_and_names_the_weather(tmp_path: Path) -> None:
    scenario = named_scenario("cover_missing", 5, 2.0)
    clear = load_truth(render_clip(scenario, tmp_path / "clear.mp4", fps=5))
    rainy_clip = render_clip(scenario, tmp_path / "rain.mp4", fps=5, weather=Weather("rain", 5))
    rainy = load_truth(rainy_clip)
    assert rainy["weather"] == "rain" and "weather" not in clear
    assert rainy["objects"] == clear["objects"] and rainy["incidents"] == clear["incidents"]
    with av.open(str(rainy_clip)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 10
