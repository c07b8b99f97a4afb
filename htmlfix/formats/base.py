"""Helpers several output formats share (the data they render is :class:`~htmlfix.report.Report`)."""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from urllib.parse import quote

from ..model import Diagnostic
from ..report import Report
from ..source import Position

__all__ = ["Report", "file_uri", "position", "relative_path"]


def position(d: Diagnostic) -> tuple[Position, Position]:
    """A located diagnostic's start and end (the engine always sets both)."""
    assert d.location is not None and d.end_location is not None, "diagnostic was not located"
    return d.location, d.end_location


def relative_path(path: str | None, base: str | os.PathLike[str] | None = None) -> str:
    """``path`` relative to ``base`` (default: the working directory) with ``/`` separators,
    when it lies inside it; otherwise the path as given."""
    if not path or path == "-":
        return path or "-"
    try:
        absolute = Path(path).resolve()
        relative = absolute.relative_to(Path(base or os.getcwd()).resolve())
    except (ValueError, OSError):
        return PurePath(path).as_posix()
    return relative.as_posix()


def file_uri(path: str | None) -> str:
    """A URI reference for a path: relative (percent-encoded) inside the working directory,
    a ``file://`` URI outside it."""
    relative = relative_path(path)
    if PurePath(relative).is_absolute():
        return Path(relative).as_uri()
    return quote(relative)
