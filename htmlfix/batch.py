"""Checking many files: one task per file, a process pool that hands results back in order,
and the result cache around both.

:func:`check_files` yields one :class:`~htmlfix.runner.FileResult` per task, in the order of
the tasks, whatever order the workers finish in, so output is deterministic. Files whose
result is in the cache (:mod:`htmlfix.cache`) cost a stat and a hash and never reach a worker.
The rest run in a pool of ``jobs`` processes (each file in exactly one process, which also
writes it when fixing) when there are at least two of them and enough bytes to repay starting
the workers; otherwise in this process, where a large RSS/WXR export's posts are shared by
``jobs`` processes instead (:func:`htmlfix.runner.process_path`).

Workers return results without the bytes of the file and, for files with nothing left to
report, without its text: a run over tens of thousands of files keeps only what the report
needs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import FileState, ResultCache, settings_key
from .config import Settings
from .configfile import ConfigError
from .engine import Linter
from .fixer import ConvergenceError
from .registry import SelectionError
from .runner import FileResult, process_path
from .source import DecodeError, decode

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

__all__ = ["FileTask", "Linters", "available_cores", "check_files", "pool_context", "run_task"]

#: Below this many bytes to check, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 256 * 1024
#: Most files and bytes sent to a worker at once (see :func:`_batches`).
BATCH_FILES = 64
BATCH_BYTES = 512 * 1024


@dataclass(frozen=True)
class FileTask:
    """One file to check: its path, its resolved settings, and what to do with fixes."""

    path: str
    settings: Settings
    explicit: bool = True
    fix: bool = False  # apply fixes (--fix, --diff)
    write: bool = False  # and write the file (--fix without --diff)
    #: Processes for the posts of a large RSS/WXR export (:func:`check_files` sets it when the
    #: files run in this process; in a pool of files each file has one process).
    jobs: int = 1
    #: Whether the report reads the file's text: JSON and SARIF locate fix edits in it and
    #: SARIF quotes it. Without it (other formats) a file's text is dropped as soon as it is
    #: checked, instead of being sent to this process and held until the report: a run over
    #: a content repository would hold the text of every file with a problem.
    report_text: bool = True

    @property
    def keeps_texts(self) -> bool:
        """--diff prints both texts of a changed file."""
        return self.fix and not self.write


class Linters:
    """One Linter per distinct settings (per-file-ignores and modes make a few)."""

    def __init__(self) -> None:
        self._by_key: dict[str, Linter] = {}

    def get(self, settings: Settings) -> Linter:
        key = settings_key(settings)
        linter = self._by_key.get(key)
        if linter is None:
            linter = self._by_key[key] = Linter(settings)
        return linter


_WORKER_LINTERS = Linters()  # in a worker process (reset when it starts)


def _start_worker() -> None:
    global _WORKER_LINTERS
    _WORKER_LINTERS = Linters()  # a forked worker must not reuse the parent's linters


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def run_task(task: FileTask, linters: Linters | None = None) -> FileResult:
    """Check (and fix) one file. Bad input is an error in the result, never an exception; so
    is a bug in a rule, so that one file cannot stop a run over thousands (``HTMLFIX_DEBUG=1``
    raises it instead, with its traceback)."""
    try:
        linter = (linters or _WORKER_LINTERS).get(task.settings)
        result = process_path(task.path, linter, fix=task.fix, write=task.write, explicit=task.explicit,
                              jobs=task.jobs)
    except FileNotFoundError:
        return FileResult(task.path, error="no such file or directory")
    except IsADirectoryError:
        return FileResult(task.path, error="is a directory")
    except OSError as exc:
        return FileResult(task.path, error=f"cannot read or write: {exc.strerror or exc}")
    except (ConfigError, SelectionError, ConvergenceError) as exc:
        return FileResult(task.path, error=str(exc))
    except Exception as exc:
        if os.environ.get("HTMLFIX_DEBUG"):
            raise
        return FileResult(task.path, error=f"internal error: {type(exc).__name__}: {exc} (this is a bug "
                                           "in htmlfix; please report it with the file; HTMLFIX_DEBUG=1 "
                                           "shows the traceback)")
    return _for_report(result, task)


def _for_report(result: FileResult, task: FileTask) -> FileResult:
    """Drop what the report does not need: the file's bytes, and its texts unless diagnostics
    are located in them (or a diff shows them)."""
    changed = result.changed
    result.modified = changed
    result.original = result.output = None
    if task.keeps_texts and changed:
        return result
    if not result.diagnostics or not task.report_text:
        result.original_text = result.output_text = None
    elif result.output_text is not None:
        result.original_text = None  # what remains is located in the fixed text
    return result


@dataclass
class _Pending:
    index: int
    task: FileTask
    size: int
    cache_key: str | None = None
    state: FileState | None = None


def check_files(
    tasks: Sequence[FileTask], *, jobs: int = 1, cache: ResultCache | None = None
) -> Iterator[FileResult]:
    """One result per task, in task order (see the module docstring)."""
    linters = Linters()
    ready: dict[int, FileResult] = {}
    pending: list[_Pending] = []
    for index, task in enumerate(tasks):
        item = _Pending(index, task, _size(task.path))
        if cache is not None:
            hit = _lookup(cache, item, linters)
            if hit is not None:
                ready[index] = hit
                continue
        pending.append(item)
    workers = min(jobs, len(pending))
    if workers >= 2 and sum(item.size for item in pending) >= PARALLEL_MIN_BYTES:
        yield from _in_pool(tasks, ready, pending, workers, cache)
        return
    queue = iter(pending)
    upcoming = next(queue, None)
    for index in range(len(tasks)):
        if index in ready:
            yield ready.pop(index)
            continue
        assert upcoming is not None and upcoming.index == index
        # One process for the files: the cores can still share an export's posts.
        task = replace(upcoming.task, jobs=jobs) if jobs > 1 else upcoming.task
        yield _finish(upcoming, run_task(task, linters), cache)
        upcoming = next(queue, None)


def _in_pool(
    tasks: Sequence[FileTask], ready: dict[int, FileResult], pending: list[_Pending], workers: int,
    cache: ResultCache | None,
) -> Iterator[FileResult]:
    # Imported here: ~20 ms that a run in one process does not need.
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    by_index = {item.index: item for item in pending}
    _warm_up([item.task for item in pending])
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=pool_context(), initializer=_start_worker)
    try:
        # index -> (the future of its batch, its place in the batch)
        placed: dict[int, tuple[Future[list[FileResult]], int]] = {}
        for batch in _batches(pending, workers):
            future = executor.submit(run_batch, [item.task for item in batch])
            for place, item in enumerate(batch):
                placed[item.index] = (future, place)
        for index in range(len(tasks)):
            if index in ready:
                yield ready.pop(index)
                continue
            future, place = placed.pop(index)
            try:
                result = future.result()[place]
            except BrokenProcessPool:
                result = FileResult(tasks[index].path, error="internal error: the process checking this "
                                                             "file stopped (out of memory?)")
            yield _finish(by_index[index], result, cache)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _batches(pending: list[_Pending], workers: int) -> list[list[_Pending]]:
    """The files in batches for the workers, largest files first (so that no worker is left
    with a big one at the end). Sending a task and its result costs a worker and this process
    about as much as checking a small file: small files travel together, up to
    ``BATCH_FILES`` of them or ``BATCH_BYTES``, and batches stay small enough that each worker
    gets several (the last ones finish together)."""
    order = sorted(pending, key=lambda item: -item.size)
    limit = max(min(BATCH_BYTES, sum(item.size for item in order) // (workers * 8)), 1)
    batches: list[list[_Pending]] = []
    current: list[_Pending] = []
    size = 0
    for item in order:
        current.append(item)
        size += item.size
        if size >= limit or len(current) >= BATCH_FILES:
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    return batches


def run_batch(tasks: list[FileTask]) -> list[FileResult]:
    """:func:`run_task` for each task (in a worker)."""
    return [run_task(task) for task in tasks]


def _warm_up(tasks: list[FileTask]) -> None:
    """Import and compile in the parent what every worker would otherwise import and compile
    for itself: the rule modules (hundreds of regexes) and the libraries rules import on first
    use. Forked workers inherit it; paid once per worker, it was a quarter of the extra CPU
    time that made two workers only 1.35x faster than one on the readability pages."""
    if "fork" not in _start_methods():
        return  # a spawned worker imports everything itself anyway
    linters = Linters()
    for settings in {settings_key(task.settings): task.settings for task in tasks}.values():
        try:
            linters.get(settings)
        except (ConfigError, SelectionError):
            pass  # the task reports it
    # Not ftfy (EN001 confirms mojibake with it): few files need it, and a worker that
    # meets one imports it while the others go on checking.
    if any(task.fix for task in tasks):
        import html5lib  # noqa: F401  (the fix verifier)


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def pool_context() -> BaseContext:
    """The start method of htmlfix's process pools."""
    import multiprocessing

    # fork starts a worker in milliseconds with htmlfix already imported; elsewhere (macOS,
    # Windows) the platform's default.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _lookup(cache: ResultCache, item: _Pending, linters: Linters) -> FileResult | None:
    task = item.task
    try:
        state = FileState.of(task.path)
        codes = linters.get(task.settings).codes
    except (OSError, ConfigError, SelectionError):
        return None  # the task reports it
    item.state = replace(state, data=None)  # pending files' bytes are not held while they wait
    item.cache_key = cache.key(task.path, state, task.settings, codes, fix=task.fix, explicit=task.explicit)
    hit = cache.get(item.cache_key, task.path)
    if hit is None:
        return None
    result, has_text = hit
    if has_text and result.diagnostics and task.report_text:
        # Reports locate fix edits in the text: decode it again (a decode, not a check).
        try:
            data = state.data if state.data is not None else Path(task.path).read_bytes()
            result.original_text = decode(data).text
        except (OSError, DecodeError):
            return None
    return result


def _finish(item: _Pending, result: FileResult, cache: ResultCache | None) -> FileResult:
    if cache is not None and item.cache_key is not None and item.state is not None:
        if item.state.unchanged(item.task.path):  # not edited while it was checked
            cache.put(item.cache_key, result)
        item.state = None  # its bytes are no longer needed
    return result
