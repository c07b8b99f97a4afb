"""Checking and fixing files: bytes in, diagnostics and (maybe) new bytes out.

Pure functions of the file's bytes; reading paths and writing files is the CLI's job, through
:func:`write_atomically`.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from .engine import FixResult, Linter
from .model import Diagnostic, Edit, Fix
from .readers import Container, ReadError, Region, open_container
from .source import DecodeError, LineIndex, decode

__all__ = ["FileResult", "process_bytes", "write_atomically"]


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)  # remaining after any fixing
    fixed: list[Diagnostic] = field(default_factory=list)
    rejected: list[Diagnostic] = field(default_factory=list)
    original: bytes | None = None
    output: bytes | None = None  # set when the content changed
    original_text: str | None = None
    output_text: str | None = None
    error: str | None = None
    skipped: bool = False
    from_stdin: bool = False
    notices: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.output is not None and self.output != self.original


def process_bytes(
    path: str, data: bytes, linter: Linter, *, fix: bool = False, mode: str | None = None
) -> FileResult:
    """Check (and with ``fix``, fix) one file's bytes. Never raises for bad input."""
    result = FileResult(path, original=data)
    try:
        source = decode(data)
    except DecodeError as exc:
        result.error = str(exc)
        return result
    try:
        container = open_container(path, source, mode or linter.settings.mode)
    except ReadError as exc:
        result.error = str(exc)
        return result
    if container is None:
        result.skipped = True
        return result
    result.notices.extend(container.notices)
    result.original_text = source.text
    file_lines = LineIndex(source.text)
    changes: list[tuple[Region, list[Edit]]] = []
    for region in container.regions:
        lines = file_lines
        if fix and region.writable and container.writable:
            outcome: FixResult = linter.fix(region.text, region.mode)
            remaining = outcome.remaining
            if outcome.changed:
                # What remains is located in the fixed text: for a whole-file region, the new
                # file (exports are located again below, by _relocate_after_fix).
                lines = LineIndex(outcome.text)
            result.fixed.extend(_in_file(d, region, file_lines, path) for d in outcome.applied)
            result.rejected.extend(_in_file(d, region, file_lines, path) for d in outcome.rejected)
            if outcome.changed:
                changes.append((region, outcome.edits))
        else:
            remaining = linter.lint(region.text, region.mode)
        result.diagnostics.extend(_in_file(d, region, lines, path) for d in remaining)
    if changes:
        new_text = container.rebuild(changes)
        try:
            result.output = source.encode(new_text)
        except DecodeError as exc:
            result.error = str(exc)
            return result
        result.output_text = new_text
        # Remaining problems are reported against the file as it will be written.
        if len(container.regions) > 1 or container.regions[0].start or container.regions[0].to_file:
            result.diagnostics = _relocate_after_fix(path, new_text, linter, mode, result)
    return result


def _in_file(diagnostic: Diagnostic, region: Region, lines: LineIndex, path: str) -> Diagnostic:
    """A region's diagnostic, located in the file (rows and columns of the file's text)."""
    start = region.file_offset(diagnostic.span.start)
    end = region.file_offset(diagnostic.span.end)
    return replace(
        diagnostic,
        location=lines.position(start),
        end_location=lines.position(end),
        context=diagnostic.context or region.label,
        filename=path,
        fix=_fix_in_file(diagnostic, region),
    )


def _fix_in_file(diagnostic: Diagnostic, region: Region) -> Fix | None:
    fix = diagnostic.fix
    if fix is None:
        return None
    return replace(fix, edits=tuple(region.file_edit(edit) for edit in fix.edits))


def _relocate_after_fix(path: str, new_text: str, linter: Linter, mode: str | None, result: FileResult) -> list[Diagnostic]:
    """Re-read the fixed file to locate what remains (exports shift after fixes)."""
    from .source import SourceFile

    assert result.original is not None
    source = decode(result.output) if result.output is not None else None
    if source is None:
        return result.diagnostics
    container = open_container(path, SourceFile(new_text, source.encoding, source.bom), mode or linter.settings.mode)
    if container is None:
        return result.diagnostics
    lines = LineIndex(new_text)
    found: list[Diagnostic] = []
    for region in container.regions:
        found.extend(_in_file(d, region, lines, path) for d in linter.lint(region.text, region.mode))
    return found


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` so that readers see the old or the new file,
    never a mixture: write a temporary file beside it, flush it to disk, rename it over.

    The file keeps its permission bits. A symlink is followed and its target is replaced, so
    the link stays a link.
    """
    target = Path(os.path.realpath(path))
    mode = target.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".htmlfix", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
