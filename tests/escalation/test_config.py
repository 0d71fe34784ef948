"""Escalation config: embedded defaults for every incident, overrides, clear errors."""

from __future__ import annotations

import re
import typing
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from gridwatch.config import ConfigError, load_config
from gridwatch.config.incidents import CAMERA_FAULTS, IncidentId
from gridwatch.config.models import GridwatchConfig
from gridwatch.escalation.config import EscalationConfig

ALL_INCIDENTS = typing.get_args(IncidentId)
DL = "escalation:\n  deadlines:\n    "
WH = "escalation:\n  working_hours:\n    "


@pytest.mark.parametrize("incident", ALL_INCIDENTS)
def test_every_incident_has_sensible_default_deadlines(incident: str) -> None:
    deadline = EscalationConfig().deadline(incident)
    assert deadline.confirm_within <= deadline.handle_within
    assert deadline.clock == ("wall" if incident.startswith("manhole") or incident == "crowd_gathering"
                              else "working")
    if incident in CAMERA_FAULTS:
        assert deadline.handle_within >= timedelta(hours=7, minutes=30)


def test_site_yaml_overrides_one_category(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(
        "escalation:\n"
        "  working_hours:\n    periods: [{start: '09:00', end: '17:00'}]\n"
        "    holidays: [2027-01-01]\n"
        "  deadlines:\n"
        "    exposed_garbage: {confirm_within: PT15M, dispatch_within: 900, handle_within: PT4H}\n"
    )
    site = load_config(path)
    garbage = site.escalation.deadline("exposed_garbage")
    assert (garbage.confirm_within, garbage.dispatch_within) == (timedelta(minutes=15),) * 2
    assert site.escalation.deadline("bare_soil").handle_within == timedelta(hours=7, minutes=30)
    assert len(site.escalation.working_hours.periods) == 1


@pytest.mark.parametrize(
    ("yaml_text", "where", "message"),
    [
        (DL + "bare_soil: {confirm_within: 0, dispatch_within: 60, handle_within: 60}\n",
         "escalation.deadlines.bare_soil.confirm_within", "longer than zero"),
        (DL + "bare_soil: {confirm_within: 60, dispatch_within: 60}\n",
         "escalation.deadlines.bare_soil.handle_within", "Field required"),
        (DL + "bare_soill: {confirm_within: 60, dispatch_within: 60, handle_within: 60}\n",

         "escalation.deadlines.bare_soill", "Input should be"),
        (WH + "weekdays: [0, 1]\n", "escalation.working_hours.weekdays",
         "1 (Monday) to 7 (Sunday)"),
        (WH + "periods: [{start: '08:30', end: '12:00'}, "
         "{start: '11:00', end: '18:00'}]\n",
         "escalation.working_hours.periods", "not overlap"),
        (WH + "periods: [{start: '12:00', end: '08:00'}]\n",
         "escalation.working_hours.periods[0]", "must be after its start"),
        (WH + "holidays: [2026-12-12]\n    workdays: [2026-12-12]\n",
         "escalation.working_hours", "both holiday and make-up"),
        ("escalation:\n  notify_supervisor: [red]\n", "escalation.notify_supervisor", "Extra inputs"),
    ],
)
def test_bad_config_names_file_line_and_key(tmp_path: Path, yaml_text: str, where: str, message: str) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    text = str(info.value)
    assert re.search(re.escape(f"{path}:") + r"\d+: " + re.escape(where), text), text
    assert message in text, text


def test_every_field_is_described() -> None:
    schema = GridwatchConfig.model_json_schema()
    for name, model in schema["$defs"].items():
        if name in {"EscalationConfig", "WorkingHoursConfig", "DeadlineConfig", "WorkPeriod",
                    "RecurrenceConfig", "VerificationConfig"}:
            for field, spec in model["properties"].items():
                assert spec.get("description"), f"{name}.{field} has no description"


def test_config_is_strict() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        EscalationConfig.model_validate({"recurrence": {"count": 3, "windw": 60}})
