"""A realistic registry CSV: cameras of Kunming Chenggong's 6 sub-districts (tests, benches)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from gridwatch.registry.columns import COLUMNS

STREETS = {  # sub-district: (code, centre longitude, centre latitude)
    "龙城": ("LC", 102.80, 24.89), "洛龙": ("LL", 102.86, 24.87), "斗南": ("DN", 102.78, 24.92),
    "雨花": ("YH", 102.83, 24.84), "吴家营": ("WJY", 102.88, 24.83), "乌龙": ("WL", 102.84, 24.94),
}
PLACES = ("路口", "小区门口", "菜市场", "学校", "公交站", "商业街", "工地", "公园")


def sample_rows(count: int, seed: int = 3600) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    streets = list(STREETS.items())
    for i in range(count):
        street, (code, lon, lat) = streets[i % len(streets)]
        host = f"10.{20 + i % len(streets)}.{i // 250 % 250}.{i % 250 + 1}"
        password = f"Cam{rng.randrange(10**6):06d}!"
        rows.append([
            f"{code}-{i:05d}", f"{street}{PLACES[i % len(PLACES)]}{i // len(streets) + 1}号",
            f"rtsp://admin:{password}@{host}:554/Streaming/Channels/102", f"{street}街道",
            f"{code}-{rng.randrange(1, 40):02d}", f"{lon + rng.uniform(-0.03, 0.03):.6f}",
            f"{lat + rng.uniform(-0.03, 0.03):.6f}", rng.choice(("1", "2", "5", "10")), "",
            "true" if rng.random() > 0.02 else "false",
        ])
    return rows


def write_sample(path: Path, count: int = 3600, seed: int = 3600, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(sample_rows(count, seed))
    return path
