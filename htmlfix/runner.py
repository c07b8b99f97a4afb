"""Checking and fixing files: bytes (or a path) in, diagnostics and new content out.

Two paths share the per-region logic (:func:`_run_region`):

* :func:`process_bytes` reads a whole file from memory: HTML, text, Markdown, JSON exports.
  After fixing, the new text is read again and every fixed region must decode to exactly the
  fixed text, or the file is not written (a write-back that changed anything else is a bug).
* :func:`process_export` streams an RSS/WXR export (any size, flat memory): pass 1 reads the
  regions and lints or fixes each one, keeping only the edits and the diagnostics; pass 2
  copies the file into a temporary file beside it with the edits spliced in, re-reads every
  fixed body from the output to verify it and to locate what remains, then renames it over the
  original. A malformed export is checked as far as it can be read and never written.
  With ``jobs``, a large export's posts are linted in a process pool while this process
  reads the XML (:func:`_outcomes`); results are used in file order, so nothing else changes.

:func:`process_path` chooses between them for a file on disk.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import hashlib
import io
import marshal
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from .config import Settings
from .engine import FixResult, Linter
from .fixer import apply_edits
from .model import Diagnostic, Edit, Fix
from .readers import Container, ReadError, Region, is_streamed_export, kind_for_path, open_container
from .readers.base import Locator, OffsetMap
from .readers.wxr import CHUNK_SIZE, LineTracker, SliceLocator, WxrReader, scan_content
from .document import Mode
from .source import DecodeError, LineIndex, Position, SourceFile, decode

__all__ = [
    "FileResult",
    "STREAM_DIFF_LIMIT",
    "process_bytes",
    "process_export",
    "process_path",
    "write_atomically",
]

#: Exports up to this size are read into memory with ``--diff`` (a diff needs both texts).
STREAM_DIFF_LIMIT = 64 * 1024 * 1024
#: Files other than RSS/WXR exports are read whole, and checking one takes several times its
#: size in memory (its text and token columns): larger files are refused with an error that
#: names this limit, never read. Exports are streamed at any size.
MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024
#: Applied fixes of a streamed export kept as diagnostics (the rest are only counted).
MAX_KEPT_FIXED = 10_000
#: Exports from this size have their posts checked in a pool when ``jobs`` allows (below it,
#: starting the workers costs more than they save).
EXPORT_PARALLEL_MIN_BYTES = 4 * 1024 * 1024
#: Most posts and characters sent to a worker at once, and batches in flight per worker: the
#: texts waiting for their turn stay a few megabytes whatever the export's size.
POST_BATCH_POSTS = 64
POST_BATCH_CHARS = 256 * 1024
POST_BATCHES_PER_WORKER = 2


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)  # remaining after any fixing
    fixed: list[Diagnostic] = field(default_factory=list)
    rejected: list[Diagnostic] = field(default_factory=list)
    original: bytes | None = None
    output: bytes | None = None  # set when the content changed (in-memory processing)
    original_text: str | None = None
    output_text: str | None = None
    error: str | None = None
    skipped: bool = False
    from_stdin: bool = False
    notices: list[str] = field(default_factory=list)
    #: Set when a streamed export changed (its new content went straight to disk).
    modified: bool = False
    #: True once the new content is on disk (``process_path(..., write=True)``).
    written: bool = False
    #: Rows and columns of file offsets (fix edits in JSON output) when no text is kept.
    locator: Locator | None = None
    #: How many problems were fixed; a streamed export keeps only the first
    #: :data:`MAX_KEPT_FIXED` of them in ``fixed`` (a 1 GB export can have millions).
    fixed_count: int = 0

    @property
    def fixed_total(self) -> int:
        return max(self.fixed_count, len(self.fixed))

    @property
    def changed(self) -> bool:
        return self.modified or (self.output is not None and self.output != self.original)

    def lines(self) -> Locator:
        """Positions in the file as it now is (for fix edits in reports)."""
        if self.locator is not None:
            return self.locator
        return LineIndex(self.output_text or self.original_text or "")


# --- one region ---------------------------------------------------------------------------


@dataclass
class _RegionOutcome:
    remaining: list[Diagnostic]
    fixed: FixResult | None = None


def _run_region(region: Region, linter: Linter, fix: bool) -> _RegionOutcome:
    return _outcome(region.text, region.mode, fix and region.writable, linter)


def _outcome(text: str, mode: Mode, fix: bool, linter: Linter) -> _RegionOutcome:
    if fix:
        outcome = linter.fix(text, mode, locate=False)  # located in the file (_in_file)
        return _RegionOutcome(outcome.remaining, outcome)
    return _RegionOutcome(linter.lint(text, mode))


def _outcomes(
    regions: Iterator[Region], linter: Linter, fix: bool, jobs: int
) -> Iterator[tuple[Region, _RegionOutcome]]:
    """Each region with its outcome, in order: here, or with ``jobs`` >= 2 in a pool of that
    many workers while this process goes on reading (lexing and validating the XML is
    sequential). At most ``POST_BATCHES_PER_WORKER`` batches per worker wait at a time."""
    if jobs < 2:
        for region in regions:
            yield region, _run_region(region, linter, fix)
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    from .batch import pool_context

    if fix:
        import html5lib  # noqa: F401  (the fix verifier: imported once, before the workers fork)
    waiting: deque[tuple[list[Region], Future[list[_RegionOutcome]]]] = deque()
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=pool_context(),
                                   initializer=_start_post_worker, initargs=(linter.settings,))
    try:
        for batch in _post_batches(regions):
            work = [(region.text, region.mode, fix and region.writable) for region in batch]
            waiting.append((batch, executor.submit(_run_posts, work)))
            while len(waiting) > jobs * POST_BATCHES_PER_WORKER:
                done, future = waiting.popleft()
                yield from zip(done, future.result())
        while waiting:
            done, future = waiting.popleft()
            yield from zip(done, future.result())
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _post_batches(regions: Iterator[Region]) -> Iterator[list[Region]]:
    batch: list[Region] = []
    size = 0
    for region in regions:
        batch.append(region)
        size += len(region.text)
        if size >= POST_BATCH_CHARS or len(batch) >= POST_BATCH_POSTS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


_POST_LINTER: Linter | None = None  # in a worker of _outcomes


def _start_post_worker(settings: Settings) -> None:
    global _POST_LINTER
    _POST_LINTER = Linter(settings)


def _run_posts(work: list[tuple[str, Mode, bool]]) -> list[_RegionOutcome]:
    """:func:`_outcome` for each post of a batch (in a worker)."""
    assert _POST_LINTER is not None
    return [_outcome(text, mode, fix, _POST_LINTER) for text, mode, fix in work]


def _in_file(diagnostic: Diagnostic, region: Region, lines: Locator | None, path: str) -> Diagnostic:
    """A region's diagnostic, located in the file (rows and columns of the file's text)."""
    locator = region.locator or lines
    assert locator is not None
    start = region.file_offset(diagnostic.span.start)
    end = region.file_offset(diagnostic.span.end)
    return replace(
        diagnostic,
        location=locator.position(start),
        end_location=locator.position(end),
        context=diagnostic.context or region.label,
        filename=path,
        fix=_fix_in_file(diagnostic.fix, region),
    )


def _fix_in_file(fix: Fix | None, region: Region) -> Fix | None:
    if fix is None:
        return None
    return replace(fix, edits=tuple(region.file_edit(edit) for edit in fix.edits))


def _held_back_notices(held: dict[str, int]) -> list[str]:
    return [f"fixes not written in {count} region(s): {reason}" for reason, count in held.items()]


def _note_unverified(unverified: dict[str, int], fixed: FixResult | None) -> None:
    if fixed is not None and fixed.unverified:
        unverified[fixed.unverified] = unverified.get(fixed.unverified, 0) + 1


def _unverified_notices(unverified: dict[str, int], regions: int) -> list[str]:
    """Structural fixes left unapplied because the fix verifier could not run (not refused:
    nothing is known to be wrong with them). A file of one region needs no count."""
    notices = []
    for reason, count in unverified.items():
        where = "" if regions == 1 else f" in {count} region(s)"
        notices.append(f"structural fixes not applied{where}: {reason}")
    return notices


# --- whole files in memory ------------------------------------------------------------------


def process_bytes(
    path: str, data: bytes, linter: Linter, *, fix: bool = False, mode: str | None = None,
    explicit: bool = True,
) -> FileResult:
    """Check (and with ``fix``, fix) one file's bytes. Never raises for bad input."""
    forced = mode or linter.settings.mode
    if is_streamed_export(path, data[:65536], forced):
        return _export_in_memory(path, data, linter, fix)
    result = FileResult(path, original=data)
    try:
        source = decode(data)
        container = open_container(path, source, forced, linter.settings, explicit=explicit)
    except (DecodeError, ReadError) as exc:
        result.error = str(exc)
        return result
    if container is None:
        result.skipped = True
        return result
    result.notices.extend(container.notices)
    result.original_text = source.text
    file_lines = LineIndex(source.text)
    changes: list[tuple[Region, list[Edit]]] = []
    fixed_texts: dict[int, FixResult] = {}
    per_region: list[list[Diagnostic]] = []  # remaining, in region spans
    held: dict[str, int] = {}
    unverified: dict[str, int] = {}
    for index, region in enumerate(container.regions):
        outcome = _run_region(region, linter, fix)
        per_region.append(outcome.remaining)
        if fix and not region.writable and region.readonly_reason:
            held[region.readonly_reason] = held.get(region.readonly_reason, 0) + 1
        _note_unverified(unverified, outcome.fixed)
        if outcome.fixed is not None:
            result.fixed.extend(_in_file(d, region, file_lines, path) for d in outcome.fixed.applied)
            result.rejected.extend(_in_file(d, region, file_lines, path) for d in outcome.fixed.rejected)
            if outcome.fixed.changed:
                changes.append((region, outcome.fixed.edits))
                fixed_texts[index] = outcome.fixed
        # What remains after fixing is located in the fixed text: for a whole-file region,
        # the new file (exports are located again by _verify_and_relocate).
        lines = LineIndex(outcome.fixed.text) if outcome.fixed is not None and outcome.fixed.changed else file_lines
        result.diagnostics.extend(_in_file(d, region, lines, path) for d in outcome.remaining)
    result.notices.extend(_held_back_notices(held))
    result.notices.extend(_unverified_notices(unverified, len(container.regions)))
    if not changes:
        return result
    new_text = container.rebuild(changes)
    if container.regions[0].extent is None and len(container.regions) == 1:
        # A whole-file region: the fixed text is the file; positions are already right.
        try:
            result.output = source.encode(new_text)
        except DecodeError as exc:
            result.error = str(exc)
            return result
        result.output_text = new_text
        return result
    relocated = _verify_and_relocate(path, new_text, source, container, fixed_texts, per_region, linter)
    if relocated is None:
        result.error = ("internal error: the fixed export did not read back as fixed; the file "
                        "was not written (please report this with the file)")
        return result
    result.diagnostics = relocated
    result.output_text, result.output = new_text, source.encode(new_text)
    return result


def _verify_and_relocate(
    path: str, new_text: str, source: SourceFile, container: Container, fixed: dict[int, FixResult],
    per_region: list[list[Diagnostic]], linter: Linter,
) -> list[Diagnostic] | None:
    """Read the fixed file again: every region must decode to its fixed (or unchanged) text;
    locate the remaining diagnostics in the new file. None when the check fails."""
    again = open_container(path, SourceFile(new_text, source.encoding, source.bom),
                           linter.settings.mode, linter.settings)
    if again is None or len(again.regions) != len(container.regions):
        return None
    lines = LineIndex(new_text)
    remaining: list[Diagnostic] = []
    for index, (old, new) in enumerate(zip(container.regions, again.regions)):
        outcome = fixed.get(index)
        if new.text != (outcome.text if outcome is not None else old.text):
            return None
        remaining.extend(_in_file(d, new, lines, path) for d in per_region[index])
    return remaining


# --- streamed exports ----------------------------------------------------------------------


def process_path(
    path: str, linter: Linter, *, fix: bool = False, write: bool = False, mode: str | None = None,
    explicit: bool = True, jobs: int = 1,
) -> FileResult:
    """Check (and fix) a file on disk; with ``write``, save a changed file atomically.

    RSS/WXR exports are streamed in bounded memory, unless ``fix`` without ``write`` (a diff)
    asks for both texts of an export small enough to hold (:data:`STREAM_DIFF_LIMIT`). The
    posts of an export of :data:`EXPORT_PARALLEL_MIN_BYTES` or more are checked in ``jobs``
    processes.
    """
    target = Path(path)
    if write and _read_only(target):
        result = process_path(path, linter, mode=mode, explicit=explicit, jobs=jobs)
        result.error = result.error or "the file is read-only; nothing was fixed"
        return result
    with open(target, "rb") as stream:
        head = stream.read(65536)
    forced = mode or linter.settings.mode
    export = is_streamed_export(path, head, forced)
    if export and (write or not fix or target.stat().st_size > STREAM_DIFF_LIMIT):
        def open_input() -> BinaryIO:
            return open(target, "rb")

        if target.stat().st_size < EXPORT_PARALLEL_MIN_BYTES:
            jobs = 1

        if fix and write:
            try:
                with _atomic_output(target) as sink:
                    result = process_export(path, open_input, linter, fix=True, sink=sink, jobs=jobs)
                    if not result.modified or result.error:
                        raise _Discard(result)
            except _Discard as kept:
                return kept.result
            result.written = True
            return result
        result = process_export(path, open_input, linter, fix=fix, sink=None, jobs=jobs)
        if fix and result.modified:
            result.notices.append("the diff of an export this large is not shown; use --fix")
        return result
    if kind_for_path(path) == "xml" and not export and not (forced and forced != "auto"):
        return FileResult(path, skipped=True)  # XML that is not an RSS/WXR export: not read
    size = target.stat().st_size
    if size > MAX_WHOLE_FILE_BYTES:
        return FileResult(path, error=f"file of {_megabytes(size)} is larger than the {_megabytes(MAX_WHOLE_FILE_BYTES)} "
                                      "htmlfix reads whole (only RSS/WXR exports are streamed); not read")
    data = target.read_bytes()
    result = process_bytes(path, data, linter, fix=fix, mode=mode, explicit=explicit)
    if write and result.changed and not result.error and result.output is not None:
        try:
            write_atomically(target, result.output)
        except OSError as exc:
            # Report the file's problems as they are (none was fixed), and why.
            unfixed = process_bytes(path, data, linter, fix=False, mode=mode, explicit=explicit)
            unfixed.error = f"cannot write: {exc.strerror or exc}; nothing was fixed"
            return unfixed
        result.written = True
    return result


def _megabytes(size: int) -> str:
    return f"{size / (1 << 30):.1f} GB" if size >= 1 << 30 else f"{size / (1 << 20):.0f} MB"


def _export_in_memory(path: str, data: bytes, linter: Linter, fix: bool) -> FileResult:
    sink = io.BytesIO()
    result = process_export(path, lambda: io.BytesIO(data), linter, fix=fix, sink=sink if fix else None)
    result.original = data
    if result.modified:
        result.output = sink.getvalue()
        encoding = _encoding_of(data)
        result.original_text = data.decode(encoding, "surrogateescape")
        result.output_text = result.output.decode(encoding, "surrogateescape")
    return result


def _encoding_of(data: bytes) -> str:
    from .readers.wxr import detect_encoding

    encoding, bom = detect_encoding(data[:4096])
    return "utf-8-sig" if bom == codecs.BOM_UTF8 else ("utf-16" if bom else encoding)


class _PlanSpool:
    """Pass 1's plans, kept in a temporary file rather than in memory: an export with a fix in
    every post holds millions of edits. Plans are read back in order by pass 2. Their
    remaining diagnostics are spooled too (pickled): the report keeps its own copies, located
    in the file, and holding both in memory cost ~0.8 KB per problem."""

    def __init__(self) -> None:
        import tempfile  # here and in _atomic_output: only writing needs it (~6 ms to import)

        self.file = tempfile.TemporaryFile()
        self.count = 0
        self.edited = 0

    def add(self, plan: _Plan) -> None:
        import pickle  # here and in __iter__: only fixing an export needs it (not imported at start-up)

        edits = [(e.start, e.end, e.content) for e in plan.edits]
        remaining = pickle.dumps(plan.remaining, pickle.HIGHEST_PROTOCOL) if plan.remaining else b""
        marshal.dump((plan.extent, plan.label, edits, plan.fixed_digest, remaining), self.file)
        self.edited += bool(edits)
        self.count += 1

    def __iter__(self) -> Iterator[_Plan]:
        import pickle

        self.file.seek(0)
        for _ in range(self.count):
            extent, label, edits, digest, remaining = marshal.load(self.file)
            yield _Plan(extent, label, [Edit(*e) for e in edits], digest,
                        pickle.loads(remaining) if remaining else [])

    def close(self) -> None:
        self.file.close()


@dataclass
class _Plan:
    """What pass 2 does to one region: its extent, its edits in file offsets, the digest of
    the fixed text (to verify the write-back) and its remaining diagnostics (region spans)."""

    extent: tuple[int, int]
    label: str | None
    edits: list[Edit]
    fixed_digest: bytes | None
    remaining: list[Diagnostic]


def process_export(
    path: str, open_input: Callable[[], BinaryIO], linter: Linter, *, fix: bool = False,
    sink: BinaryIO | None = None, jobs: int = 1,
) -> FileResult:
    """Check (and fix) a streamed RSS/WXR export. With ``fix`` and a ``sink``, the fixed file
    is written to ``sink`` (only when something changed and the export read cleanly); with
    ``fix`` and no sink, the result only says whether fixing would change the file. With
    ``jobs`` >= 2 the posts are checked in that many worker processes."""
    result = FileResult(path)
    with open_input() as stream, contextlib.closing(_PlanSpool()) as plans:
        reader = WxrReader(stream)
        _pass_one(path, reader, linter, fix, result, plans, jobs)
        return _after_pass_one(path, open_input, linter, fix, sink, result, reader, plans, jobs)


def _after_pass_one(
    path: str, open_input: Callable[[], BinaryIO], linter: Linter, fix: bool, sink: BinaryIO | None,
    result: FileResult, reader: WxrReader, plans: _PlanSpool, jobs: int,
) -> FileResult:
    if reader.error is not None and fix:
        # A malformed export is never written: report it as a check.
        return process_export(path, open_input, linter, fix=False, jobs=jobs)
    result.notices.extend(reader.notices())
    if reader.error is not None:
        result.error = reader.error
        return result
    if not plans.edited:
        return result
    if sink is None:
        checked = process_export(path, open_input, linter, fix=False, jobs=jobs)
        checked.modified = True
        return checked
    # Pass 2 locates the remaining problems in the fixed file; pass 1's copies, located in
    # the original, are not needed any more (memory: one copy per problem, not two).
    result.diagnostics = []
    with open_input() as stream:
        relocated, locator = _pass_two(path, stream, sink, reader, plans)
    if relocated is None:
        checked = process_export(path, open_input, linter, fix=False, jobs=jobs)
        checked.error = ("internal error: a fixed post did not read back as fixed; the file was "
                         "not written (please report this with the file)")
        return checked
    result.diagnostics = relocated
    result.locator = locator
    result.modified = True
    return result


def _pass_one(path: str, reader: WxrReader, linter: Linter, fix: bool, result: FileResult,
              plans: _PlanSpool, jobs: int = 1) -> None:
    """Lint or fix every region; keep what pass 2 needs (in fix mode) and locate the
    diagnostics in the original file (right as they are when nothing is written)."""
    held: dict[str, int] = {}
    unverified: dict[str, int] = {}
    for region, outcome in _outcomes(reader.regions(), linter, fix, jobs):
        if fix and not region.writable and region.readonly_reason:
            held[region.readonly_reason] = held.get(region.readonly_reason, 0) + 1
        fixed = outcome.fixed
        _note_unverified(unverified, fixed)
        if fixed is not None:
            room = MAX_KEPT_FIXED - len(result.fixed)
            result.fixed.extend(_in_file(d, region, None, path) for d in fixed.applied[:max(room, 0)])
            result.fixed_count += len(fixed.applied)
            result.rejected.extend(_in_file(d, region, None, path) for d in fixed.rejected)
        changed = fixed is not None and fixed.changed
        if not changed:
            result.diagnostics.extend(_in_file(d, region, None, path) for d in outcome.remaining)
        if fix and (changed or outcome.remaining):
            assert region.extent is not None
            plans.add(_Plan(
                region.extent, region.label,
                [region.file_edit(edit) for edit in fixed.edits] if changed and fixed else [],
                _text_digest(fixed.text) if changed and fixed else None,
                outcome.remaining,
            ))
    result.notices.extend(_held_back_notices(held))
    result.notices.extend(_unverified_notices(unverified, 0))  # an export: counted in posts


def _text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _pass_two(
    path: str, stream: BinaryIO, sink: BinaryIO, reader: WxrReader, plans: _PlanSpool
) -> tuple[list[Diagnostic] | None, Locator | None]:
    """Copy the export to ``sink`` with every plan's edits spliced in; verify each fixed body
    and locate the remaining diagnostics in the new file."""
    copier = _Copier(stream, sink, reader.encoding, reader.bom)
    located: list[Diagnostic] = []
    positions = _SparsePositions()
    for plan in plans:
        copier.copy_to(plan.extent[0])
        raw = copier.take(plan.extent[1] - plan.extent[0])
        new_raw = apply_edits(raw, [Edit(e.start - plan.extent[0], e.end - plan.extent[0], e.content)
                                    for e in plan.edits]) if plan.edits else raw
        base = copier.out_offset
        start = copier.out_position()
        copier.write(new_raw)
        scan = scan_content(new_raw, base)
        if plan.fixed_digest is not None and _text_digest(scan.text) != plan.fixed_digest:
            return None, None
        region = Region(scan.text, Mode.HTML, start=base, label=plan.label,
                        offsets=OffsetMap(scan.segments, base), contexts=reader.contexts,
                        locator=SliceLocator(new_raw, base, start),
                        peek=_slice_peek(new_raw, base))
        for diagnostic in plan.remaining:
            moved = _in_file(diagnostic, region, None, path)
            located.append(moved)
            if moved.fix is not None:
                for edit in moved.fix.edits:
                    positions.add(edit.start, region.locator.position(edit.start))  # type: ignore[union-attr]
                    positions.add(edit.end, region.locator.position(edit.end))  # type: ignore[union-attr]
    copier.copy_rest()
    return located, positions


class _SparsePositions:
    """Rows and columns of the few file offsets a report needs (fix edits), kept by offset."""

    def __init__(self) -> None:
        self._known: dict[int, Position] = {}

    def add(self, offset: int, position: Position) -> None:
        self._known[offset] = position

    def position(self, offset: int) -> Position:
        return self._known.get(offset, Position(1, 1))


class _Copier:
    """Streams decoded text from ``source`` to ``sink``, tracking offsets on both sides."""

    def __init__(self, source: BinaryIO, sink: BinaryIO, encoding: str, bom: bytes) -> None:
        self.source = source
        self.sink = sink
        self.encoding = encoding
        self.errors = "strict" if encoding.startswith("utf-16") else "surrogateescape"
        self.decoder = codecs.getincrementaldecoder(encoding)(errors=self.errors)
        source.read(len(bom))
        sink.write(bom)
        self.buf = ""
        self.in_offset = 0  # file offset of buf[0]
        self.out_offset = 0
        self.out_lines = LineTracker()
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        data = self.source.read(CHUNK_SIZE)
        self.buf += self.decoder.decode(data, final=not data)
        self.eof = not data
        return True

    def write(self, text: str) -> None:
        if text:
            self.sink.write(text.encode(self.encoding, self.errors))
            self.out_lines.advance(text, 0, len(text), self.out_offset)
            self.out_offset += len(text)

    def _emit(self, count: int) -> None:
        text, self.buf = self.buf[:count], self.buf[count:]
        self.in_offset += count
        self.write(text)

    def copy_to(self, offset: int) -> None:
        while self.in_offset + len(self.buf) < offset and self._fill():
            if len(self.buf) > CHUNK_SIZE:
                self._emit(min(len(self.buf), offset - self.in_offset))
        self._emit(offset - self.in_offset)

    def take(self, count: int) -> str:
        while len(self.buf) < count and self._fill():
            pass
        text, self.buf = self.buf[:count], self.buf[count:]
        self.in_offset += count
        return text

    def copy_rest(self) -> None:
        while True:
            self._emit(len(self.buf))
            if not self._fill():
                break
        self._emit(len(self.buf))

    def out_position(self) -> Position:
        return self.out_lines.position(self.out_offset)


# --- writing --------------------------------------------------------------------------------


class _Discard(Exception):
    """Leave the original file as it is (nothing changed, or the export was unreadable)."""

    def __init__(self, result: FileResult) -> None:
        super().__init__()
        self.result = result


@contextlib.contextmanager
def _atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside ``path`` that replaces it when the block succeeds: readers see
    the old or the new file, never a mixture. Raising :class:`_Discard` keeps the original."""
    target = Path(os.path.realpath(path))
    mode = target.stat().st_mode & 0o7777
    if _read_only(target):
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".htmlfix", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _read_only(path: Path) -> bool:
    """Whether this user may not write the file. A rename would replace it regardless (it is
    the directory that is written), so the file's own permission is asked first, as ``open``
    would answer it: a read-only file is left alone, except for root, whom the system lets
    write it (as Ruff, Black or Prettier would)."""
    try:
        os.stat(path)
    except OSError:
        return False  # reading it reports the problem
    return not os.access(path, os.W_OK)


def _slice_peek(raw: str, base: int) -> Callable[[int, int], str]:
    """A region's ``peek``: the file text between two file offsets, from a slice of it."""
    def peek(start: int, end: int) -> str:
        return raw[max(start - base, 0) : max(end - base, 0)]
    return peek


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` so that readers see the old or the new file,
    never a mixture: write a temporary file beside it, flush it to disk, rename it over.

    The file keeps its permission bits. A symlink is followed and its target is replaced, so
    the link stays a link.
    """
    with _atomic_output(path) as stream:
        stream.write(data)
