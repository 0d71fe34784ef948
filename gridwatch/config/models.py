"""The one configuration tree: site → cameras → zones → rules, detectors, Redis and store.

Every model forbids unknown keys and describes every field, so a typo is an error that names the
key, and ``gridwatch config schema`` documents itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)

from gridwatch.cases.config import CasesConfig
from gridwatch.cluster.config import ClusterConfig
from gridwatch.config.analysis import AnalysisConfig
from gridwatch.config.feedback import FeedbackConfig
from gridwatch.config.incidents import (
    BACKGROUND_INCIDENTS,
    COVER_CLASSES,
    DEFAULT_BLOB_AREA,
    DEFAULT_CATEGORIES,
    DEFAULT_COMPANION_CLASSES,
    DEFAULT_COUNT_WINDOW_S,
    DEFAULT_MAX_MOTION,
    DEFAULT_SIGNAL_CLASSES,
    EXCLUSIVE_STATES,
    REFERENCE_INCIDENTS,
    RULE_FIELD_DEFAULTS,
    STATIC_INCIDENTS,
    STATIC_MIN_OVERLAP,
    TRACKED_INCIDENTS,
    IncidentId,
    WarningLevel,
)
from gridwatch.config.schedule import TimeWindow
from gridwatch.config_base import StrictModel
from gridwatch.detectors.base import DetectorConfig
from gridwatch.detectors.registry import AnyDetectorConfig, parse_detector_config
from gridwatch.detectors.runner_config import RunnerConfig
from gridwatch.escalation.config import EscalationConfig
from gridwatch.geometry import polygon_problem
from gridwatch.ingest.health_config import CameraHealthConfig
from gridwatch.ingest.modes import SamplingMode
from gridwatch.ingest.url import redact_url, validate_stream_url
from gridwatch.queue.config import QueueConfig
from gridwatch.registry.config import RegistryConfig

SHARE_INCIDENTS = frozenset({"bare_soil"})  # incidents measured as a share of the zone
COUNT_INCIDENTS = frozenset({"crowd_gathering", "illegal_parking_nonmotor"})  # measured by a count
SHIPPED_MODEL = Path(__file__).resolve().parent.parent / "models" / "gridwatch-det-v1.onnx"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


def _check_polygon(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    problem = polygon_problem(points)
    if problem is not None:
        raise ValueError(problem)
    return points


Polygon = Annotated[list[tuple[float, float]], AfterValidator(_check_polygon)]


class RuleConfig(StrictModel):
    """When an incident inside a zone becomes an alert."""

    incident: IncidentId = Field(description="Incident id this rule raises (DESIGN.md §2).")
    min_seconds: float = Field(
        5.0, ge=0, le=86400, description="The incident must persist this long before it alerts."
    )
    clear_seconds: float = Field(
        10.0, ge=0, le=86400, description="Absent this long, the incident is over (hysteresis)."
    )
    min_confidence: float = Field(
        0.4, ge=0, le=1, description="Detections below this confidence are ignored by this rule."
    )
    min_ratio: float = Field(
        0.6,
        gt=0,
        le=1,
        description="Share of sampled frames in the persistence window that must show it.",
    )
    min_overlap: float | None = Field(
        None,
        ge=0,
        le=1,
        description="A sighting counts only where it overlaps (IoU) the episode's first sighting, "
        "so a passer-by cannot pass for a static incident; default 0.3 for static incidents "
        "(covers, soil, garbage, material), 0 (off) for the others.",
    )
    min_share: float | None = Field(
        None,
        gt=0,
        le=1,
        description="bare_soil only: the share of the zone that must be bare earth (the model's "
        "bare-soil boxes refined by the colour segmenter, so dust netting inside a box does not "
        "count); unset: any bare-soil box in the zone counts.",
    )
    min_count: int | None = Field(
        None,
        ge=1,
        le=10_000,
        description="Count incidents (crowd_gathering, illegal_parking_nonmotor) only: at least "
        "this many signal objects (centres in the zone, above min_confidence), each counted "
        "while it was seen within count_window_s (a missed frame does not drop the count); the "
        "incident begins when the count first reached it; unset: one object is enough.",
    )
    count_window_s: float | None = Field(
        None,
        gt=0,
        le=600,
        description="Count incidents with min_count only: an object counts while it was seen "
        "in the zone within this many seconds, so missed frames and short occlusions do not "
        "drop the count. Crowds count the distinct people tracked in the zone lately; parked "
        "bikes count places where one stood still (max_motion) for settle_seconds, by place "
        "rather than by track id, so ids swapping in a dense row do not matter; default 2 for "
        "crowds, 10 for bikes.",
    )
    schedule: list[TimeWindow] = Field(
        default_factory=list,
        description="When the rule is active (site timezone), e.g. vending 07:00-22:00 or a "
        "night window 22:00-06:00; outside it the incident counts as absent. Empty: always.",
    )
    classes: list[str] | None = Field(
        None,
        description="Model classes that signal the incident; default per incident id. For "
        "exposed_garbage / piled_material, unset means no model class: new static objects "
        "against the zone's learned background; set, the model's boxes are used instead.",
    )
    max_motion: float | None = Field(
        None,
        gt=0,
        le=10,
        description="Tracked incidents (street_vending, out_of_store_business, "
        "illegal_parking_*) only: how far a tracked object may move from where its stay in the "
        "zone began, in units of its box's smaller side, and still count as stationary; "
        "default 0.6 for stalls, 0.3 for cars, 0.5 for bikes.",
    )
    settle_seconds: float = Field(
        2.0,
        ge=0,
        le=600,
        description="Tracked incidents only: a track counts once it has stayed this long "
        "within max_motion (a passer-by has moved on by then); min_seconds still counts from "
        "its arrival.",
    )
    with_classes: list[str] | None = Field(
        None,
        description="Tracked incidents only: classes that must be seen next to the object (box "
        "centre in the zone or within one box size of it) for it to count, e.g. a person "
        "keeping a stall; default person for street_vending and out_of_store_business, none "
        "for parking; [] turns it off.",
    )
    min_area: float | None = Field(
        None,
        gt=0,
        le=1,
        description="Background incidents (exposed_garbage, piled_material) only: least area of "
        "a new static blob, as a share of the zone; default 0.005 garbage, 0.05 material "
        "(without model classes, size is what tells them apart).",
    )
    max_area: float | None = Field(
        None,
        gt=0,
        le=1,
        description="Background incidents only: blobs larger than this share of the zone are "
        "not this incident (a heap of material is not litter); default 0.05 garbage, 1 material.",
    )
    reference: bool = Field(
        False,
        description="Manhole incidents (manhole_missing, manhole_damaged, manhole_displaced) "
        "only: judge the cover against the camera's `reference_image` (the zone marks the "
        "cover; open hole, broken surface, lid off its seat) instead of model classes, so no "
        "model class is needed. Needs `reference_image` on the camera.",
    )
    category_code: str | None = Field(
        None, description="Overrides the incident's category code for this zone (e.g. 0101)."
    )
    department: str | None = Field(
        None, description="Overrides the department that handles this zone's incident."
    )
    level: WarningLevel | None = Field(
        None, description="Overrides the incident's initial warning level."
    )

    @model_validator(mode="before")
    @classmethod
    def _incident_defaults(cls, data: Any) -> Any:
        """Fields left out take the incident's own defaults (RULE_FIELD_DEFAULTS), if any."""
        if isinstance(data, dict) and isinstance(data.get("incident"), str):
            defaults = RULE_FIELD_DEFAULTS.get(data["incident"], {})
            return {**defaults, **data}
        return data

    @model_validator(mode="after")
    def _options_fit_the_incident(self) -> RuleConfig:
        groups = (
            (("max_motion", "with_classes"), TRACKED_INCIDENTS, "tracked incidents"),
            (("min_area", "max_area"), BACKGROUND_INCIDENTS, "background incidents"),
        )
        for names, incidents, kind in groups:
            used = [n for n in names if getattr(self, n) is not None]
            if used and self.incident not in incidents:
                raise ValueError(f"{used[0]} applies to {kind} ({', '.join(sorted(incidents))}) "
                                 f"only, not to {self.incident!r}")
        if self.reference and self.incident not in REFERENCE_INCIDENTS:
            raise ValueError(f"reference applies to {', '.join(sorted(REFERENCE_INCIDENTS))} "
                             f"only, not to {self.incident!r}")
        if self.reference and self.classes is not None:
            raise ValueError("a rule with reference: true uses no model classes; drop `classes`")
        if self.uses_background and self.blob_area[0] > self.blob_area[1]:
            raise ValueError(f"min_area {self.blob_area[0]} is above max_area {self.blob_area[1]}")
        return self

    @model_validator(mode="after")
    def _measures_fit_the_incident(self) -> RuleConfig:
        if self.min_share is not None and self.incident not in SHARE_INCIDENTS:
            raise ValueError(
                f"min_share applies to {', '.join(sorted(SHARE_INCIDENTS))} only, "
                f"not to {self.incident!r}"
            )
        if self.min_count is not None and self.incident not in COUNT_INCIDENTS:
            raise ValueError(
                f"min_count applies to {', '.join(sorted(COUNT_INCIDENTS))} only, "
                f"not to {self.incident!r}"
            )
        if self.count_window_s is not None and self.min_count is None:
            raise ValueError(f"count_window_s applies to count rules with min_count only "
                             f"({', '.join(sorted(COUNT_INCIDENTS))}); {self.incident!r} has none")
        return self

    @property
    def overlap(self) -> float:
        """``min_overlap`` with its per-incident default applied."""
        if self.min_overlap is not None:
            return self.min_overlap
        return STATIC_MIN_OVERLAP if self.incident in STATIC_INCIDENTS else 0.0

    @property
    def count_window(self) -> float:
        """``count_window_s`` with its per-incident default applied."""
        if self.count_window_s is not None:
            return self.count_window_s
        return DEFAULT_COUNT_WINDOW_S.get(self.incident, 3.0)

    @property
    def signal_classes(self) -> tuple[str, ...]:
        if self.classes is not None:
            return tuple(self.classes)
        if self.incident in BACKGROUND_INCIDENTS or self.reference:
            return ()
        return DEFAULT_SIGNAL_CLASSES.get(self.incident, ())

    @property
    def uses_background(self) -> bool:
        """Measured against the zone's learned background, not by model classes."""
        return self.incident in BACKGROUND_INCIDENTS and self.classes is None

    @property
    def uses_reference(self) -> bool:
        """Judged against the camera's reference image, not by model classes."""
        return self.reference

    @property
    def tracked(self) -> bool:
        """Measured on tracked objects that stay put in the zone."""
        return self.incident in TRACKED_INCIDENTS

    @property
    def companion_classes(self) -> tuple[str, ...]:
        if self.with_classes is not None:
            return tuple(self.with_classes)
        return DEFAULT_COMPANION_CLASSES.get(self.incident, ())

    @property
    def required_classes(self) -> tuple[str, ...]:
        """Every model class the rule needs: its signal classes and their companions."""
        return (*self.signal_classes, *self.companion_classes)

    @property
    def motion_limit(self) -> float:
        """``max_motion`` with its per-incident default applied."""
        return self.max_motion if self.max_motion is not None else DEFAULT_MAX_MOTION.get(self.incident, 0.5)

    @property
    def blob_area(self) -> tuple[float, float]:
        """(min_area, max_area) with their per-incident defaults applied."""
        least, most = DEFAULT_BLOB_AREA.get(self.incident, (0.01, 1.0))
        return (self.min_area or least, self.max_area or most)


class ZoneConfig(StrictModel):
    """A polygon of one camera's view and the incidents it watches."""

    name: str = Field(pattern=ID_PATTERN, description="Zone name, unique within its camera.")
    polygon: Polygon = Field(
        description="Points [x, y] in normalised image coordinates (0..1, x right, y down)."
    )
    rules: list[RuleConfig] = Field(description="Incidents this zone watches, one rule each.")
    shop: str | None = Field(
        None, description="Street-front shop responsible for this place (门前三包), if any."
    )
    crop: bool = Field(
        False,
        description="Also detect on this zone's bounding region upscaled to the model input "
        "(for small, far objects); the crop's boxes centred in the zone and of its rules' "
        "classes and companions (a cover's classes for `reference: true` rules) merge with the full frame's "
        "(see `runner`).",
    )

    @property
    def crop_classes(self) -> tuple[str, ...] | None:
        """The classes this zone's crop adds boxes of (None: every class)."""
        names: list[str] = []
        for rule in self.rules:
            names += rule.required_classes or (COVER_CLASSES if rule.uses_reference else ())
        for group in EXCLUSIVE_STATES:  # the other states of its objects, to weigh against
            if set(group) & set(names):
                names += group
        return tuple(dict.fromkeys(names)) or None

    @field_validator("rules")
    @classmethod
    def _rules_distinct(cls, rules: list[RuleConfig]) -> list[RuleConfig]:
        if not rules:
            raise ValueError("a zone must watch at least one incident (add a rule)")
        seen: set[str] = set()
        for rule in rules:
            if rule.incident in seen:
                raise ValueError(f"incident {rule.incident!r} has two rules in one zone")
            seen.add(rule.incident)
        return rules


class SamplingConfig(StrictModel):
    """How often a camera's frames are analysed."""

    interval_s: float = Field(
        1.0, gt=0, le=3600, description="Seconds of video between analysed frames."
    )
    mode: SamplingMode = Field(
        SamplingMode.AUTO,
        description="keyframe, interval, snapshot, or auto: chosen from the rules and interval "
        "(gridwatch.ingest.modes).",
    )
    gop_s: float = Field(
        2.0, gt=0, le=60, description="The camera's keyframe interval (GOP) in seconds."
    )


class CameraConfig(StrictModel):
    """One camera: its stream, where it is, and its zones."""

    id: str = Field(pattern=ID_PATTERN, description="Camera id, unique in the site.")
    name: str = Field("", description="Human-readable name shown to operators.")
    url: SecretStr = Field(
        description="Stream URL (rtsp/rtsps/rtmp/http/https/file or a path); the password in "
        "it is never shown."
    )
    street: str = Field("", description="Sub-district (街道) responsible for the camera's area.")
    grid: str = Field("", description="Grid cell id the camera's view belongs to.")
    detector: str = Field("default", description="Name of the detector (in `detectors`) to use.")
    sampling: SamplingConfig = Field(
        default_factory=SamplingConfig, description="Sampling schedule."
    )
    enabled: bool = Field(True, description="Disabled cameras are not read.")
    zones: list[ZoneConfig] = Field(default_factory=list, description="Detection zones.")
    analysis: AnalysisConfig = Field(
        default_factory=AnalysisConfig,
        description="Static scans, motion gating, tracking and the learned background.",
    )
    reference_image: Path | None = Field(
        None,
        description="A still of this camera's view with every cover sound (PNG/JPEG, same "
        "aspect ratio as the stream; relative paths: to the file that defines the camera). "
        "Rules with `reference: true` compare each cover zone's live crop with it (there is "
        "no learned fallback: such rules need it); the view alignment measures shifts against "
        "it (without it, against the first scans).",
    )

    @model_validator(mode="after")
    def _reference_usable(self) -> CameraConfig:
        from gridwatch.analysers.cover_reference import reference_problems

        problems = reference_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @field_validator("url", mode="before")
    @classmethod
    def _valid_url(cls, value: Any) -> Any:
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if not isinstance(raw, str):
            raise ValueError("the stream URL must be a string")
        return SecretStr(validate_stream_url(raw))

    @field_validator("zones")
    @classmethod
    def _zone_names_unique(cls, zones: list[ZoneConfig]) -> list[ZoneConfig]:
        names = [z.name for z in zones]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate zone name(s): {', '.join(dupes)}")
        return zones

    @property
    def display_url(self) -> str:
        """The URL with any password masked: safe for logs, errors and API output."""
        return redact_url(self.url.get_secret_value())


class IncidentCategory(StrictModel):
    """Names, code, handling department and initial level of one incident id."""

    name: str = Field(description="English name.")
    name_zh: str = Field("", description="Chinese name shown in the console.")
    code: str = Field(description="Category code in the city's scheme (e.g. GB/T 30428.2).")
    department: str = Field(description="Department that handles it by default.")
    level: WarningLevel = Field(WarningLevel.BLUE, description="Initial warning level.")


def default_categories() -> dict[str, IncidentCategory]:
    return {
        incident: IncidentCategory(
            name=name, name_zh=name_zh, code=code, department=dept, level=level
        )
        for incident, (name, name_zh, code, dept, level) in DEFAULT_CATEGORIES.items()
    }


class RedisConfig(StrictModel):
    """The Redis server that carries the case dispatch queue."""

    url: SecretStr = Field(
        SecretStr("redis://127.0.0.1:6379/0"), description="Redis URL (password never shown)."
    )
    dispatch_stream: str = Field(
        "gridwatch:dispatch", min_length=1, description="Stream that receives new alerts."
    )
    stream_maxlen: int = Field(
        100_000, ge=100, description="Approximate cap on the dispatch stream's length."
    )
    dedup_ttl_s: int = Field(
        7 * 86400, ge=60, description="How long an alert id is remembered for idempotency."
    )
    embedded: bool = Field(
        True, description="Start a private redis-server when none answers at `url` (demo)."
    )


class StoreConfig(StrictModel):
    """Where gridwatch keeps local state."""

    data_dir: Path = Field(
        Path("var"), description="Root for local state (relative paths: to the config file)."
    )
    evidence_dir: Path | None = Field(
        None, description="Snapshots directory; default `<data_dir>/evidence`."
    )
    outbox_path: Path | None = Field(
        None, description="Outbox SQLite file; default `<data_dir>/outbox.sqlite`."
    )
    negatives_dir: Path | None = Field(
        None, description="Hard negatives from rejected alerts; default `<data_dir>/negatives`."
    )
    database_url: SecretStr | None = Field(
        None,
        description="SQLAlchemy URL of the alert/case store, e.g. postgresql+psycopg://user:pw@host/db "
        "(password never shown); default SQLite at `<data_dir>/gridwatch.sqlite`.",
    )

    @property
    def evidence_path(self) -> Path:
        return self.evidence_dir or self.data_dir / "evidence"

    @property
    def outbox_file(self) -> Path:
        return self.outbox_path or self.data_dir / "outbox.sqlite"

    @property
    def negatives_path(self) -> Path:
        return self.negatives_dir or self.data_dir / "negatives"


class SiteInfo(StrictModel):
    """The command centre this configuration belongs to."""

    name: str = Field("gridwatch", description="Site name.")
    timezone: str = Field("Asia/Shanghai", description="IANA timezone of the site.")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA timezone {value!r} (e.g. Asia/Shanghai)") from None
        return value


def _default_detectors() -> dict[str, DetectorConfig]:
    return {"default": parse_detector_config({"type": "onnx_yolo", "model": str(SHIPPED_MODEL)})}


class GridwatchConfig(StrictModel):
    """The whole site: cameras, detectors, categories and services."""

    site: SiteInfo = Field(default_factory=SiteInfo, description="Site identity.")
    redis: RedisConfig = Field(default_factory=RedisConfig, description="Dispatch queue server.")
    queue: QueueConfig = Field(default_factory=QueueConfig, description="Cases stream and consumers.")
    store: StoreConfig = Field(default_factory=StoreConfig, description="Local state.")
    feedback: FeedbackConfig = Field(
        default_factory=FeedbackConfig, description="What an operator's rejection of an alert changes."
    )
    cases: CasesConfig = Field(default_factory=CasesConfig, description="Alert → case lifecycle.")
    detectors: dict[str, AnyDetectorConfig] = Field(
        default_factory=_default_detectors, description="Named detector backends."
    )
    runner: RunnerConfig = Field(
        default_factory=RunnerConfig, description="Detector runner: batching and zone crops."
    )
    incidents: dict[IncidentId, IncidentCategory] = Field(
        default_factory=dict,
        description="Per-incident names/codes/departments; unset ids use the embedded defaults.",
    )
    camera_files: list[str] = Field(
        default_factory=list,
        description="Glob patterns (relative to this file) of camera YAML files to include.",
    )
    cameras: list[CameraConfig] = Field(default_factory=list, description="Cameras.")
    registry: RegistryConfig = Field(default_factory=RegistryConfig, description="Camera registry.")
    cluster: ClusterConfig = Field(default_factory=ClusterConfig, description="Worker sharding.")
    escalation: EscalationConfig = Field(
        default_factory=EscalationConfig, description="Deadlines, calendar and escalation."
    )
    camera_health: CameraHealthConfig = Field(
        default_factory=CameraHealthConfig, description="Camera health checks and maintenance."
    )

    @model_validator(mode="after")
    def _cross_checks(self) -> GridwatchConfig:
        ids = [c.id for c in self.cameras]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate camera id(s): {', '.join(dupes)}")
        for camera in self.cameras:
            if camera.detector not in self.detectors:
                raise ValueError(
                    f"camera {camera.id!r} uses detector {camera.detector!r}, which is not "
                    f"defined (defined: {', '.join(sorted(self.detectors)) or 'none'})"
                )
        return self

    def category(self, incident: str) -> IncidentCategory:
        """The configured category of ``incident``, falling back to the embedded table."""
        configured = self.incidents.get(incident)  # type: ignore[call-overload]
        return configured if configured is not None else default_categories()[incident]
