"""Baselines: accept today's problems so that CI fails only on new ones.

``htmlfix check --write-baseline FILE`` records every problem by file, rule, context (the post
of an export) and a location-independent fingerprint of the damaged text, with a count for
identical problems; ``htmlfix check --baseline FILE`` then reports only problems beyond those.
Edits elsewhere in a file, or moving a post inside an export, keep old problems matched.
Paths are stored relative to the baseline file, so the check can run from any directory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from .model import Diagnostic
from .report import Report

__all__ = ["Baseline", "BaselineError", "stale_entries", "write_baseline"]

FORMAT_VERSION = 1


class BaselineError(ValueError):
    """The baseline file is missing or malformed (one line, names the file)."""


def _key(path: str | None, root: Path) -> str:
    """A file's key in the baseline: its path relative to the baseline's directory."""
    if not path or path == "-":
        return "-"
    absolute = Path(os.path.abspath(path))
    try:
        return PurePath(os.path.relpath(absolute, root)).as_posix()
    except ValueError:  # another drive on Windows
        return absolute.as_posix()


@dataclass
class Baseline:
    """Accepted problems: ``counts[(file key, fingerprint)]`` of them in each file."""

    root: Path
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Baseline:
        location = Path(path)
        try:
            data = json.loads(location.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}: not a baseline (invalid JSON: {exc})") from None
        if not isinstance(data, dict) or data.get("htmlfix-baseline") != FORMAT_VERSION:
            raise BaselineError(f"{path}: not an htmlfix baseline of version {FORMAT_VERSION}")
        counts: dict[tuple[str, str], int] = {}
        files = data.get("files")
        if not isinstance(files, dict):
            raise BaselineError(f"{path}: 'files' must be an object")
        for key, entries in files.items():
            if not isinstance(entries, list):
                raise BaselineError(f"{path}: entries of {key!r} must be a list")
            for entry in entries:
                try:
                    fp, count = str(entry["fingerprint"]), int(entry.get("count", 1))
                except (TypeError, KeyError, ValueError):
                    raise BaselineError(f"{path}: malformed entry under {key!r}: {entry!r}") from None
                counts[(key, fp)] = counts.get((key, fp), 0) + count
        return cls(location.resolve().parent, counts)

    def new_problems(self, report: Report) -> tuple[list[Diagnostic], int]:
        """The diagnostics of ``report`` beyond the baseline, and how many it matched.

        Of several identical problems (same file and fingerprint) the first ``count`` are the
        accepted ones; any beyond them are new.
        """
        new: list[Diagnostic] = []
        matched = 0
        for d, fp, occurrence in report.occurrences():
            if occurrence < self.counts.get((_key(d.filename, self.root), fp), 0):
                matched += 1
            else:
                new.append(d)
        return new, matched


def write_baseline(path: str | os.PathLike[str], report: Report) -> int:
    """Write every problem of ``report`` to a baseline file; return how many it records.

    The file is JSON, sorted and stable, with each problem's message and damaged text beside
    its fingerprint so that a reviewer can see what is being accepted.
    """
    root = Path(path).resolve().parent
    files: dict[str, dict[str, dict[str, object]]] = {}
    for d, fp, _ in report.occurrences():
        entries = files.setdefault(_key(d.filename, root), {})
        entry = entries.get(fp)
        if entry is None:
            entries[fp] = entry = {"code": d.code, "fingerprint": fp, "count": 0, "message": d.message}
            if d.context:
                entry["context"] = d.context
            snippet = report.snippet(d)
            if snippet:
                entry["text"] = snippet
        entry["count"] = int(entry["count"]) + 1  # type: ignore[call-overload]
    document = {
        "htmlfix-baseline": FORMAT_VERSION,
        "files": {
            key: sorted(entries.values(), key=lambda e: (str(e["code"]), str(e.get("context", "")), str(e["fingerprint"])))
            for key, entries in sorted(files.items())
        },
    }
    from .runner import write_atomically

    data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    target = Path(path)
    if target.exists():
        write_atomically(target, data)
    else:
        target.write_bytes(data)
    return len(report.diagnostics)


def stale_entries(baseline: Baseline, report: Report, checked: Sequence[str]) -> int:
    """How many accepted problems in the checked files no longer occur (fixed since)."""
    found: dict[tuple[str, str], int] = {}
    for d, fp, _ in report.occurrences():
        key = (_key(d.filename, baseline.root), fp)
        found[key] = found.get(key, 0) + 1
    keys = {_key(path, baseline.root) for path in checked}
    return sum(max(0, count - found.get(k, 0)) for k, count in baseline.counts.items() if k[0] in keys)
