"""API settings from the environment (GRIDWATCH_*), loaded by the app factory, not at import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _login_failures(default: int, most: int, counted: str) -> Any:
    """A login failure limit: failures ``counted`` (whose) in the window before 429."""
    return Field(default, ge=1, le=most, description=f"Failed logins {counted} within "
                 "`login_window_s` before further attempts get 429.")


class ApiSettings(BaseSettings):
    """Where the API finds the site configuration, and how it guards itself."""

    model_config = SettingsConfigDict(env_prefix="GRIDWATCH_", extra="forbid")

    config: Path | None = Field(
        None, description="Site config YAML; unset: the embedded defaults."
    )
    secret_key: SecretStr | None = Field(
        None,
        description="HMAC key that signs login tokens (>= 32 characters); unset: a random key "
        "per process (demo only: tokens die with the process, and it is logged).",
        min_length=32,
    )
    token_ttl_s: int = Field(8 * 3600, ge=60, le=7 * 86400, description="Login token lifetime.")
    users_file: Path | None = Field(
        None, description="Users and API keys (hashed), JSON; default `<data_dir>/users.json`."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; empty: CORS off."
    )
    max_body_bytes: int = Field(
        1 << 20, ge=1024, description="Requests with a larger body are refused (413)."
    )
    audit_stream: str = Field("gridwatch:audit", description="Redis stream of the audit log.")
    suppressions_prefix: str = Field(
        "gridwatch:suppressions",
        description="Redis key prefix of the suppressions a rejected alert adds (the workers read "
        "the same keys).",
    )
    login_user_failures: int = _login_failures(5, 1000, "of one user name")
    login_ip_failures: int = _login_failures(20, 10000, "from one client address")
    login_window_s: float = Field(
        60.0, gt=0, le=86400, description="Sliding window of the login failure limits (seconds)."
    )
    escalation_stream: str = Field(
        "gridwatch:escalations", description="Stream of escalation events (live feed)."
    )
    camera_event_stream: str = Field(
        "gridwatch:camera-events", description="Stream of camera health events (live feed)."
    )
    feed_heartbeat_s: float = Field(
        15.0, gt=0, le=300, description="Seconds between keep-alive comments on the live feed."
    )
    feed_queue_size: int = Field(
        1000, ge=1, le=100_000, description="Live-feed events buffered per client; a client "
        "further behind re-reads from its cursor."
    )
    redis_max_connections: int = Field(
        64, ge=4, le=10_000, description="Redis connections of the request pool (requests wait "
        "up to 5 s for a free one)."
    )
    snapshot_cache_s: float = Field(
        5.0, ge=0, le=3600, description="How long a grabbed camera snapshot is reused."
    )
    cookie_secure: bool = Field(
        False, description="Mark the session cookie Secure (set behind HTTPS)."
    )
