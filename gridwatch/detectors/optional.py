"""Import a detector runtime that is an optional extra, with an error that says how to get it."""

from __future__ import annotations

import importlib
from types import ModuleType


class BackendUnavailable(ImportError):
    """A detector plugin's runtime package is not installed."""


def require(module: str, plugin: str, extra: str) -> ModuleType:
    """``import module``, or ``BackendUnavailable`` naming the plugin and the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise BackendUnavailable(
            f"detector type {plugin!r} needs the {module!r} package, which is not installed "
            f"(pip install 'gridwatch[{extra}]'): {error}"
        ) from error
