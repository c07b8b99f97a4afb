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
import resource
import shutil
import sys
import time

from _harness import build_wxr, measure, same_content, work_directory

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
engine.Linter.__init__ = patched
sys.exit(cli.main(sys.argv[1:]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--runs", default="1,2,3", help="which runs (1 check, 2 --fix, 3 --fix + rule)")
    options = parser.parse_args()
    with work_directory("htmlfix-wxr-bench-", keep=options.keep) as workdir:
        export = workdir / "export.xml"
        started = time.perf_counter()
        items = build_wxr(export, options.size_mb * 1024 * 1024)
        size = export.stat().st_size
        print(f"built {export} ({size / 1e6:.0f} MB, {items} items) in {time.perf_counter() - started:.0f} s")
        htmlfix = [sys.executable, "-m", "htmlfix"]
        copy = workdir / "copy.xml"
        runs = [
            ("htmlfix check", htmlfix + ["check", "--exit-zero", "--no-cache", str(export)], None),
            ("htmlfix check --fix", htmlfix + ["check", "--fix", "--exit-zero", "--no-cache", str(copy)], copy),
            ("htmlfix check --fix (+ a rule fixing every post)",
             [sys.executable, "-c", FIXING_RUNNER, "check", "--fix", "--exit-zero", "--quiet", "--no-cache", str(copy)],
             copy),
        ]
        print(f"{'command':<52} {'seconds':>8} {'MB/s':>7} {'peak RSS MB':>12} {'exit':>5}")
        chosen = {int(n) for n in options.runs.split(",")}
        for number, (label, command, fresh) in enumerate(runs, 1):
            if number not in chosen:
                continue
            if fresh is not None:
                shutil.copyfile(export, fresh)
            run = measure(command)
            print(f"{label:<52} {run.seconds:>8.1f} {size / 1e6 / run.seconds:>7.1f} {run.peak_mb:>12.1f} {run.code:>5}")
            if fresh is not None:
                print(f"{'':<52} file changed: {not same_content(fresh, export)}")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
