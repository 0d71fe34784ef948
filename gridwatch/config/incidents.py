"""The incident vocabulary (DESIGN.md §2): ids are a contract, names and codes are configuration."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

IncidentId = Literal[
    "manhole_missing",
    "manhole_damaged",
    "manhole_displaced",
    "bare_soil",
    "exposed_garbage",
    "piled_material",
    "street_vending",
    "out_of_store_business",
    "illegal_parking_motor",
    "illegal_parking_nonmotor",
    "crowd_gathering",
    "camera_offline",
    "camera_frozen",
    "camera_tampered",
    "camera_moved",
]


class WarningLevel(StrEnum):
    """China's four-level early-warning scheme: IV blue (mildest) to I red (most severe)."""

    BLUE = "blue"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"


# Model classes that signal each incident when a rule does not name its own.
DEFAULT_SIGNAL_CLASSES: dict[str, tuple[str, ...]] = {
    "manhole_missing": ("manhole_open",),
    "manhole_damaged": ("manhole_damaged",),
    "manhole_displaced": ("manhole_displaced",),
    "bare_soil": ("bare_soil",),
    "exposed_garbage": ("garbage",),
    "piled_material": ("piled_material",),
    # COCO names (YOLOX / YOLO COCO models): a stall is seen as its umbrella, table or goods
    "street_vending": ("umbrella", "dining table", "suitcase"),
    "out_of_store_business": ("dining table", "chair", "umbrella"),
    "illegal_parking_motor": ("car", "truck", "bus"),
    # e-bikes, the bulk of non-motor parking, look like motorcycles to a COCO model
    "illegal_parking_nonmotor": ("bicycle", "motorcycle"),
    "crowd_gathering": ("person",),
}

# Incidents with no model class of their own: new static objects against a learned background
# (``gridwatch.analysers.static_objects``).
BACKGROUND_INCIDENTS: frozenset[str] = frozenset({"exposed_garbage", "piled_material"})

# Incidents a rule may judge against the camera's reference image instead of model classes
# (``reference: true``; ``gridwatch.analysers.cover_reference``).
REFERENCE_INCIDENTS: frozenset[str] = frozenset({"manhole_missing", "manhole_damaged", "manhole_displaced"})

# Model classes showing a cover in its seat or its open hole: what a crop of a cover zone whose
# rules judge against the reference image (and so name no class) keeps of its boxes.
COVER_CLASSES: tuple[str, ...] = ("manhole_cover", "manhole_open")

# Model classes that are exclusive states of one object: where boxes of a group overlap, only
# the likeliest stands (``gridwatch.pipeline.object_states``).
EXCLUSIVE_STATES: tuple[tuple[str, ...], ...] = (("manhole_cover", "manhole_open"),)

# Incidents of tracked objects that stay put (``gridwatch.pipeline.tracked_rules``): the object
# must be stationary in the zone, and ``min_seconds`` counts from when it arrived.
TRACKED_INCIDENTS: frozenset[str] = frozenset(
    {"street_vending", "out_of_store_business", "illegal_parking_motor", "illegal_parking_nonmotor"}
)

# Companions a tracked incident needs next to its object: a stall is a vending stall when
# someone keeps it (a lone table or umbrella is furniture).
DEFAULT_COMPANION_CLASSES: dict[str, tuple[str, ...]] = {
    "street_vending": ("person",),
    "out_of_store_business": ("person",),
}

# How far (in box sizes: the smaller side of the object's box) a tracked object may wander from
# where its stay began and still count as stationary.
DEFAULT_MAX_MOTION: dict[str, float] = {
    "street_vending": 0.6,
    "out_of_store_business": 0.6,
    "illegal_parking_motor": 0.3,
    "illegal_parking_nonmotor": 0.5,
}

# How long (s) a count rule's object still counts after it was last seen (``count_window_s``):
# people in a crowd are tracked, a short hold bridges missed frames without counting those who
# walked off; a parked bike's place is held through occlusions by passers-by.
DEFAULT_COUNT_WINDOW_S: dict[str, float] = {
    "crowd_gathering": 2.0,
    "illegal_parking_nonmotor": 10.0,
}

# Least and most blob area (share of the zone) for background incidents: garbage is small,
# piled material large.
DEFAULT_BLOB_AREA: dict[str, tuple[float, float]] = {
    "exposed_garbage": (0.005, 0.05),
    "piled_material": (0.05, 1.0),
}

# Per-incident defaults of rule fields left out of a config (the generic ones otherwise).
RULE_FIELD_DEFAULTS: dict[str, dict[str, float]] = {
    "street_vending": {"min_seconds": 60.0, "clear_seconds": 30.0},
    "out_of_store_business": {"min_seconds": 60.0, "clear_seconds": 30.0},
    "illegal_parking_motor": {"min_seconds": 120.0, "clear_seconds": 20.0},
    "illegal_parking_nonmotor": {"min_seconds": 60.0, "clear_seconds": 20.0},
    "crowd_gathering": {"min_seconds": 30.0, "clear_seconds": 15.0},
    "exposed_garbage": {"min_seconds": 60.0, "clear_seconds": 30.0},
    "piled_material": {"min_seconds": 120.0, "clear_seconds": 30.0},
}

# Embedded defaults for the category table: (name, name_zh, code, department, level).
# A site's config file overrides any of these per incident.
DEFAULT_CATEGORIES: dict[str, tuple[str, str, str, str, WarningLevel]] = {
    "manhole_missing": ("Manhole cover missing", "井盖缺失", "0114", "市政设施应急队", WarningLevel.RED),
    "manhole_damaged": ("Manhole cover damaged", "井盖破损", "0114", "市政设施应急队", WarningLevel.ORANGE),
    "manhole_displaced": (
        "Manhole cover displaced", "井盖移位", "0114", "市政设施应急队", WarningLevel.ORANGE,
    ),
    "bare_soil": ("Bare soil uncovered", "裸土未覆盖", "0302", "住房和城乡建设局", WarningLevel.BLUE),
    "exposed_garbage": ("Exposed garbage", "暴露垃圾", "0102", "环境卫生管理处", WarningLevel.BLUE),
    "piled_material": ("Piled material", "乱堆物料", "0507", "城市管理综合执法局", WarningLevel.BLUE),
    "street_vending": ("Street vending", "流动摊贩", "0501", "城市管理综合执法局", WarningLevel.BLUE),
    "out_of_store_business": (
        "Out-of-store business", "店外经营", "0504", "城市管理综合执法局", WarningLevel.BLUE,
    ),
    "illegal_parking_motor": (
        "Illegal parking (motor)", "机动车乱停放", "0505", "公安交通管理大队", WarningLevel.BLUE,
    ),
    "illegal_parking_nonmotor": (
        "Illegal parking (non-motor)", "非机动车乱停放", "0506", "城市管理综合执法局", WarningLevel.BLUE,
    ),
    "crowd_gathering": ("Crowd gathering", "人员聚集", "9901", "应急管理局", WarningLevel.YELLOW),
    "camera_offline": ("Camera offline", "摄像机离线", "M001", "视频运维", WarningLevel.BLUE),
    "camera_frozen": ("Camera frozen", "画面冻结", "M002", "视频运维", WarningLevel.BLUE),
    "camera_tampered": ("Camera tampered", "摄像机遮挡", "M003", "视频运维", WarningLevel.BLUE),
    "camera_moved": ("Camera moved", "摄像机移位", "M004", "视频运维", WarningLevel.BLUE),
}

# Incidents of things that stay put: a sighting must overlap the episode's first one.
STATIC_INCIDENTS: frozenset[str] = frozenset(
    {"manhole_missing", "manhole_damaged", "manhole_displaced", "bare_soil", "exposed_garbage",
     "piled_material"}
)
STATIC_MIN_OVERLAP = 0.3

CAMERA_FAULTS: frozenset[str] = frozenset(
    {"camera_offline", "camera_frozen", "camera_tampered", "camera_moved"}
)
