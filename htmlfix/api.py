"""The library API: check and fix strings (no I/O) and files (as the command line does).

>>> import htmlfix
>>> [d.code for d in htmlfix.check("<p>< strong >Hi< / strong ></p>")]
['FR001', 'FR001']
>>> htmlfix.fix("<p>< strong >Hi< / strong ></p>").text
'<p><strong>Hi</strong></p>'
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from .config import Settings
from .configfile import ConfigLoader
from .document import Mode
from .engine import FixResult, Linter, resolve_mode
from .model import Diagnostic
from .readers import ReadError, Region, is_streamed_export, open_container
from .readers.wxr import WxrReader
from .runner import FileResult, process_path
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
    path: str | os.PathLike[str], settings: Settings | None, mode: str | None, fix: bool, write: bool
) -> FileResult:
    name = os.fspath(path)
    if Path(path).is_dir():
        raise IsADirectoryError(name)
    result = process_path(name, Linter(settings or Settings()), fix=fix, write=write, mode=mode)
    if result.error:
        raise ReadError(f"{name}: {result.error}")
    if result.skipped:
        raise ReadError(f"{name}: not a kind htmlfix reads (pass mode='html' or 'text')")
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
    return _file_result(path, settings, mode, fix=False, write=False)


def fix_file(
    path: str | os.PathLike[str],
    *,
    settings: Settings | None = None,
    unsafe_fixes: bool = False,
    mode: str | None = None,
    write: bool = False,
) -> FileResult:
    """Fix one file as ``htmlfix check --fix`` does. ``changed`` says whether fixing changes
    it; with ``write=True`` the file is rewritten, atomically and only where damaged (a large
    export is streamed). Without ``write``, ``output`` holds the new bytes (for files read
    whole). ``fixed`` lists what was fixed, ``diagnostics`` what remains."""
    resolved = _settings(settings, None, None, None, unsafe_fixes or None)
    return _file_result(path, resolved, mode, fix=True, write=write)


def iter_regions(
    path: str | os.PathLike[str], *, data: bytes | None = None, mode: str | None = None,
    settings: Settings | None = None,
) -> Iterator[Region]:
    """The pieces of HTML in a file: one for an HTML, text or Markdown file, one per post of an
    export (WXR/RSS, Ghost JSON, or JSON fields named in ``settings.json_fields``).

    Each :class:`Region` has the ``text`` to check or fix (``check(region.text,
    mode=region.mode)``), its ``mode`` and a ``label`` naming the post in an export. ``data``
    gives the file's bytes when they are not on disk (the name still chooses the reader). A
    WXR export is streamed: its posts are read one at a time.
    """
    name = os.fspath(path)
    raw = Path(path).read_bytes() if data is None else data
    if is_streamed_export(name, raw[:65536], mode):
        reader = WxrReader(io.BytesIO(raw))
        yield from reader.regions()
        if reader.error is not None:
            raise ReadError(f"{name}: {reader.error}")
        return
    try:
        container = open_container(name, decode(raw), mode, settings)
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
