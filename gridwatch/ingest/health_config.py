"""Camera health settings: image checks, how long a problem must last, and where events go."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ViewCheckConfig(_Strict):
    """Thresholds of the image checks (see gridwatch.ingest.view_check)."""

    frozen_diff: float = Field(
        0.4, gt=0, description="Mean grey-level difference below which two samples are the "
        "same picture (a stream of a static scene differs by about 1 or more).",
    )
    black_level: float = Field(12.0, ge=0, description="Mean brightness below this is black.")
    uniform_std: float = Field(
        4.0, ge=0, description="Grey-level standard deviation below this is a uniform picture."
    )
    blur_ratio: float = Field(
        0.25, gt=0, lt=1, description="Sharpness below this share of the reference is blurred."
    )
    cover_share: float = Field(
        0.4, gt=0, le=1, description="Rise in the share of textureless blocks (vs the reference) "
        "that means the lens is covered.",
    )
    match_min: float = Field(
        0.2, ge=0, le=1, description="Phase-correlation peak below this: the view no longer "
        "matches the reference.",
    )
    shift_px: float = Field(
        6.0, gt=0, description="A view offset of at least this many pixels means it moved."
    )
    large_shift_share: float = Field(
        0.1, gt=0, le=1, description="An offset of at least this share of the width is large."
    )
    reference_samples: int = Field(
        5, ge=1, description="Healthy samples that build the reference before it is used."
    )
    reference_rate: float = Field(
        0.02, gt=0, le=1, description="Weight of each later healthy sample in the reference."
    )


class CameraHealthConfig(_Strict):
    """When camera problems become events and maintenance alerts."""

    checks: ViewCheckConfig = Field(
        default_factory=ViewCheckConfig, description="Image check thresholds."
    )
    confirm_checks: int = Field(
        2, ge=1, description="Consecutive image checks that must agree before a tampered or "
        "moved state is entered (a bus filling the view once is not a moved camera).",
    )
    watch_interval_s: float = Field(
        0.5, gt=0, description="How often the supervisor looks at every camera."
    )
    stall_after_s: float = Field(
        30.0, gt=0, description="A reader online with no progress for this long is restarted "
        "(its read timeout should have fired long before).",
    )
    check_interval_s: float = Field(
        1.0, gt=0, description="At most one image check per camera per this many seconds."
    )
    frozen_after_s: float = Field(
        10.0, gt=0, description="Identical samples for this long mean the picture is frozen."
    )
    offline_after_s: float = Field(
        10.0, gt=0, description="No frame for this long (reader not online) means offline."
    )
    online_after_s: float = Field(
        5.0, ge=0, description="An offline camera must stay connected this long (no reconnect "
        "in between) before it is online again: a camera flapping every few seconds stays "
        "offline (one event, not two per flap).",
    )
    alert_after_s: float = Field(
        60.0, ge=0, description="A problem lasting this long becomes a camera_* alert."
    )
    recover_after_s: float = Field(
        30.0, ge=0, description="A camera must be healthy this long before a problem episode "
        "ends (hysteresis: a flapping camera stays one episode, one alert).",
    )
    events_stream: str = Field(
        "gridwatch:camera-events", min_length=1, description="Stream of camera state changes."
    )
    maintenance_stream: str = Field(
        "gridwatch:maintenance", min_length=1, description="Stream of camera_* alerts for "
        "maintenance (never the case dispatch stream).",
    )
    stream_maxlen: int = Field(
        100_000, ge=100, description="Approximate cap on each of the two streams."
    )
