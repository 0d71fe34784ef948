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
    "street_vending": ("stall",),
    "out_of_store_business": ("stall",),
    "illegal_parking_motor": ("car", "truck", "bus", "motorcycle"),
    "illegal_parking_nonmotor": ("bicycle",),
    "crowd_gathering": ("person",),
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
