"""The library API: check and fix strings (no I/O) and files (as the command line does).

>>> import htmlfix
>>> [d.code for d in htmlfix.check("<p>< strong >Hi< / strong ></p>")]
['FR001', 'FR001']
>>> htmlfix.fix("<p>< strong >Hi< / strong ></p>").text
'<p><strong>Hi</strong></p>'
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from .config import Settings
from .configfile import ConfigLoader
from .document import Mode
from .engine import FixResult, Linter, resolve_mode
from .model import Diagnostic
from .readers import ReadError, Region, open_container
from .runner import FileResult, process_bytes, write_atomically
from .source import DecodeError, decode

__all__ = ["check", "check_file", "fix", "fix_file", "iter_regions", "load_settings"]


def _settings(
    settings: Settings | None,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    extend_select: Sequence[str] | None,
    unsafe_fixes: bool | None,
) -> Settings:
    resolved = settings or Settings()
    changes: dict[str, object] = {}
    if select is not None:
        changes["select"] = tuple(select)
    if ignore is not None:
        changes["ignore"] = tuple(ignore)
    if extend_select is not None:
        changes["extend_select"] = tuple(extend_select)
    if unsafe_fixes is not None:
        changes["unsafe_fixes"] = unsafe_fixes
    return replace(resolved, **changes) if changes else resolved  # type: ignore[arg-type]


def check(
    text: str,
    *,
    mode: str | Mode = "auto",
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> list[Diagnostic]:
    """The problems in ``text``, sorted, each with ``location`` (row, column) and code.

    ``mode`` is ``"html"``, ``"text"`` (a plain-text export) or ``"auto"`` (html when the text
    contains real markup). Selection works as on the command line (codes or prefixes).
    """
    linter = Linter(_settings(settings, select, ignore, extend_select, None))
    return linter.check(text, resolve_mode(text, mode))


def fix(
    text: str,
    *,
    mode: str | Mode = "auto",
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    unsafe_fixes: bool = False,
    settings: Settings | None = None,
) -> FixResult:
    """Fix ``text``: safe fixes, plus unsafe ones with ``unsafe_fixes=True``.

    Returns a :class:`~htmlfix.engine.FixResult` with the fixed ``text``, what was ``applied``,
    what ``remaining`` problems are left (located in the fixed text), and the ``edits`` that
    turn the original into the result.
    """
    linter = Linter(_settings(settings, select, ignore, extend_select, unsafe_fixes))
    return linter.fix(text, resolve_mode(text, mode))


# --- files: what the command line does, for one file ------------------------------------------


def _file_result(
    path: str | os.PathLike[str], settings: Settings | None, mode: str | None, fix: bool
) -> FileResult:
    data = Path(path).read_bytes()
    result = process_bytes(os.fspath(path), data, Linter(settings or Settings()), fix=fix, mode=mode)
    if result.error:
        raise ReadError(f"{os.fspath(path)}: {result.error}")
    if result.skipped:
        raise ReadError(f"{os.fspath(path)}: not a kind htmlfix reads (pass mode='html' or 'text')")
    return result


def check_file(
    path: str | os.PathLike[str], *, settings: Settings | None = None, mode: str | None = None
) -> FileResult:
    """Check one file as ``htmlfix check`` does: HTML, a text export, or any export a reader
    understands (each post checked on its own; ``Diagnostic.context`` names the post).

    Diagnostics are located in the file (rows and columns of its text). Raises
    :class:`ReadError` for bytes that do not decode and malformed exports, ``OSError`` when
    the file cannot be read. Configuration files are not consulted; pass
    ``settings=htmlfix.load_settings(path)`` for the project's settings.
    """
    return _file_result(path, settings, mode, fix=False)


def fix_file(
    path: str | os.PathLike[str],
    *,
    settings: Settings | None = None,
    unsafe_fixes: bool = False,
    mode: str | None = None,
    write: bool = False,
) -> FileResult:
    """Fix one file as ``htmlfix check --fix`` does. The result's ``output`` holds the new
    bytes when anything changed (``changed``); with ``write=True`` they replace the file,
    atomically. ``fixed`` lists what was fixed, ``diagnostics`` what remains."""
    resolved = _settings(settings, None, None, None, unsafe_fixes or None)
    result = _file_result(path, resolved, mode, fix=True)
    if write and result.changed and result.output is not None:
        write_atomically(Path(path), result.output)
    return result


def iter_regions(
    path: str | os.PathLike[str], *, data: bytes | None = None, mode: str | None = None
) -> Iterator[Region]:
    """The pieces of HTML in a file: one for an HTML or text file, one per post of an export.

    Each :class:`Region` has the ``text`` to check or fix (``check(region.text,
    mode=region.mode)``), its ``mode`` and a ``label`` naming the post in an export. ``data``
    gives the file's bytes when they are not on disk (the name still chooses the reader).
    """
    name = os.fspath(path)
    raw = Path(path).read_bytes() if data is None else data
    try:
        container = open_container(name, decode(raw), mode)
    except DecodeError as exc:
        raise ReadError(f"{name}: {exc}") from None
    except ReadError as exc:
        raise ReadError(f"{name}: {exc}") from None
    if container is None:
        raise ReadError(f"{name}: not a kind htmlfix reads (pass mode='html' or 'text')")
    yield from container.regions


def load_settings(path: str | os.PathLike[str] = ".") -> Settings:
    """The settings ``htmlfix check`` would use for ``path``, from the closest
    ``htmlfix.toml`` or ``pyproject.toml`` (``[tool.htmlfix]``) above it: selection,
    fixability, target and rule options, with ``per-file-ignores`` and ``per-file-mode``
    applied for that file. Raises :class:`~htmlfix.configfile.ConfigError` for a bad file."""
    config = ConfigLoader().for_path(Path(path).parent if not Path(path).is_dir() else path)
    return config.settings_for(None if Path(path).is_dir() else path)
