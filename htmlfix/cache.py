"""The result cache: an unchanged file costs a stat and a hash.

``htmlfix check`` keeps each file's result in ``.htmlfix_cache/`` (in the current directory,
or ``--cache-dir`` / ``HTMLFIX_CACHE_DIR``), keyed by everything the result depends on:

* the file's content (a BLAKE2b digest of its bytes) and its path as given (the path chooses
  the reader and appears in every diagnostic);
* htmlfix's version, and the size and modification time of every file of the installed
  package (so an edited checkout never reads results of older code), the versions of
  html5lib, lxml and ftfy, and Python's version;
* the file's resolved settings (rule selection, per-file ignores, mode, target, rule options,
  unsafe and fixable rules) and the rules they select;
* whether fixes were applied (``--fix`` or ``--diff``: held-back fixes are reported then).

Only results that changed nothing are stored: a clean check, or a ``--fix`` run that had
nothing to fix. A run that fixed a file is not stored (its result describes the old content);
the next run checks the fixed file once and stores that. Errors are never stored. Entries are
JSON (never pickle: a cache directory inside a repository someone else prepared must not be
able to run code) and are written atomically, so concurrent runs can share the directory; an
entry that cannot be read is a miss. ``htmlfix clean`` removes the directory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._version import __version__
from .config import Settings
from .model import NO_EXTRA, Applicability, Diagnostic, Edit, Fix, Span
from .runner import FileResult
from .source import Position

__all__ = ["CACHE_DIR_NAME", "FileState", "ResultCache", "clean_cache", "default_cache_dir", "settings_key"]

CACHE_DIR_NAME = ".htmlfix_cache"
#: The layout version of the entries (bump when the format changes).
_FORMAT = "2"
_GITIGNORE = "# Created by htmlfix: the result cache (`htmlfix clean` removes it).\n*\n"
# https://bford.info/cachedir/: backup and archiving tools skip directories tagged this way.
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by htmlfix.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def default_cache_dir() -> Path:
    """``$HTMLFIX_CACHE_DIR``, else ``.htmlfix_cache`` in the current directory."""
    return Path(os.environ.get("HTMLFIX_CACHE_DIR") or CACHE_DIR_NAME)


def clean_cache(directory: Path) -> bool:
    """Remove a cache directory (only one htmlfix created: it must hold the tag file).
    Returns whether there was one to remove."""
    import shutil

    if not directory.is_dir():
        return False
    if not (directory / "CACHEDIR.TAG").is_file() and not (directory / ".gitignore").is_file():
        raise OSError(f"{directory} does not look like an htmlfix cache; not removed")
    shutil.rmtree(directory)
    return True


def settings_key(settings: Settings) -> str:
    """A canonical text for a :class:`Settings` (equal settings, equal keys)."""
    # Every file of a run asks, usually with the same (frozen) object: computing it is a deep
    # asdict and a JSON dump, most of what a cache hit cost.
    known = _SETTINGS_KEYS.get(id(settings))
    if known is not None and known[0] is settings:
        return known[1]
    key = json.dumps(dataclasses.asdict(settings), sort_keys=True, default=_jsonable)
    if len(_SETTINGS_KEYS) >= 64:
        _SETTINGS_KEYS.clear()
    _SETTINGS_KEYS[id(settings)] = (settings, key)  # the object is kept, so its id is not reused
    return key


_SETTINGS_KEYS: dict[int, tuple[Settings, str]] = {}


def _jsonable(value: object) -> object:
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, tuple):
        return list(value)
    return str(value)


@lru_cache(maxsize=1)
def _build_salt() -> str:
    """What every key shares: the code that computes results, and what it depends on."""
    from importlib import metadata  # ~20 ms to import: only when the cache is used

    package = Path(__file__).resolve().parent
    state = []
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            state.append(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    versions = []
    for name in ("html5lib", "lxml", "ftfy"):
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    material = "\n".join([_FORMAT, __version__, sys.version, *versions, *state])
    return hashlib.blake2b(material.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class FileState:
    """A file as the cache saw it before it was checked: its digest, size and mtime."""

    digest: str
    size: int
    mtime_ns: int
    #: The decoded text is needed when a hit has diagnostics (reports locate fix edits in it);
    #: the bytes are kept only until then.
    data: bytes | None = None

    @classmethod
    def of(cls, path: str, *, keep_limit: int = 64 << 20) -> FileState:
        """Stat and hash a file (in chunks: exports can be large)."""
        with open(path, "rb") as stream:
            stat = os.fstat(stream.fileno())
            if stat.st_size <= keep_limit:
                data = stream.read()
                digest = hashlib.blake2b(data, digest_size=20).hexdigest()
                return cls(digest, stat.st_size, stat.st_mtime_ns, data)
            hasher = hashlib.blake2b(digest_size=20)
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                hasher.update(chunk)
        return cls(hasher.hexdigest(), stat.st_size, stat.st_mtime_ns)

    def unchanged(self, path: str) -> bool:
        """Whether the file still has the size and mtime it had when it was hashed."""
        try:
            stat = os.stat(path)
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)


class ResultCache:
    """Per-file results in a directory (see the module docstring)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ready = False

    def key(self, path: str, state: FileState, settings: Settings, codes: Iterable[str], *,
            fix: bool, explicit: bool) -> str:
        material = json.dumps([
            _build_salt(), path, state.digest, settings_key(settings), sorted(codes), fix, explicit,
        ])
        return hashlib.blake2b(material.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()

    def _entry(self, key: str) -> Path:
        return Path(os.path.join(self.directory, f"v{_FORMAT}", key[:2], f"{key}.json"))  # one parse, not three

    def get(self, key: str, path: str) -> tuple[FileResult, bool] | None:
        """The stored result for ``key`` and whether its file was read whole (so that its
        text can be decoded again; streamed exports are not); None for a miss (absent or
        unreadable entry)."""
        try:
            with open(self._entry(key), encoding="utf-8") as stream:
                entry = json.load(stream)
            return _result_from_json(path, entry), bool(entry["text"])
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        """Store a result that changed nothing (anything else is ignored)."""
        if (result.error or result.changed or result.fixed or result.rejected or result.fixed_count
                or result.locator is not None):
            return
        try:
            payload = json.dumps(_result_to_json(result), ensure_ascii=False)
        except (TypeError, ValueError):
            return  # a rule put something in ``extra`` that JSON cannot hold: not cached
        with contextlib.suppress(OSError):
            self._prepare()
            entry = self._entry(key)
            entry.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # here: a run that writes no entry does not need it (~6 ms to import)

            handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(payload)
                os.replace(temporary, entry)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, content in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            marker = self.directory / name
            if not marker.exists():
                marker.write_text(content, encoding="utf-8")
        self._ready = True


# --- (de)serialising results ------------------------------------------------------------------


def _position(value: Position | None) -> list[int] | None:
    return None if value is None else [value.row, value.column]


def _to_position(value: list[int] | None) -> Position | None:
    return None if value is None else Position(int(value[0]), int(value[1]))


def _diagnostic_to_json(d: Diagnostic) -> list[Any]:
    fix = None
    if d.fix is not None:
        fix = [d.fix.message, [[e.start, e.end, e.content] for e in d.fix.edits],
               int(d.fix.applicability), d.fix.keeps_dom]
    return [d.code, d.message, [d.span.start, d.span.end], fix, _position(d.location),
            _position(d.end_location), d.context, d.filename, dict(d.extra), d.snippet]


def _diagnostic_from_json(row: list[Any]) -> Diagnostic:
    code, message, span, fix, location, end_location, context, filename, extra, seen = row
    made_fix = None
    if fix is not None:
        fix_message, edits, applicability, keeps_dom = fix
        made_fix = Fix(fix_message, tuple(Edit(s, e, c) for s, e, c in edits),
                       Applicability(applicability), bool(keeps_dom))
    return Diagnostic(code, message, Span(*span), made_fix, _to_position(location),
                      _to_position(end_location), context, filename, dict(extra) if extra else NO_EXTRA, seen)


def _result_to_json(result: FileResult) -> dict[str, Any]:
    return {
        "diagnostics": [_diagnostic_to_json(d) for d in result.diagnostics],
        "notices": list(result.notices),
        "skipped": result.skipped,
        # Whether the file was read whole (streamed exports are not): a hit decodes it again
        # only then, and only if it has diagnostics and the report reads the text. Not whether
        # this run kept the text: a run whose format needs none drops it.
        "text": result.locator is None,
    }


def _result_from_json(path: str, entry: dict[str, Any]) -> FileResult:
    result = FileResult(path, skipped=bool(entry["skipped"]), notices=[str(n) for n in entry["notices"]])
    result.diagnostics = [_diagnostic_from_json(row) for row in entry["diagnostics"]]
    return result
