"""htmlfix: find and fix malformed HTML in CMS exports, with minimal edits.

The public API is the names in ``__all__``; everything else may change between versions.
"""

from __future__ import annotations

from ._version import __version__
from .api import check, fix
from .config import Settings
from .document import Mode
from .engine import FixResult
from .model import Applicability, Diagnostic, Edit, Fix, Span
from .source import Position

__all__ = [
    "Applicability",
    "Diagnostic",
    "Edit",
    "Fix",
    "FixResult",
    "Mode",
    "Position",
    "Settings",
    "Span",
    "__version__",
    "check",
    "fix",
]
