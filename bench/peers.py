"""htmlfix against its peers, in one run: throughput, ratios, peak memory, per-file cost.

Three inputs:

* the 130 real pages of ``../shared/corpora/pages/readability/test-pages/*/source.html``
  (copied flat into a temporary directory, so every tool reads the same files);
* a WXR export of ``--wxr-mb`` MB built by repeating the real posts of
  ``../shared/corpora/wordpress-wxr/`` (the linters below do not read WXR; lxml's XML parser is
  the peer there), each command the fastest of two runs;
* a content repository: the pages ``--repository-copies`` times over (default 4: 520 files,
  103 MB), where htmlfix's fixed start-up weighs less, as in a real repository.

Every command runs in a fresh process (startup, reading and decoding included) and is timed
with its peak RSS; on the pages each command runs ``--repeat`` times (default 5, in
interleaved rounds) and the fastest run is shown (a shared or throttled machine only ever
makes a run slower; the peak RSS is the largest of the runs). Peers that are not installed
are skipped and named:

* HTML Tidy (Debian: ``apt-get install tidy``): ``tidy -errors -q`` (its default reports at most
  6 errors per file), the same with ``--show-errors 1000000`` (every error, as htmlfix reports),
  and ``tidy -m`` (rewrite in place, on a copy);
* html5lib and lxml parsing each file (Python, in one process);
* html-validate and HTMLHint (Node): found on PATH, in ``--node-bin``, or in
  ``~/.cache/htmlfix-bench/node_modules/.bin`` (``npm install --prefix ~/.cache/htmlfix-bench
  html-validate htmlhint``).

Then, in this process (after imports, as issue 6 measured the peers: reading and decoding
included, interpreter start-up not), the pages through htmlfix's own batch API with one
process and with all cores, against lxml, html5lib and the stdlib ``html.parser``, best of
``--repeat``; and the cost of checking each page against its size, for htmlfix and lxml.

    python bench/peers.py                 # everything
    python bench/peers.py --skip html-validate --wxr-mb 50

The speed targets (issue 6) are per core: ``htmlfix check --jobs 1`` at >= 25 MB/s on the pages,
at least as fast as Tidy linting the same files in one process, and >= 1.7x on 2 cores; the
script prints both throughputs (command line and in one process) and the --jobs speed-up
next to the machine's parallel ceiling. That ceiling is measured twice: a CPU-bound loop in
two processes, and, as a row of the table, the real work itself, one ``htmlfix check --jobs 1``
per core side by side (each on all the files): no pool can beat that on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from _harness import ROOT, Run, build_wxr, measure, readability_sources, work_directory

NODE_CACHE = Path.home() / ".cache" / "htmlfix-bench" / "node_modules" / ".bin"

HTML5LIB_PARSE = """
import sys, html5lib
for name in sys.argv[1:]:
    with open(name, "rb") as f:
        html5lib.parse(f.read().decode("utf-8", "surrogateescape"))
"""
LXML_PARSE = """
import sys, lxml.html
for name in sys.argv[1:]:
    with open(name, "rb") as f:
        lxml.html.document_fromstring(f.read())
"""
LXML_XML = """
import sys
from lxml import etree
for _event, element in etree.iterparse(sys.argv[1], huge_tree=True):
    element.clear(keep_tail=True)
"""


@dataclass
class Row:
    label: str
    tool: str  # what --skip names, and what must be installed
    command: list[str]
    size: int  # bytes read
    #: Run just before the measurement; returns the files to add to the command.
    prepare: Callable[[], list[str]] | None = None
    run: Run | None = None
    runs: list[Run] = field(default_factory=list)  # every run, in round order
    note: str = ""
    once: bool = False  # measured in the first round only (see _measure_rounds)
    copies: int = 1  # processes of the command run at once (each reads all the files)


def _tool(name: str, node_bin: list[Path]) -> str | None:
    for folder in node_bin:
        candidate = folder / name
        if candidate.exists():
            return str(candidate)
    return shutil.which(name)


def _fresh_copy(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    if source.is_dir():
        shutil.copytree(source, target, copy_function=shutil.copyfile)  # writable copies
    else:
        shutil.copyfile(source, target)
    return target


def _print_table(title: str, rows: list[Row], reference: str) -> None:
    base = next((r.run.seconds for r in rows if r.label == reference and r.run), None)
    print(f"\n{title}")
    print(f"| {'command':<46} | {'seconds':>8} | {'MB/s':>7} | {'vs htmlfix check':>16} | {'peak RSS MB':>11} |")
    print(f"| {'-' * 46} | {'-' * 7}: | {'-' * 6}: | {'-' * 15}: | {'-' * 10}: |")
    for row in rows:
        if row.run is None:
            print(f"| {row.label:<46} | {'skipped: ' + row.note:<61} |")
            continue
        run = row.run
        if run.timed_out:
            print(f"| {row.label:<46} | {'> ' + format(run.seconds, '.0f'):>8} | {'':>7} | {'timed out':>16} | {run.peak_mb:>11.0f} |")
            continue
        ratio = f"{run.seconds / base:.2f}x time" if base else ""
        print(f"| {row.label:<46} | {run.seconds:>8.2f} | {row.size / 1e6 / run.seconds:>7.1f} | {ratio:>16} "
              f"| {run.peak_mb:>11.0f} |")
    print("Commands (FILES: the files above; python: this interpreter):")
    for row in rows:
        if row.run is not None:
            print(f"    {row.label}: {_shown(row)}")


def _shown(row: Row) -> str:
    words: list[str] = []
    for arg in row.command:
        if os.path.isfile(arg) and arg.endswith((".html", ".xml")):
            if not words or words[-1] != "FILES":
                words.append("FILES")
        elif arg == sys.executable:
            words.append("python")
        elif "\n" in arg:
            words.append(f"'{arg.strip().splitlines()[-1].strip()} ...'")
        else:
            words.append(os.path.basename(arg) if os.path.isabs(arg) else arg)
    shown = " ".join(words)
    return f"{row.copies} at once, each: {shown}" if row.copies > 1 else shown


def _pages_benchmark(work: Path, options: argparse.Namespace, node_bin: list[Path]) -> None:
    sources = readability_sources()
    pages = work / "pages"
    pages.mkdir()
    for source in sources:  # copyfile: the copies are writable whatever the corpus's mode
        shutil.copyfile(source, pages / f"{source.parent.name}.html")
    files = sorted(str(p) for p in pages.iterdir())
    size = sum(os.path.getsize(f) for f in files)
    print(f"{len(files)} pages, {size / 1e6:.1f} MB ({pages})")
    htmlfix = [sys.executable, "-m", "htmlfix", "check", "--exit-zero", "--no-cache", "--isolated"]
    tidy = shutil.which("tidy") or "tidy"
    validate, hint = _tool("html-validate", node_bin), _tool("htmlhint", node_bin)

    def copy_of(name: str) -> Callable[[], list[str]]:
        return lambda: sorted(str(p) for p in _fresh_copy(pages, work / name).iterdir())

    def fixed_files() -> list[str]:
        return sorted(str(p) for p in (work / "fixed").iterdir())

    cached = [sys.executable, "-m", "htmlfix", "check", "--exit-zero", "--isolated", "--jobs", "1"]

    def warm() -> list[str]:
        measure([*cached, *files], cwd=work, timeout=options.timeout)  # fills the cache
        return files

    rows = [
        Row("htmlfix check (1 process)", "htmlfix", [*htmlfix, "--jobs", "1", *files], size),
        Row("htmlfix check (all cores)", "htmlfix", [*htmlfix, *files], size),
        _side_by_side([*htmlfix, "--jobs", "1", *files], size),
        Row("htmlfix check --fix (1 process, on a copy)", "htmlfix", [*htmlfix, "--jobs", "1", "--fix"], size,
            copy_of("fixed")),
        Row("htmlfix check --fix, nothing left to fix", "htmlfix", [*htmlfix, "--jobs", "1", "--fix"], size,
            fixed_files),
        Row("htmlfix check, nothing left to fix", "htmlfix", [*htmlfix, "--jobs", "1"], size, fixed_files),
        Row("htmlfix check, warm cache (1 process)", "htmlfix", cached, size, warm),
        Row("tidy -errors -q (at most 6 errors per file)", "tidy", [tidy, "-errors", "-q", *files], size),
        Row("tidy -errors -q --show-errors 1000000", "tidy",
            [tidy, "-errors", "-q", "--show-errors", "1000000", *files], size),
        Row("tidy -m -q (on a copy)", "tidy", [tidy, "-m", "-q"], size, copy_of("tidied")),
        Row("html5lib parse (Python, one process)", "html5lib", [sys.executable, "-c", HTML5LIB_PARSE, *files], size,
            once=True),
        Row("lxml parse (Python, one process)", "lxml", [sys.executable, "-c", LXML_PARSE, *files], size),
        Row("html-validate (Node)", "html-validate", [validate or "html-validate", *files], size, once=True),
        Row("HTMLHint (Node)", "htmlhint", [hint or "htmlhint", *files], size),
    ]
    active = []
    for row in rows:
        if row.tool in options.skip:
            row.note = "--skip"
        elif row.command[0] != sys.executable and shutil.which(row.command[0]) is None:
            row.note = f"{row.tool} not found"
        else:
            active.append(row)
    _measure_rounds(active, work, options.repeat, options.timeout)
    _print_table(f"Readability pages: {len(files)} files, {size / 1e6:.1f} MB (fastest of {options.repeat} runs)",
                 rows, "htmlfix check (1 process)")
    _print_speedup(rows)
    _in_process(sources, options.repeat)
    _per_file_cost(sources)


def _repository_benchmark(work: Path, options: argparse.Namespace) -> None:
    """A content repository: the pages ``--repository-copies`` times over, in one folder per
    copy. A bigger run spreads htmlfix's fixed start-up (~0.2 s: imports, compiling the rules'
    patterns) over more files, as a real repository of thousands of files does."""
    pages = work / "pages"
    repository = work / "repository"
    for copy in range(options.repository_copies):
        shutil.copytree(pages, repository / f"copy-{copy + 1}")
    files = sorted(str(p) for p in repository.rglob("*.html"))
    size = sum(os.path.getsize(f) for f in files)
    htmlfix = [sys.executable, "-m", "htmlfix", "check", "--exit-zero", "--no-cache", "--isolated"]
    tidy = shutil.which("tidy")
    rows = [
        Row("htmlfix check (1 process)", "htmlfix", [*htmlfix, "--jobs", "1", str(repository)], size),
        Row("htmlfix check (all cores)", "htmlfix", [*htmlfix, str(repository)], size),
        _side_by_side([*htmlfix, "--jobs", "1", str(repository)], size),
    ]
    if tidy and "tidy" not in options.skip:
        rows.append(Row("tidy -errors -q --show-errors 1000000", "tidy",
                        [tidy, "-errors", "-q", "--show-errors", "1000000", *files], size))
    repeat = min(options.repeat, 3)
    _measure_rounds(rows, work, repeat, options.timeout)
    _print_table(f"\nA content repository (the pages {options.repository_copies} times over): {len(files)} files, "
                 f"{size / 1e6:.1f} MB (fastest of {repeat} runs)", rows, "htmlfix check (1 process)")
    _print_speedup(rows)


def _measure_rounds(rows: list[Row], work: Path, repeat: int, timeout: float) -> None:
    """``--repeat`` rounds over ``rows`` (each command after its own ``prepare``), keeping each
    row's fastest run and largest peak RSS. Rounds interleave the commands, so a stretch of
    time when the machine is busy slows one run of each instead of every run of one; rows
    marked ``once`` (tens of times slower than htmlfix: noise cannot change their ratio) run
    in the first round only."""
    base = {id(row): row.command for row in rows}
    runs: dict[int, list[Run]] = {id(row): [] for row in rows}
    for round_number in range(repeat):
        for row in rows:
            if round_number and (row.once or runs[id(row)][-1].timed_out):
                continue
            print(f"  running ({round_number + 1}/{repeat}): {row.label}", file=sys.stderr, flush=True)
            row.command = [*base[id(row)], *row.prepare()] if row.prepare is not None else base[id(row)]
            runs[id(row)].append(measure(row.command, cwd=work, timeout=timeout, copies=row.copies))
    for row in rows:
        row.runs = runs[id(row)]
        best = min(runs[id(row)], key=lambda run: run.seconds)
        row.run = Run(best.seconds, max(run.peak_mb for run in runs[id(row)]), best.code, best.timed_out)


def _side_by_side(command: list[str], size: int) -> Row:
    """The same ``htmlfix check --jobs 1`` run by one process per core at once, each on all the
    files: what the cores give htmlfix's own work (and start-up) with no pool at all, the
    ceiling a --jobs run can reach on this machine. A shared or throttled VM's cores give
    less than one core each; a CPU-bound loop (the ceiling printed at the start) tells less
    about that than the real work does, which also shares caches and memory bandwidth."""
    cores = os.cpu_count() or 1
    return Row(f"{cores} x htmlfix check --jobs 1, side by side", "htmlfix", command, size * cores, copies=cores)


def _print_speedup(rows: list[Row]) -> None:
    one = next((r for r in rows if r.label == "htmlfix check (1 process)" and r.run), None)
    many = next((r for r in rows if r.label == "htmlfix check (all cores)" and r.run), None)
    side = next((r for r in rows if r.copies > 1 and r.run), None)
    if not (one and many and one.run and many.run):
        return
    print(f"--jobs speed-up from the command line: {one.run.seconds / many.run.seconds:.2f}x "
          f"({one.run.seconds:.2f} s -> {many.run.seconds:.2f} s, fastest runs, start-up included in both)")
    if not (side and side.run):
        return
    ceiling = side.copies * one.run.seconds / side.run.seconds
    print(f"the cores' ceiling for this work: {side.copies} side-by-side processes do {ceiling:.2f}x the "
          f"work of one in the same time; --jobs reaches {one.run.seconds / many.run.seconds / ceiling:.0%} of it")
    # Round by round (the three ran within seconds of each other): the machine's phase moves
    # the speed-up and the ceiling together, their quotient much less.
    shares = []
    for number, (alone, pooled, together) in enumerate(zip(one.runs, many.runs, side.runs), 1):
        speedup, round_ceiling = alone.seconds / pooled.seconds, side.copies * alone.seconds / together.seconds
        shares.append(speedup / round_ceiling)
        print(f"  round {number}: --jobs {speedup:.2f}x, ceiling {round_ceiling:.2f}x, {shares[-1]:.0%} of it")
    shares.sort()
    print(f"  median share of the ceiling: {shares[len(shares) // 2]:.0%}")


def _in_process(sources: list[Path], repeat: int) -> None:
    """Throughput in this process, after imports: what each tool costs per byte once it runs."""
    import html.parser

    import html5lib
    import lxml.html

    from htmlfix.batch import FileTask, available_cores, check_files
    from htmlfix.config import Settings
    from htmlfix.tokens import tokenize

    paths = [str(path) for path in sources]
    size = sum(os.path.getsize(path) for path in paths)
    tasks = [FileTask(path, Settings()) for path in paths]
    cores = available_cores()

    def read_all() -> list[str]:
        texts = []
        for path in paths:
            with open(path, "rb") as f:
                texts.append(f.read().decode("utf-8", "surrogateescape"))
        return texts

    def stdlib_parse() -> None:
        for text in read_all():
            parser = html.parser.HTMLParser()
            parser.feed(text)
            parser.close()

    def lxml_parse() -> None:
        for path in paths:
            with open(path, "rb") as f:
                lxml.html.document_fromstring(f.read())

    # Rounds interleave the measures (see _measure_rounds); the two the --jobs target compares
    # take a second or less and get twice the rounds, html5lib (~5 s) one.
    measures: list[tuple[str, Callable[[], object], int]] = [
        ("htmlfix check_files, 1 process", lambda: list(check_files(tasks, jobs=1)), 2 * repeat),
        (f"htmlfix check_files, {cores} processes (pool start-up included)",
         lambda: list(check_files(tasks, jobs=cores)), 2 * repeat),
        ("htmlfix tokenize (read, decode, tokenize)", lambda: [tokenize(t) for t in read_all()], repeat),
        ("lxml.html parse", lxml_parse, repeat),
        ("html.parser (stdlib) feed", stdlib_parse, repeat),
        ("html5lib parse", lambda: [html5lib.parse(t) for t in read_all()], 1),
    ]
    check_files(tasks[:1], jobs=1)  # imports, the first Linter
    print(f"\nIn this process, after imports ({len(paths)} pages, {size / 1e6:.1f} MB, best of {repeat}; "
          f"htmlfix best of {2 * repeat}, html5lib one run):")
    print(f"| {'work':<58} | {'seconds':>8} | {'MB/s':>7} |")
    print(f"| {'-' * 58} | {'-' * 7}: | {'-' * 6}: |")
    seconds = {label: float("inf") for label, _, _ in measures}
    for round_number in range(2 * repeat):
        for label, work, rounds in measures:
            if round_number < rounds:
                started = time.perf_counter()
                work()
                seconds[label] = min(seconds[label], time.perf_counter() - started)
    for label, _, _ in measures:
        print(f"| {label:<58} | {seconds[label]:>8.2f} | {size / 1e6 / seconds[label]:>7.1f} |")
    one, many = (seconds[label] for label, _, _ in measures[:2])
    print(f"--jobs speed-up in this process: {one / many:.2f}x")


def _wxr_benchmark(work: Path, options: argparse.Namespace) -> None:
    export = work / "export.xml"
    started = time.perf_counter()
    items = build_wxr(export, options.wxr_mb * 1024 * 1024)
    size = export.stat().st_size
    print(f"\nbuilt a WXR export of {size / 1e6:.0f} MB ({items} items) in {time.perf_counter() - started:.0f} s")
    every_core = [sys.executable, "-m", "htmlfix", "check", "--exit-zero", "--no-cache", "--isolated"]
    htmlfix = [*every_core, "--jobs", "1"]
    copy = work / "export-copy.xml"
    rows = [
        Row("htmlfix check", "htmlfix", [*htmlfix, str(export)], size),
        Row("htmlfix check (all cores share the posts)", "htmlfix", [*every_core, str(export)], size),
        Row("htmlfix check --fix (on a copy)", "htmlfix", [*htmlfix, "--fix"], size,
            lambda: [str(_fresh_copy(export, copy))]),
        Row("htmlfix check --fix (all cores, on a copy)", "htmlfix", [*every_core, "--fix"], size,
            lambda: [str(_fresh_copy(export, copy))]),
        Row("lxml iterparse (Python, elements cleared)", "lxml", [sys.executable, "-c", LXML_XML, str(export)], size),
    ]
    rounds = min(options.repeat, 2)  # each run takes tens of seconds
    _measure_rounds(rows, work, rounds, options.timeout)
    _print_table(f"WXR export: {items} items, {size / 1e6:.0f} MB (fastest of {rounds} runs)", rows, "htmlfix check")


def _per_file_cost(sources: list[Path]) -> None:
    """Time per file against file size, in this process (no startup): the pages in four size
    quartiles, for htmlfix (read, decode, check with the default rules) and lxml (parse)."""
    import lxml.html

    from htmlfix.config import Settings
    from htmlfix.engine import Linter
    from htmlfix.runner import process_bytes

    linter = Linter(Settings())

    def htmlfix_check(path: Path) -> None:
        process_bytes(str(path), path.read_bytes(), linter)

    def lxml_parse(path: Path) -> None:
        lxml.html.document_fromstring(path.read_bytes())

    order = sorted(sources, key=lambda path: path.stat().st_size)
    quarter = -(-len(order) // 4)
    groups = [order[i : i + quarter] for i in range(0, len(order), quarter)]
    print("\nPer-file cost against file size (in one process, best of 3 per file):")
    print(f"| {'pages (size quartile)':<30} | {'htmlfix ms/file':>15} | {'htmlfix MB/s':>12} | {'lxml ms/file':>12} | {'lxml MB/s':>9} |")
    print(f"| {'-' * 30} | {'-' * 14}: | {'-' * 11}: | {'-' * 11}: | {'-' * 8}: |")
    for group in groups:
        sizes = [path.stat().st_size for path in group]
        cells = []
        for work in (htmlfix_check, lxml_parse):
            seconds = sum(_best_of(3, work, path) for path in group)
            cells += [f"{seconds / len(group) * 1e3:.2f}", f"{sum(sizes) / 1e6 / seconds:.1f}"]
        label = f"{len(group)} of {_kb(sizes[0])}-{_kb(sizes[-1])}"
        print(f"| {label:<30} | {cells[0]:>15} | {cells[1]:>12} | {cells[2]:>12} | {cells[3]:>9} |")


def _kb(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"


def _best_of(count: int, work: Callable[[Path], None], path: Path) -> float:
    best = float("inf")
    for _ in range(count):
        started = time.perf_counter()
        work(path)
        best = min(best, time.perf_counter() - started)
    return best


def _burn(count: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(count):
        total += i * i
    return time.perf_counter() - started


def _parallel_ceiling(workers: int) -> float:
    """How much faster this machine runs ``workers`` independent CPU-bound Python processes
    than one: the most any process pool can gain here (shared or throttled cores give less
    than ``workers``x). --jobs is judged against this, not against the core count."""
    import multiprocessing

    count = 10_000_000
    one = together = float("inf")
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for _ in range(3):  # best of 3, interleaved, as for the commands
            one = min(one, _burn(count))
            started = time.perf_counter()
            pool.map(_burn, [count] * workers)
            together = min(together, time.perf_counter() - started)
    return workers * one / together


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wxr-mb", type=int, default=100, help="size of the WXR export (0: skip it)")
    parser.add_argument("--skip", default="", help="comma-separated tools to skip (tidy, html-validate, ...)")
    parser.add_argument("--node-bin", action="append", default=[], help="a node_modules/.bin folder")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a command is stopped")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--repeat", type=int, default=5, help="runs per command on the pages (the fastest is shown)")
    parser.add_argument("--repository-copies", type=int, default=4,
                        help="copies of the pages in the content-repository run (0: skip it)")
    options = parser.parse_args()
    options.skip = [s.strip() for s in options.skip.split(",") if s.strip()]
    node_bin = [Path(p) for p in options.node_bin] + [NODE_CACHE]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"htmlfix benchmark: {os.cpu_count()} cores, load average {load:.2f}, Python {sys.version.split()[0]}")
    from htmlfix import tokens

    loop = "C scanner" if tokens._scanner is not None else "pure Python (no C scanner built)"
    print(f"htmlfix tokenizer loop: {loop}")
    cores = os.cpu_count() or 1
    if cores >= 2:
        print(f"parallel ceiling: {cores} independent CPU-bound Python processes run {_parallel_ceiling(cores):.2f}x "
              "as fast as one on this machine")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    # An installed package runs from compiled bytecode; a checkout under PYTHONDONTWRITEBYTECODE
    # would compile every module from source in every timed process (~0.4 s each).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    import compileall

    compileall.compile_dir(str(ROOT / "htmlfix"), quiet=1)
    with work_directory("htmlfix-bench-", keep=options.keep) as work:
        _pages_benchmark(work, options, node_bin)
        if options.repository_copies:
            _repository_benchmark(work, options)
        if options.wxr_mb:
            _wxr_benchmark(work, options)


if __name__ == "__main__":
    main()
