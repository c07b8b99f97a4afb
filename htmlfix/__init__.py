"""htmlfix: find and fix malformed HTML in CMS exports, with minimal edits.

The public API is the names in ``__all__``; everything else may change between versions.
"""

from __future__ import annotations

from ._version import __version__
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
