"""The ``htmlfix`` command: parses options, reads and writes files, prints results.

Everything else is library code: finding files and their configuration
(:mod:`htmlfix.discovery`, :mod:`htmlfix.configfile`), checking bytes (:mod:`htmlfix.runner`),
rendering (:mod:`htmlfix.formats`), baselines (:mod:`htmlfix.baseline`).

Exit codes (as Ruff's): 0 when no problems remain (after fixing, with ``--fix``); 1 when
problems remain, or with ``--exit-non-zero-on-fix`` when files were changed, or with
``--diff`` when there is something to change; 2 for usage, configuration and internal
errors, and when any input could not be read or decoded (reported per file, after the other
files were processed). ``--exit-zero`` turns 1 into 0, never 2.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from ._version import __version__
from .config import MODES, TARGETS
from .formats import FORMATS

# The rest of htmlfix (and json) is imported by the commands that use it, not here:
# ``htmlfix --version`` and ``--help`` need none of it, and importing the rules (compiling
# their regexes) is most of the start-up time.
if TYPE_CHECKING:
    from .config import Settings
    from .configfile import Overrides
    from .discovery import Candidate
    from .model import Diagnostic
    from .report import Report
    from .runner import FileResult

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _error(message: str) -> None:
    click.echo(f"htmlfix: error: {message}", err=True)


def _warning(message: str) -> None:
    click.echo(f"htmlfix: warning: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="htmlfix")
def cli() -> None:
    """Find and fix malformed HTML in CMS exports, with minimal edits."""


@dataclass(frozen=True)
class CheckOptions:
    """The options of ``htmlfix check``, as parsed (see ``htmlfix check --help``)."""

    paths: tuple[str, ...]
    fix: bool
    unsafe_fixes: bool | None
    diff: bool
    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    mode: str | None
    target: str | None
    json_fields: tuple[str, ...]
    config: str | None
    isolated: bool
    exclude: tuple[str, ...]
    extend_exclude: tuple[str, ...]
    respect_gitignore: bool | None
    force_exclude: bool | None
    stdin_filename: str | None
    output_format: str
    output_file: str | None
    statistics: bool
    show_fixes: bool
    show_settings: bool
    show_files: bool
    baseline: str | None
    write_baseline: str | None
    exit_zero: bool
    exit_non_zero_on_fix: bool
    quiet: bool
    silent: bool
    jobs: int | None
    no_cache: bool
    cache_dir: str | None

    @property
    def fix_in_place(self) -> bool:
        return self.fix and not self.diff

    def overrides(self) -> Overrides:
        """The command line's settings, layered over the configuration files."""
        from .configfile import Overrides
        from .registry import validate_selectors

        settings: dict[str, Any] = {}
        if self.unsafe_fixes is not None:
            settings["unsafe_fixes"] = self.unsafe_fixes
        if self.mode is not None:
            settings["mode"] = self.mode
        if self.target is not None:
            settings["target"] = self.target
        if self.json_fields:
            settings["json_fields"] = _split(self.json_fields)
        select = _split(self.select)
        return Overrides(
            select=validate_selectors(select, "--select") if select else None,
            extend_select=validate_selectors(_split(self.extend_select), "--extend-select"),
            ignore=validate_selectors(_split(self.ignore), "--ignore"),
            settings=settings,
            exclude=_split(self.exclude) or None,
            extend_exclude=_split(self.extend_exclude),
            respect_gitignore=self.respect_gitignore,
            force_exclude=self.force_exclude,
        )


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fix/--no-fix", default=False, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=None,
              help="With --fix, also apply unsafe fixes; alone, show them as available.")
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to run (comma-separated).")
@click.option("--extend-select", multiple=True, help="Rules to add to the selection.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to skip.")
@click.option("--mode", type=click.Choice(MODES), default=None,
              help="Read every file as this kind instead of choosing by extension and content.")
@click.option("--target", type=click.Choice(TARGETS), default=None,
              help="Where the content is going: shortcodes and block comments are content on "
                   "'wordpress' and damage elsewhere (default: generic).")
@click.option("--json-field", "json_fields", multiple=True,
              help="In JSON files, a key (or dotted key path, e.g. content.rendered) whose "
                   "strings hold HTML; repeatable. Ghost exports need none.")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration file for every path, instead of finding one.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--exclude", multiple=True, help="Globs to skip, replacing the configured list.")
@click.option("--extend-exclude", multiple=True, help="Globs to skip, besides the configured ones.")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None,
              help="Skip files git ignores when walking directories (default: on).")
@click.option("--force-exclude/--no-force-exclude", default=None,
              help="Apply excludes to paths named on the command line too (for pre-commit).")
@click.option("--stdin-filename", default=None, help="The name of the file read from '-'.")
@click.option("--output-format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output-file", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--statistics", is_flag=True, help="Print the number of problems per rule instead of each.")
@click.option("--show-fixes", is_flag=True, help="With --fix, list what was fixed in each file.")
@click.option("--show-settings", is_flag=True, help="Print the settings for the first path and exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be checked and exit.")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="Report only problems not recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None,
              help="Record every current problem in this baseline file and exit 0.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems remain.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when files were changed.")
@click.option("--quiet", "-q", is_flag=True, help="Print problems only: no summary, no warnings.")
@click.option("--silent", "-s", is_flag=True, help="Print nothing but errors (the exit code tells).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Check this many files at once, in separate processes (default: all cores).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Where the result cache lives (default: $HTMLFIX_CACHE_DIR, else .htmlfix_cache).")
def check(**kwargs: Any) -> None:
    """Check files (and directories, for the kinds htmlfix reads) for damaged HTML."""
    sys.exit(run_check(CheckOptions(**kwargs)))


def run_check(opts: CheckOptions) -> int:
    from .baseline import Baseline, BaselineError, stale_entries
    from .configfile import ConfigError, ConfigLoader, describe
    from .discovery import iter_candidates
    from .registry import SelectionError

    try:
        loader = ConfigLoader(opts.overrides(), config_file=opts.config, isolated=opts.isolated)
        candidates = list(iter_candidates(opts.paths or (".",), loader, stdin_filename=opts.stdin_filename))
        baseline = Baseline.load(opts.baseline) if opts.baseline and not opts.write_baseline else None
    except (ConfigError, SelectionError, BaselineError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    if opts.show_settings:
        first = (opts.paths or (".",))[0]
        named = opts.stdin_filename if first == "-" else first
        config = candidates[0].config if candidates else loader.for_path(named or ".")
        sys.stdout.write(describe(config, named if named and not Path(named).is_dir() else None))
        return EXIT_OK
    if opts.show_files:
        sys.stdout.write("".join(f"{c.path}\n" for c in candidates))
        return EXIT_OK

    results: list[FileResult] = []
    progress = _Progress(len(candidates), enabled=not (opts.quiet or opts.silent))
    for candidate, result in zip(candidates, _results(candidates, opts)):
        results.append(result)
        progress.clear()
        _notify(result, candidate, opts)
        progress.update(len(results))
    progress.clear()
    failed = any(r.error for r in results)
    if opts.diff:
        _print_diffs(results)
        return _exit_code(opts, failed, problems=False, changed=any(r.changed for r in results))

    report = _report(results)
    if opts.write_baseline:
        return _write_baseline(opts, report, failed)
    matched = stale = 0
    if baseline is not None:
        everything = report
        new, matched = baseline.new_problems(report)
        report = replace(report, diagnostics=new)
        stale = stale_entries(baseline, everything, report.files)
    _output(opts, results, report, matched, stale)
    return _exit_code(opts, failed, problems=bool(report.diagnostics), changed=any(r.changed for r in results))


def _exit_code(opts: CheckOptions, failed: bool, *, problems: bool, changed: bool) -> int:
    if failed:
        return EXIT_ERROR
    if opts.exit_zero:
        return EXIT_OK
    if opts.diff:
        return EXIT_PROBLEMS if changed else EXIT_OK
    if opts.exit_non_zero_on_fix and opts.fix_in_place and changed:
        return EXIT_PROBLEMS
    return EXIT_PROBLEMS if problems else EXIT_OK


def _results(candidates: list[Candidate], opts: CheckOptions) -> Iterator[FileResult]:
    """Each candidate's result, in order: files through :func:`htmlfix.batch.check_files`
    (parallel, cached), standard input here."""
    from .batch import FileTask, available_cores, check_files
    from .cache import ResultCache, default_cache_dir
    from .configfile import ConfigError
    from .registry import SelectionError
    from .runner import FileResult

    tasks: list[FileTask] = []
    early: dict[int, FileResult] = {}  # unreadable directories, files with invalid settings
    report_text = _report_reads_text(opts)
    settings_of: list[Settings | None] = []
    for index, candidate in enumerate(candidates):
        name = (opts.stdin_filename or "-") if candidate.path == "-" else candidate.path
        if candidate.error is not None:
            early[index] = FileResult(candidate.path, error=candidate.error)
            settings_of.append(None)
            continue
        try:
            settings = candidate.config.settings_for(None if name == "-" else name)
        except (ConfigError, SelectionError) as exc:
            early[index] = FileResult(candidate.path, error=str(exc))
            settings_of.append(None)
            continue
        settings_of.append(settings)
        if candidate.path == "-":
            continue
        tasks.append(FileTask(candidate.path, settings, candidate.explicit, fix=opts.fix or opts.diff,
                              write=opts.fix_in_place, report_text=report_text))
    cache = None if opts.no_cache else ResultCache(Path(opts.cache_dir) if opts.cache_dir else default_cache_dir())
    files = check_files(tasks, jobs=opts.jobs or available_cores(), cache=cache)
    for index, candidate in enumerate(candidates):
        chosen = settings_of[index]
        if chosen is None:
            yield early[index]
        elif candidate.path == "-":
            yield _offer_unsafe_fixes(_process_stdin(chosen, opts), chosen)
        else:
            yield _offer_unsafe_fixes(next(files), chosen)


def _report_reads_text(opts: CheckOptions) -> bool:
    """Whether this run's output reads the checked files' text (see ``FileTask.report_text``).
    Baselines identify problems by their snippets, which the engine records; they keep the
    text anyway, as a fallback."""
    from .formats import READS_TEXT

    if opts.baseline or opts.write_baseline:
        return True
    return not opts.silent and not opts.statistics and opts.output_format in READS_TEXT


def _process_stdin(settings: Settings, opts: CheckOptions) -> FileResult:
    from .batch import Linters
    from .configfile import ConfigError
    from .fixer import ConvergenceError
    from .registry import SelectionError
    from .runner import FileResult, process_bytes

    linter = Linters().get(settings)
    try:
        data = sys.stdin.buffer.read()
        # Text from standard input without a name has no extension to choose a reader by.
        mode = (settings.mode or "auto") if not opts.stdin_filename else None
        result = process_bytes(opts.stdin_filename or "-", data, linter, fix=opts.fix or opts.diff, mode=mode)
    except (ConfigError, SelectionError, ConvergenceError) as exc:
        return FileResult("-", error=str(exc))
    result.from_stdin = True
    if opts.fix_in_place and not result.error:
        # With "-" and --fix the fixed text is the output; the report goes to stderr.
        sys.stdout.buffer.write(result.output if result.changed and result.output else data)
        sys.stdout.flush()
    return result


class _Progress:
    """"checked N of M files" on stderr, for runs that take more than a second, only when
    stderr is a terminal; erased before anything else is written there."""

    DELAY = 1.0
    INTERVAL = 0.1

    def __init__(self, total: int, *, enabled: bool = True) -> None:
        self.total = total
        self.enabled = enabled and total > 1 and sys.stderr.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False

    def update(self, done: int) -> None:
        if not self.enabled or done >= self.total:
            return
        now = time.monotonic()
        if now - self.started < self.DELAY or now - self.last < self.INTERVAL:
            return
        self.last = now
        sys.stderr.write(f"\r\x1b[2Khtmlfix: checked {done:,} of {self.total:,} files")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
            self.shown = False


def _offer_unsafe_fixes(result: FileResult, settings: Settings) -> FileResult:
    """Without unsafe fixes an unsafe fix is not offered: no [*], no fix in the output."""
    from .model import Applicability

    if not settings.unsafe_fixes:
        result.diagnostics = [
            d if d.fix is None or d.fix.applicability >= Applicability.SAFE else replace(d, fix=None)
            for d in result.diagnostics
        ]
    return result


def _notify(result: FileResult, candidate: Candidate, opts: CheckOptions) -> None:
    """Errors always go to stderr; warnings unless --quiet or --silent."""
    if result.error:
        _error(f"{result.path}: {result.error}")
    if opts.quiet or opts.silent:
        return
    if result.skipped and candidate.explicit:
        _warning(f"{result.path}: skipped (not a kind htmlfix reads; use --mode to read it)")
    for notice in result.notices:
        _warning(f"{result.path}: {notice}")
    for rejected in result.rejected:
        _warning(f"{result.path}: a {rejected.code} fix failed the safety check and was not "
                 "applied (this is a bug in htmlfix; please report it)")


def _report(results: list[FileResult]) -> Report:
    from .report import Report

    # A file with an error can still have problems to report: a partly readable export, a
    # file that could not be written (its problems are reported as they are, unfixed).
    checked = [r for r in results if not r.skipped and (not r.error or r.diagnostics)]
    return Report(
        diagnostics=[d for r in checked for d in r.diagnostics],
        files=[r.path for r in checked],
        texts={r.path: text for r in checked if (text := r.output_text or r.original_text) is not None},
        errors=[(r.path, r.error) for r in results if r.error],
        locators={r.path: r.locator for r in checked if r.locator is not None},
    )


def _print_diffs(results: list[FileResult]) -> None:
    from .report import unified_diff

    for result in results:
        if result.changed and result.original_text is not None and result.output_text is not None:
            sys.stdout.write(unified_diff(result.path, result.original_text, result.output_text))


def _write_baseline(opts: CheckOptions, report: Report, failed: bool) -> int:
    from .baseline import write_baseline

    assert opts.write_baseline is not None
    try:
        count = write_baseline(opts.write_baseline, report)
    except OSError as exc:
        _error(f"{opts.write_baseline}: could not write the baseline: {exc.strerror or exc}")
        return EXIT_ERROR
    if not (opts.quiet or opts.silent):
        files = len({d.filename for d in report.diagnostics})
        sys.stdout.write(f"Wrote {count} problem{'s' if count != 1 else ''} in {files} "
                         f"file{'s' if files != 1 else ''} to {opts.write_baseline}.\n")
    return EXIT_ERROR if failed else EXIT_OK


def _output(opts: CheckOptions, results: list[FileResult], report: Report, matched: int, stale: int) -> None:
    if opts.silent:
        return
    stdin_fixed = opts.fix_in_place and any(r.from_stdin for r in results)
    if opts.output_file:
        with open(opts.output_file, "w", encoding="utf-8", newline="") as stream:
            _write_report(stream, opts, results, report, matched, stale)
        return
    _write_report(sys.stderr if stdin_fixed else sys.stdout, opts, results, report, matched, stale)


def _write_report(out: TextIO, opts: CheckOptions, results: list[FileResult], report: Report, matched: int, stale: int) -> None:
    from .formats import render

    if opts.statistics:
        out.write(_statistics(report.diagnostics, opts.output_format))
    else:
        out.write(render(opts.output_format, report))
    if opts.output_format != "text":
        return
    if opts.show_fixes and opts.fix_in_place:
        out.write(_fixes(results))
    if not opts.quiet:
        _summary(out, results, report.diagnostics, opts.fix_in_place, matched, stale)


def _statistics(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    """Problems per rule, most frequent first (Ruff's ``--statistics``)."""
    from .registry import rule_class

    counts = Counter(d.code for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if d.fixable)
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        try:
            name = rule_class(code).name
        except KeyError:
            name = ""
        rows.append({"code": code, "name": name, "count": count, "fixable": fixable[code] == count})
    if fmt in ("json", "json-lines"):
        import json

        return json.dumps(rows, indent=2) + "\n"
    width = max((len(str(row["count"])) for row in rows), default=1)
    return "".join(
        f"{row['count']:>{width}}\t{row['code']}\t{'[*] ' if row['fixable'] else '    '}{row['name']}\n"
        for row in rows
    )


def _fixes(results: list[FileResult]) -> str:
    """What --fix changed, per file and rule (Ruff's ``--show-fixes``)."""
    from .registry import rule_class

    fixed = [(r.path, Counter(d.code for d in r.fixed)) for r in results if r.fixed]
    total = sum(sum(counts.values()) for _, counts in fixed)
    if not total:
        return "No errors fixed.\n"
    lines = [f"Fixed {total} error{'s' if total != 1 else ''}:"]
    for path, counts in fixed:
        lines.append(f"- {path}:")
        for code, count in sorted(counts.items()):
            try:
                name = f" ({rule_class(code).name})"
            except KeyError:
                name = ""
            lines.append(f"    {count} × {code}{name}")
    return "\n".join(lines) + "\n"


def _summary(
    out: TextIO, results: list[FileResult], diagnostics: Sequence[Diagnostic], fixed_in_place: bool,
    matched: int, stale: int,
) -> None:
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
    if matched:
        write(f"{matched} known problem{'s' if matched != 1 else ''} in the baseline not shown.\n")
    if stale:
        write(f"{stale} baseline entr{'ies' if stale != 1 else 'y'} no longer occur; "
              "write the baseline again to drop them.\n")


@cli.command("clean")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="The cache to remove (default: $HTMLFIX_CACHE_DIR, else .htmlfix_cache).")
def clean_command(cache_dir: str | None) -> None:
    """Remove the result cache (.htmlfix_cache in the current directory)."""
    from .cache import clean_cache, default_cache_dir

    directory = Path(cache_dir) if cache_dir else default_cache_dir()
    try:
        removed = clean_cache(directory)
    except OSError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    click.echo(f"Removed {directory}." if removed else f"No cache at {directory}.")


@cli.command("rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def rules_command(output_format: str) -> None:
    """List every rule."""
    from .registry import all_rules

    rows = [
        {"code": r.code, "name": r.name, "fix": r.fix_availability.value,
         "default": r.default_enabled, "summary": r.summary()}
        for r in all_rules()
    ]
    if output_format == "json":
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        flags = ("   " if row["fix"] == "none" else "[*]") + (" " if row["default"] else " (opt-in)")
        click.echo(f"{row['code']}  {row['name']:<28} {flags} {row['summary']}")


@cli.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Print the documentation of one rule."""
    from .registry import rule_class

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
