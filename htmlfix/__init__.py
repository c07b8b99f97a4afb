"""htmlfix: find and fix malformed HTML in CMS exports, with minimal edits.

The public API is the names in ``__all__``; everything else may change between versions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from .api import check, check_file, fix, fix_file, iter_regions, load_settings
    from .config import Settings
    from .configfile import ConfigError
    from .document import Mode
    from .engine import FixResult, Linter
    from .model import Applicability, Diagnostic, Edit, Fix, Span
    from .readers import ReadError, Region
    from .runner import FileResult
    from .source import Position

__all__ = [
    "Applicability",
    "ConfigError",
    "Diagnostic",
    "Edit",
    "FileResult",
    "Fix",
    "FixResult",
    "Linter",
    "Mode",
    "Position",
    "ReadError",
    "Region",
    "Settings",
    "Span",
    "__version__",
    "check",
    "check_file",
    "fix",
    "fix_file",
    "iter_regions",
    "load_settings",
]

# Each public name and the module that defines it, imported on first access (PEP 562).
# Importing the package must stay cheap: ``python -m htmlfix`` and the ``htmlfix`` script
# import it before the CLI, and ``htmlfix --version`` needs none of the rules (compiling
# their ~190 regexes is most of htmlfix's import time).
_LAZY: dict[str, str] = {
    "check": "api",
    "check_file": "api",
    "fix": "api",
    "fix_file": "api",
    "iter_regions": "api",
    "load_settings": "api",
    "Settings": "config",
    "ConfigError": "configfile",
    "Mode": "document",
    "FixResult": "engine",
    "Linter": "engine",
    "Applicability": "model",
    "Diagnostic": "model",
    "Edit": "model",
    "Fix": "model",
    "Span": "model",
    "ReadError": "readers",
    "Region": "readers",
    "FileResult": "runner",
    "Position": "source",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
