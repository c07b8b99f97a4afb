"""The ``htmlfix`` command: parses options, reads and writes files, prints results.

Everything else is library code (:mod:`htmlfix.runner`, :mod:`htmlfix.engine`).

Exit codes (as Ruff's): 0 when no problems remain (after fixing, with ``--fix``); 1 when
problems remain, or with ``--exit-non-zero-on-fix`` when files were changed, or with
``--diff`` when there is something to change; 2 for usage, configuration and internal
errors, and when any input could not be read or decoded (reported per file, after the other
files were processed).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import click

from ._version import __version__
from .config import TARGETS, Settings
from .engine import Linter
from .fixer import ConvergenceError
from .model import Applicability, Diagnostic
from .readers import KNOWN_EXTENSIONS, MODES
from .registry import SelectionError, all_rules, rule_class
from .report import FORMATS, render, unified_diff
from .runner import FileResult, process_bytes, process_path

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2

#: Directories never entered when walking a directory (paths given explicitly are still read).
DEFAULT_EXCLUDED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".htmlfix_cache",
     ".tox", ".nox", ".mypy_cache", ".pytest_cache", "build", "dist", "site-packages"}
)


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _error(message: str) -> None:
    click.echo(f"htmlfix: error: {message}", err=True)


def _warning(message: str) -> None:
    click.echo(f"htmlfix: warning: {message}", err=True)


def iter_files(paths: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """``(path, explicit)`` for every file to read; directories are walked for known kinds."""
    for raw in paths:
        path = Path(raw)
        if raw == "-" or not path.is_dir():
            yield raw, True
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in DEFAULT_EXCLUDED_DIRS and not d.startswith("."))
            for name in sorted(files):
                if Path(name).suffix.lower() in KNOWN_EXTENSIONS:
                    yield os.path.join(root, name), False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="htmlfix")
def cli() -> None:
    """Find and fix malformed HTML in CMS exports, with minimal edits."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fix/--no-fix", default=False, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=False,
              help="With --fix, also apply unsafe fixes; alone, show them as available.")
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to run (comma-separated).")
@click.option("--extend-select", multiple=True, help="Rules to add to the selection.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to skip.")
@click.option("--mode", type=click.Choice(MODES), default=None,
              help="Read every file as this kind instead of choosing by extension and content.")
@click.option("--target", type=click.Choice(TARGETS), default="generic", show_default=True,
              help="Where the content is going: shortcodes and block comments are content on "
                   "'wordpress' and damage elsewhere.")
@click.option("--json-field", "json_fields", multiple=True,
              help="In JSON files, a key (or dotted key path, e.g. content.rendered) whose "
                   "strings hold HTML; repeatable. Ghost exports need none.")
@click.option("--output-format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--stdin-filename", default=None, help="The name of the file read from '-'.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems remain.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when files were changed.")
@click.option("--quiet", "-q", is_flag=True, help="Print diagnostics only, no summary.")
def check(
    paths: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    mode: str | None,
    target: str,
    json_fields: tuple[str, ...],
    output_format: str,
    stdin_filename: str | None,
    exit_zero: bool,
    exit_non_zero_on_fix: bool,
    quiet: bool,
) -> None:
    """Check files (and directories, for the kinds htmlfix reads) for damaged HTML."""
    settings = Settings(
        select=_split(select) or None,
        extend_select=_split(extend_select),
        ignore=_split(ignore),
        unsafe_fixes=unsafe_fixes,
        mode=mode,
        target=target,
        json_fields=_split(json_fields),
    )
    try:
        linter = Linter(settings)
    except SelectionError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    apply = fix or diff
    results: list[FileResult] = []
    failed = False
    for path, explicit in iter_files(paths or (".",)):
        result = _process(path, explicit, linter, apply, fix and not diff, stdin_filename)
        if result is None:
            failed = True
            continue
        results.append(result)
        if result.error:
            failed = True
            _error(f"{result.path}: {result.error}")
        elif result.skipped and explicit:
            _warning(f"{result.path}: skipped (not a kind htmlfix reads; use --mode to read it)")
        for notice in result.notices:
            _warning(f"{result.path}: {notice}")
        for rejected in result.rejected:
            _warning(f"{result.path}: a {rejected.code} fix failed the safety check and was not "
                     "applied (this is a bug in htmlfix; please report it)")
    code = _report(results, output_format, fix and not diff, diff, quiet, unsafe_fixes)
    changed = any(r.changed for r in results)
    if failed:
        sys.exit(EXIT_ERROR)
    if diff:
        sys.exit(EXIT_PROBLEMS if changed else EXIT_OK)
    if exit_non_zero_on_fix and fix and changed:
        sys.exit(EXIT_PROBLEMS)
    sys.exit(EXIT_OK if exit_zero else code)


def _process(
    path: str, explicit: bool, linter: Linter, apply: bool, write: bool, stdin_filename: str | None
) -> FileResult | None:
    if path != "-":
        return _process_path(path, explicit, linter, apply, write)
    display = stdin_filename or "-"
    try:
        data = sys.stdin.buffer.read()
    except FileNotFoundError:
        _error(f"{path}: no such file or directory")
        return None
    except IsADirectoryError:
        _error(f"{path}: is a directory")
        return None
    except OSError as exc:
        _error(f"{path}: cannot read: {exc.strerror or exc}")
        return None
    name = display
    mode = None if stdin_filename else (linter.settings.mode or "auto")
    try:
        result = process_bytes(name, data, linter, fix=apply, mode=mode)
    except ConvergenceError as exc:
        _error(f"{name}: {exc}")
        return None
    result.from_stdin = True
    if apply and not result.error:
        # With "-" and --fix the fixed text is the output; diagnostics go to stderr.
        sys.stdout.buffer.write(result.output if result.changed and result.output else data)
        sys.stdout.flush()
    return result


def _process_path(path: str, explicit: bool, linter: Linter, apply: bool, write: bool) -> FileResult | None:
    """Read (and with ``write``, rewrite) one file on disk; None after reporting an error."""
    try:
        return process_path(path, linter, fix=apply, write=write, explicit=explicit)
    except FileNotFoundError:
        _error(f"{path}: no such file or directory")
    except IsADirectoryError:
        _error(f"{path}: is a directory")
    except ConvergenceError as exc:
        _error(f"{path}: {exc}")
    except OSError as exc:
        _error(f"{path}: cannot read or write: {exc.strerror or exc}")
    return None


def _report(
    results: list[FileResult], fmt: str, fixed_in_place: bool, diff: bool, quiet: bool,
    unsafe_fixes: bool,
) -> int:
    """Print diagnostics (or diffs) and the summary; return 1 if problems remain, else 0."""
    out = sys.stdout
    if diff:
        for result in results:
            if result.changed and result.original_text is not None and result.output_text is not None:
                out.write(unified_diff(result.path, result.original_text, result.output_text))
        return EXIT_OK
    diagnostics = [d for r in results for d in r.diagnostics]
    if not unsafe_fixes:
        # Without --unsafe-fixes an unsafe fix is not offered: no [*], no fix in JSON.
        diagnostics = [
            d if d.fix is None or d.fix.applicability >= Applicability.SAFE else replace(d, fix=None)
            for d in diagnostics
        ]
    lines = {r.path: r.lines() for r in results}
    stdin_fixed = fixed_in_place and any(r.from_stdin for r in results)
    target = sys.stderr if stdin_fixed else out
    target.write(render(fmt, diagnostics, lines))
    if fmt == "text" and not quiet:
        _summary(target, results, diagnostics, fixed_in_place)
    return EXIT_PROBLEMS if diagnostics else EXIT_OK


def _summary(out: TextIO, results: list[FileResult], diagnostics: list[Diagnostic], fixed_in_place: bool) -> None:
    write = out.write
    fixed = sum(r.fixed_total for r in results)
    remaining = len(diagnostics)
    fixable = sum(1 for d in diagnostics if d.fixable)
    if fixed_in_place and fixed:
        write(f"Found {fixed + remaining} error{'s' if fixed + remaining != 1 else ''} "
              f"({fixed} fixed, {remaining} remaining).\n")
    elif remaining:
        write(f"Found {remaining} error{'s' if remaining != 1 else ''}.\n")
        if fixable:
            write(f"[*] {fixable} fixable with the `--fix` option.\n")
    else:
        write("All checks passed!\n")


@cli.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def rules_command(output_format: str) -> None:
    """List every rule."""
    import json

    rows = [
        {"code": r.code, "name": r.name, "fix": r.fix_availability.value,
         "default": r.default_enabled, "summary": r.summary()}
        for r in all_rules()
    ]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        flags = ("   " if row["fix"] == "none" else "[*]") + (" " if row["default"] else " (opt-in)")
        click.echo(f"{row['code']}  {row['name']:<28} {flags} {row['summary']}")


@cli.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Print the documentation of one rule."""
    try:
        rule = rule_class(code)
    except KeyError:
        _error(f"unknown rule code {code!r} (see `htmlfix rules`)")
        sys.exit(EXIT_ERROR)
    fix = {"none": "Fix is not available.", "sometimes": "Fix is sometimes available.",
           "always": "Fix is always available."}[rule.fix_availability.value]
    default = "" if rule.default_enabled else "\nOpt-in: runs only when selected by its code.\n"
    click.echo(f"# {rule.name} ({rule.code})\n\n{fix}\n{default}\n{rule.documentation()}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (for tests and ``python -m htmlfix``)."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="htmlfix", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_ERROR
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Abort:
        return EXIT_ERROR
    return EXIT_OK
