"""Import ultralytics so that it never reaches the network.

ultralytics downloads fonts, checks for updates and installs missing packages unless told not to.
``import_ultralytics(config_dir)`` sets ``YOLO_OFFLINE=1``, ``YOLO_AUTOINSTALL=0`` and
``YOLO_CONFIG_DIR`` (before the first import), and puts a local TTF into the config dir under the
names ultralytics looks for (``Arial.ttf``, ``Arial.Unicode.ttf``), so its font check finds them.
"""

from __future__ import annotations

import os
import shutil
import sys
from importlib import util
from pathlib import Path
from types import ModuleType

FONT_NAMES = ("Arial.ttf", "Arial.Unicode.ttf")
SYSTEM_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)
DEFAULT_CONFIG_DIR = Path(__file__).resolve().parents[2] / "var" / "ultralytics"


def find_font() -> Path:
    """A TTF on this machine: matplotlib's bundled DejaVuSans (a dependency of ultralytics) first."""
    spec = util.find_spec("matplotlib")
    if spec is not None and spec.origin is not None:
        bundled = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if bundled.is_file():
            return bundled
    for path in SYSTEM_FONTS:
        if path.is_file():
            return path
    raise FileNotFoundError("no TTF font found (install matplotlib or fonts-dejavu-core)")


def install_fonts(config_dir: Path) -> None:
    """Copy a local TTF into ``config_dir`` as every font name ultralytics may ask for."""
    config_dir.mkdir(parents=True, exist_ok=True)
    font = find_font()
    for name in FONT_NAMES:
        target = config_dir / name
        if not target.exists():
            shutil.copyfile(font, target)


def offline_env(config_dir: Path) -> dict[str, str]:
    return {
        "YOLO_OFFLINE": "1",
        "YOLO_AUTOINSTALL": "0",
        "YOLO_CONFIG_DIR": str(config_dir),
        "YOLO_VERBOSE": os.environ.get("YOLO_VERBOSE", "False"),
    }


def import_ultralytics(config_dir: Path = DEFAULT_CONFIG_DIR) -> ModuleType:
    """Set up the offline environment and return the ``ultralytics`` module."""
    config_dir = config_dir.resolve()
    if "ultralytics" not in sys.modules:
        os.environ.update(offline_env(config_dir))
    install_fonts(config_dir / "Ultralytics")  # ultralytics' USER_CONFIG_DIR under YOLO_CONFIG_DIR
    import ultralytics
    from ultralytics.utils import SETTINGS, USER_CONFIG_DIR

    install_fonts(Path(USER_CONFIG_DIR))  # where it looks, if it was imported before us
    SETTINGS.update({"sync": False})  # type: ignore[no-untyped-call]
    return ultralytics
