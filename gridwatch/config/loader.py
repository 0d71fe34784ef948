"""Load the configuration tree from YAML with errors that name the file, the line and the key."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gridwatch.config.classes import camera_class_problems, declared_class_names
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.detectors.registry import parse_detector_config

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with one config file."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '(top level)'}: {self.message}"


class ConfigError(ValueError):
    """A configuration that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        self.problems = list(problems)
        super().__init__("invalid configuration:\n" + "\n".join(f"  {p}" for p in self.problems))


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_map(node: yaml.Node, loc: Loc = ()) -> Iterator[tuple[Loc, int]]:
    yield loc, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield (*loc, key.value), key.start_mark.line + 1
            yield from _line_map(value, (*loc, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _line_map(item, (*loc, i))


@dataclass
class _YamlDoc:
    file: str
    data: Any
    lines: dict[Loc, int]

    def line_of(self, loc: Loc) -> int | None:
        for end in range(len(loc), -1, -1):
            found = self.lines.get(tuple(str(p) if isinstance(p, str) else p for p in loc[:end]))
            if found is not None:
                return found
        return None

    def problems(
        self, error: ValidationError, prefix: Loc = (), base: Loc = ()
    ) -> list[ConfigProblem]:
        """One problem per pydantic error; ``prefix`` is shown, ``base`` locates lines."""
        out = []
        for err in error.errors(include_input=False, include_url=False):
            loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
            message = str(err["msg"]).removeprefix("Value error, ")
            line = self.line_of((*base, *loc))
            out.append(ConfigProblem(self.file, format_loc((*prefix, *loc)), message, line))
        return out


def _is_union_tag(part: object) -> bool:
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)


def _read_yaml(path: Path) -> _YamlDoc:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([ConfigProblem(name, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(name, "", f"cannot read the file: {exc}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([ConfigProblem(name, "", f"not valid YAML: {problem}", line)]) from None
    lines = dict(_line_map(node)) if node is not None else {}
    return _YamlDoc(name, {} if data is None else data, lines)


def load_camera(path: Path) -> CameraConfig:
    """Load one camera from its own YAML file (used by `gridwatch analyze --camera`)."""
    doc = _read_yaml(path)
    if not isinstance(doc.data, dict):
        raise ConfigError([ConfigProblem(doc.file, "", "a camera file must be a mapping")])
    data = dict(doc.data)
    _resolve_reference(data, path.resolve().parent)
    try:
        return CameraConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(doc.problems(exc)) from None


def _included_cameras(doc: _YamlDoc, base: Path) -> tuple[list[CameraConfig], list[str]]:
    cameras: list[CameraConfig] = []
    sources: list[str] = []
    problems: list[ConfigProblem] = []
    for pattern in doc.data.get("camera_files", []) or []:
        matches = sorted(base.glob(str(pattern)))
        if not matches:
            problems.append(ConfigProblem(doc.file, "camera_files", f"{pattern!r} matches no file"))
        for match in matches:
            try:
                cameras.append(load_camera(match))
                sources.append(str(match))
            except ConfigError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    return cameras, sources


def _duplicate_ids(cameras: list[tuple[str, str]]) -> list[ConfigProblem]:
    seen: dict[str, str] = {}
    problems = []
    for cam_id, where in cameras:
        if cam_id in seen:
            problems.append(
                ConfigProblem(where, "id", f"duplicate camera id {cam_id!r} (also in {seen[cam_id]})")
            )
        seen.setdefault(cam_id, where)
    return problems


def load_config(path: Path) -> GridwatchConfig:
    """Load a site config and the camera files it includes; relative paths resolve to its folder."""
    doc = _read_yaml(path)
    if not isinstance(doc.data, dict):
        raise ConfigError([ConfigProblem(doc.file, "", "the config file must be a mapping")])
    base = path.resolve().parent
    included, sources = _included_cameras(doc, base)
    inline = doc.data.get("cameras", []) or []
    named = [(str(c.get("id")), f"{doc.file}: cameras[{i}]") for i, c in enumerate(inline)
             if isinstance(c, dict)]
    dupes = _duplicate_ids(named + [(c.id, s) for c, s in zip(included, sources, strict=True)])
    if dupes:
        raise ConfigError(dupes)
    data = dict(doc.data)
    _resolve_relative_paths(data, base)
    if "detectors" in data:
        data["detectors"] = _parse_detectors(doc, data["detectors"])
    try:
        config = GridwatchConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(doc.problems(exc)) from None
    problems = _class_problems(doc, config, config.cameras, None)
    problems += _class_problems(doc, config, included, sources)
    if problems:
        raise ConfigError(problems)
    config.cameras = [*config.cameras, *included]
    return config


def _class_problems(
    doc: _YamlDoc, config: GridwatchConfig, cameras: list[CameraConfig], sources: list[str] | None
) -> list[ConfigProblem]:
    """Rules whose detector (when its classes are known without loading it) cannot serve them."""
    out = []
    for ci, camera in enumerate(cameras):
        detector = config.detectors.get(camera.detector)
        names = declared_class_names(detector) if detector is not None else None
        if names is None:
            continue
        for zi, ri, message in camera_class_problems(camera, names):
            loc: Loc = ("zones", zi, "rules", ri, "incident")
            if sources is None:
                loc = ("cameras", ci, *loc)
                out.append(ConfigProblem(doc.file, format_loc(loc), message, doc.line_of(loc)))
            else:
                out.append(ConfigProblem(sources[ci], format_loc(loc), message))
    return out


def _parse_detectors(doc: _YamlDoc, raw: Any) -> Any:
    """Validate each detector with its plugin's config class, so errors keep their path."""
    if not isinstance(raw, dict):
        return raw
    parsed: dict[str, Any] = {}
    problems: list[ConfigProblem] = []
    for name, entry in raw.items():
        loc: Loc = ("detectors", str(name))
        try:
            parsed[name] = parse_detector_config(entry)
        except ValidationError as exc:
            problems.extend(doc.problems(exc, loc, base=loc))
        except ValueError as exc:
            problems.append(ConfigProblem(doc.file, format_loc(loc), str(exc), doc.line_of(loc)))
    if problems:
        raise ConfigError(problems)
    return parsed


def _resolve_relative_paths(data: dict[str, Any], base: Path) -> None:
    """Detector model paths and store paths in a file are relative to that file's folder."""
    for det in (data.get("detectors") or {}).values():
        if isinstance(det, dict) and isinstance(det.get("model"), str):
            model = Path(det["model"])
            det["model"] = str(model if model.is_absolute() else base / model)
    for camera in data.get("cameras") or []:
        if isinstance(camera, dict):
            _resolve_reference(camera, base)
    store = data.get("store")
    if isinstance(store, dict):
        for key in ("data_dir", "evidence_dir", "outbox_path", "negatives_dir"):
            if isinstance(store.get(key), str) and not Path(store[key]).is_absolute():
                store[key] = str(base / store[key])


def _resolve_reference(camera: dict[str, Any], base: Path) -> None:
    """A camera's ``reference_image`` is relative to the file that defines the camera."""
    ref = camera.get("reference_image")
    if isinstance(ref, str) and ref and not Path(ref).is_absolute():
        camera["reference_image"] = str(base / ref)
