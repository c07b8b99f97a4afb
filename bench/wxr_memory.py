"""Peak memory of ``htmlfix check`` and ``htmlfix check --fix`` on a large WXR export.

Builds an export of the requested size (default 1 GB) in a temporary directory by repeating
the real posts of ``../shared/corpora/wordpress-wxr/`` (each copy gets a new post id), then
runs htmlfix on it in subprocesses and prints wall time, throughput and peak RSS (from
``resource.getrusage(RUSAGE_CHILDREN)``, measured per run in a fresh process).

Three runs: ``check`` (the registered rules), ``check --fix`` on a copy, and ``check --fix``
with a test rule that fixes a word in every post, so that the fix path really rewrites the
whole file (the real rules may find nothing to fix in these clean posts).

    python bench/wxr_memory.py              # 1 GB
    python bench/wxr_memory.py --size-mb 300
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "wordpress-wxr"
SOURCES = [
    CORPUS / "theme-test-data" / "themeunittestdata.wordpress.xml",
    CORPUS / "theme-test-data" / "64-block-test-data.xml",
    CORPUS / "a11y-theme-unit-test" / "a11y-theme-unit-test-data.xml",
]
ITEM = re.compile(rb"<item>.*?</item>\s*", re.S)
POST_ID = re.compile(rb"<wp:post_id>\d+</wp:post_id>")

# Run htmlfix with one extra rule that rewrites "the " in every post (the fix path end to end).
FIXING_RUNNER = """
import sys
from htmlfix import cli, engine
from htmlfix.model import Edit, FixAvailability
from htmlfix.rules.base import Rule

class BenchRule(Rule):
    '''Rewrites `the ` (benchmark only).

    ## What it does
    Benchmark only.
    ## Why is this bad?
    Benchmark only.
    ## Example
    the. Use instead: THE.
    ## Fix safety
    Benchmark only.
    '''
    code = "ZZ999"
    name = "bench-the"
    fix_availability = FixAvailability.ALWAYS
    def check(self, doc):
        start = doc.text.find("the ")
        while start >= 0:
            yield self.report(start, start + 4, "the", self.fix("upper", Edit(start, start + 4, "THE ")))
            start = doc.text.find("the ", start + 4)

original = engine.Linter.__init__
def patched(self, settings=None):
    original(self, settings)
    self.rules = tuple(self.rules) + (BenchRule(),)
cli.Linter.__init__ = patched
sys.exit(cli.main(sys.argv[1:]))
"""


def build(target: Path, size: int) -> int:
    """Write an export of at least ``size`` bytes; return the number of items."""
    header = trailer = b""
    items: list[bytes] = []
    for source in SOURCES:
        data = source.read_bytes()
        found = list(ITEM.finditer(data))
        if not header:
            header, trailer = data[:found[0].start()], data[found[-1].end():]
        items.extend(match.group() for match in found)
    written, count, post_id = 0, 0, 1_000_000
    with open(target, "wb") as out:
        out.write(header)
        while written < size:
            for body in items:
                post_id += 1
                chunk = POST_ID.sub(b"<wp:post_id>%d</wp:post_id>" % post_id, body, count=1)
                out.write(chunk)
                written += len(chunk)
                count += 1
        out.write(trailer)
    return count


def measure(args: list[str]) -> tuple[float, float, int]:
    """Run a command in a fresh process: (seconds, peak RSS in MB, exit code)."""
    script = f"""
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run({args!r}, stdout=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(elapsed, peak, code)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    elapsed, peak, code = out.stdout.split()
    return float(elapsed), float(peak), int(code)


def _same(a: Path, b: Path) -> bool:
    with open(a, "rb") as first, open(b, "rb") as second:
        while True:
            x, y = first.read(1 << 20), second.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--runs", default="1,2,3", help="which runs (1 check, 2 --fix, 3 --fix + rule)")
    options = parser.parse_args()
    missing = [s for s in SOURCES if not s.exists()]
    if missing:
        sys.exit(f"corpus not found: {missing[0]}")
    workdir = Path(tempfile.mkdtemp(prefix="htmlfix-wxr-bench-"))
    try:
        export = workdir / "export.xml"
        started = time.perf_counter()
        items = build(export, options.size_mb * 1024 * 1024)
        size = export.stat().st_size
        print(f"built {export} ({size / 1e6:.0f} MB, {items} items) in {time.perf_counter() - started:.0f} s")
        htmlfix = [sys.executable, "-m", "htmlfix"]
        copy = workdir / "copy.xml"
        runs = [
            ("htmlfix check", htmlfix + ["check", "--exit-zero", str(export)], None),
            ("htmlfix check --fix", htmlfix + ["check", "--fix", "--exit-zero", str(copy)], copy),
            ("htmlfix check --fix (+ a rule fixing every post)",
             [sys.executable, "-c", FIXING_RUNNER, "check", "--fix", "--exit-zero", "--quiet", str(copy)], copy),
        ]
        print(f"{'command':<52} {'seconds':>8} {'MB/s':>7} {'peak RSS MB':>12} {'exit':>5}")
        chosen = {int(n) for n in options.runs.split(",")}
        for number, (label, command, fresh) in enumerate(runs, 1):
            if number not in chosen:
                continue
            if fresh is not None:
                shutil.copyfile(export, fresh)
            elapsed, peak, code = measure(command)
            print(f"{label:<52} {elapsed:>8.1f} {size / 1e6 / elapsed:>7.1f} {peak:>12.1f} {code:>5}")
            if fresh is not None:
                print(f"{'':<52} file changed: {not _same(fresh, export)}")
    finally:
        if options.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
