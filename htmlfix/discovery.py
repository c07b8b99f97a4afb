"""Which files a check reads: paths given, directories walked, excludes and .gitignore.

Directories are walked for the kinds htmlfix reads (by extension, or a ``per-file-mode``
glob), skipping what each directory's configuration excludes and, by default, what git
ignores. Paths given explicitly are always read, as in Ruff, unless ``force-exclude`` is on
and an exclude matches them (that is how a pre-commit hook, which names every file, still
honours the project's excludes).

``.gitignore`` is respected by asking git itself (``git ls-files --others --ignored
--exclude-standard --directory``, once per walked directory): its answer is exact (nested
.gitignore files, negations, ``.git/info/exclude``, the global excludes file) where a
re-implementation would drift. Outside a git work tree, or without git, nothing is ignored.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .configfile import ConfigLoader, Configuration
from .readers import kind_for_path

__all__ = ["Candidate", "git_ignored", "iter_candidates"]


@dataclass(frozen=True)
class Candidate:
    """A file to check, whether it was named explicitly, and its configuration."""

    path: str
    explicit: bool
    config: Configuration
    #: Why the path cannot be read (a directory the walk could not list), reported as an
    #: error for that path; None for a file to check.
    error: str | None = None


def git_ignored(directory: str | os.PathLike[str]) -> frozenset[Path]:
    """The absolute paths git ignores under ``directory`` (ignored directories as a whole);
    empty outside a git work tree or when git is not installed."""
    import subprocess  # here: only walking a directory asks git (~6 ms to import)

    try:
        proc = subprocess.run(
            ["git", "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
            cwd=directory, capture_output=True, check=False, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    if proc.returncode != 0:
        return frozenset()
    base = Path(os.path.abspath(directory))
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return frozenset(base / name.rstrip("/") for name in names if name)


def _readable(path: Path, config: Configuration) -> bool:
    return kind_for_path(path) is not None or config.mode_for(path) is not None


def iter_candidates(
    paths: Sequence[str], loader: ConfigLoader, *, stdin_filename: str | None = None
) -> Iterator[Candidate]:
    """Every file to check, in a stable order, each with the configuration that governs it."""
    for raw in paths:
        if raw == "-":
            named = stdin_filename or os.path.join(os.getcwd(), "-")
            config = loader.for_path(Path(named).parent)
            if stdin_filename and config.force_exclude and config.is_excluded(stdin_filename):
                continue
            yield Candidate(raw, True, config)
            continue
        path = Path(raw)
        if not path.is_dir():
            config = loader.for_path(path.parent)
            if config.force_exclude and config.is_excluded(path):
                continue
            yield Candidate(raw, True, config)
            continue
        top = loader.for_path(path)
        if top.force_exclude and top.is_excluded(path):
            continue
        yield from _walk(raw, loader, git_ignored(path) if top.respect_gitignore else frozenset())


def _walk(top: str, loader: ConfigLoader, ignored: frozenset[Path]) -> Iterator[Candidate]:
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(top, onerror=unreadable.append):
        yield from _unreadable(unreadable, loader)
        config = loader.for_path(root)
        here = Path(os.path.abspath(root))
        use_git = bool(ignored) and config.respect_gitignore
        dirs[:] = sorted(
            d for d in dirs
            if not config.is_excluded(here / d, walked=True) and not (use_git and here / d in ignored)
        )
        for name in sorted(files):
            file = here / name
            if config.is_excluded(file, walked=True) or (use_git and file in ignored) or not _readable(file, config):
                continue
            # normpath: "./a.html" reads as "a.html", as people write it.
            yield Candidate(os.path.normpath(os.path.join(root, name)), False, config)
    yield from _unreadable(unreadable, loader)


def _unreadable(errors: list[OSError], loader: ConfigLoader) -> Iterator[Candidate]:
    """A directory the walk could not list is an error for it (its files are not checked);
    never silently skipped, as os.walk would."""
    for error in errors:
        path = os.path.normpath(str(error.filename))
        yield Candidate(path, False, loader.for_path(path), f"cannot read directory: {error.strerror or error}")
    errors.clear()
