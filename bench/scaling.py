"""Linear time on large and hostile inputs: each input at a base size and at 16 times that
size, checked (and fixed) in a fresh process; the 16x run must take at most 18x the time (the
ratio is scaled to an input exactly 16x the small one, as whole units make it only about 16x).

Inputs: real pages concatenated; a damaged plain-text export (the seed article repeated) in
text and HTML mode; one 10 MB line of prose, tags and debris; 100,000 nested <div>s; 100,000
nested table cells; stray end tags among thousands of elements; a line of spaced openers
without partners; suppression comments that
suppress nothing; Word settings leaked into one long line; one tag
with a million attributes; one tag with 100,000 attributes whose values hold escaped markup;
100,000 unclosed formatting elements; stray "<" and "&"; an
unclosed comment; Markdown with unclosed code fences; shortcodes and block comments.

    python bench/scaling.py                 # every input, check and fix
    python bench/scaling.py --only deep-nesting --no-fix

    python bench/scaling.py --instructions --scale 0.0625   # instruction counts (valgrind)

Seconds on a shared machine vary by 20-30% from run to run, enough to turn 16x into 19x.
``--instructions`` counts the instructions the check or fix executes instead (valgrind's
cachegrind, without its cache simulation: the same count on every run, whatever else the
machine is doing), minus those of a run that reads the same input and stops. It shows whether
the work is linear; the seconds show what the memory hierarchy adds to it. Under valgrind a
run is ~50x slower, hence ``--scale`` to shrink every base size (1/16: about 20 minutes).

``check`` must be linear on all of them. Where html5lib (the oracle that verifies fixes that
claim to keep the DOM) would not be linear (deep nesting, huge inputs), the fixer declines
to verify and applies none of those fixes: the fix column shows how many fixes were applied
and that the run still scales.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _harness import PAGES, ROOT, SHARED

SEED = SHARED / "seed" / "article-export.txt"
DEBRIS_LINE = ("Prose with a < strong >spaced tag< / strong >, td > lost brackets, & nbsp; a spaced "
               "entity, x > y and a < b comparisons, <b>real</b> tags and “quotes”. ")


def _repeat(unit: str, size: int) -> str:
    return unit * max(size // len(unit), 1)


#: With --scale, only the first pages whose 8 KB fit in the scaled base size (so the base
#: input is still one whole mix of real pages, not the first few hundred bytes of each).
page_budget: int | None = None


def _pages(size: int) -> str:
    """The same mix of real pages at every size: 8 KB of each page, repeated to ``size``."""
    texts: list[str] = []
    for page in sorted(PAGES.glob("*/source.html")):
        text = page.read_text(encoding="utf-8", errors="replace")[:8192]
        if page_budget is not None and texts and sum(map(len, texts)) + len(text) > page_budget:
            break
        texts.append(text)
    return _repeat("".join(texts), size)


#: name -> (mode, builder of a text of about ``size`` characters, base size)
CASES: dict[str, tuple[str, Callable[[int], str], int]] = {
    "pages": ("html", _pages, 2 << 20),
    "seed-text": ("text", lambda n: _repeat(SEED.read_text(encoding="utf-8") + "\n", n), 1 << 20),
    "seed-as-html": ("html", lambda n: _repeat(SEED.read_text(encoding="utf-8") + "\n", n), 1 << 20),
    "long-line": ("html", lambda n: _repeat(DEBRIS_LINE, n), 640 << 10),
    "deep-nesting": ("html", lambda n: "<div>" * (n // 5) + "text" + "</div>" * (n // 10), 6250 * 5),
    # Every open cell is a marker in the list of active formatting elements.
    "nested-tables": ("html", lambda n: "<table><tr><td>" * (n // 33) + "x" + "</td></tr></table>" * (n // 33),
                      6250 * 33),
    "many-attributes": ("html", lambda n: "<p " + _repeat('a1="v" ', n) + ">text</p>", 62500 * 7),
    # Stray end tags among thousands of top-level elements: every fix is verified by the oracle.
    "stray-end-tags": ("html", lambda n: _repeat("<div><p>Text</p></div></div>\n", n), 1 << 18),
    # Spaced openers with no partner on one line: each asks whether a real end tag follows.
    "unpaired-openers": ("html", lambda n: "<p>" + _repeat("Before < strong > after < em >> x ", n) + "</p>", 1 << 18),
    # Suppression comments that suppress nothing, on one line and on lines of their own: each
    # asks whether it is alone on its line.
    "suppressions": ("html", lambda n: _repeat("<p>a <!-- htmlfix: enable XX001 --> b</p>"
                                               "<!-- htmlfix: ignore EN001 -->\n", n), 1 << 18),
    # Word's settings leaked into one long line of text, each removed with what surrounds it.
    "word-settings": ("html", lambda n: "<p>" + _repeat("Normal 0 false false false EN-US X-NONE X-NONE "
                                                        "/* Style Definitions */ table.MsoNormalTable "
                                                        "{mso-style-name:x;} Text. ", n) + "</p>", 1 << 18),
    # A candidate in every value (escaped markup, double escapes): each asks which value holds it.
    "attribute-candidates": ("html", lambda n: "<p " + _repeat('a1="&lt;b&gt;x&lt;/b&gt; &amp;amp;" ', n)
                             + ">text</p>", 1 << 18),
    "unclosed-formatting": ("html", lambda n: _repeat("<b><i><a href=x>t ", n), 6250 * 18),
    "stray-brackets": ("html", lambda n: _repeat("a < b & c <3 ", n), 1 << 20),
    "unclosed-comment": ("html", lambda n: "<p>x</p><!-- " + _repeat("<p>y</p> -- ", n), 1 << 20),
    "markdown-fences": ("markdown", lambda n: _repeat("```a\nx\n~~~b\n", n), 64 << 10),
    "shortcodes": ("html", lambda n: _repeat("[caption id=1]<!-- wp:paragraph --><p>x</p>[/caption] ", n), 1 << 20),
    "charrefs": ("html", lambda n: _repeat("&amp;&nbsp;&#8217;&#x41; &zz; & ", n), 1 << 20),
}

_CHILD = """
import json, resource, sys, time
sys.setrecursionlimit(10000)
from htmlfix.config import Settings
from htmlfix.document import Mode
from htmlfix.engine import Linter
text = open(sys.argv[1], encoding="utf-8").read()
mode, fix = Mode(sys.argv[2]), sys.argv[3] == "fix"
linter = Linter(Settings())
linter.lint("<p>warm up</p>", mode)
started = time.process_time()
if sys.argv[3] == "read":  # the instructions every run spends before and after the work
    applied = remaining = 0
elif fix:
    result = linter.fix(text, mode)
    applied, remaining = len(result.applied), len(result.remaining)
else:
    applied, remaining = 0, len(linter.check(text, mode))  # located, as `htmlfix check` reports
seconds = time.process_time() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps([seconds, peak, applied, remaining]))
"""


#: valgrind without cache simulation: counts executed instructions (and runs ~2x faster than
#: with it); the hash seed is fixed so that two runs of one input execute the same code.
_VALGRIND = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
_INSTRUCTIONS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _child(source: Path, mode: str, path: str, timeout: float, counted: bool) -> subprocess.CompletedProcess[str] | None:
    command = [sys.executable, "-c", _CHILD, str(source), mode, path]
    env = {**os.environ, "PYTHONHASHSEED": "0"} if counted else None
    try:
        return subprocess.run(_VALGRIND + command if counted else command, capture_output=True, text=True,
                              timeout=timeout, cwd=ROOT, env=env, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"failed:\n{exc.stderr}") from None


def _instructions(done: subprocess.CompletedProcess[str]) -> int:
    found = _INSTRUCTIONS.search(done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def _run(text: str, mode: str, fix: bool, work: Path, timeout: float,
         counted: bool = False) -> tuple[float, float, int, int] | None:
    """Seconds (or, ``counted``, instructions) of one check or fix in a fresh process, its
    peak RSS in MB, and how many fixes it applied and problems it left."""
    source = work / "input.txt"
    source.write_text(text, encoding="utf-8")
    done = _child(source, mode, "fix" if fix else "check", timeout, counted)
    if done is None:
        return None
    cost, peak, applied, remaining = json.loads(done.stdout.splitlines()[-1])  # cost: CPU seconds
    if counted:
        reading = _child(source, mode, "read", timeout, counted)
        if reading is None:
            return None
        cost = _instructions(done) - _instructions(reading)
    return cost, peak, applied, remaining


def _best(count: int, text: str, mode: str, fix: bool, work: Path, timeout: float,
          counted: bool) -> tuple[float, float, int, int] | None:
    """The fastest of ``count`` runs (CPU time varies with what else the machine runs; an
    instruction count does not, so it is measured once)."""
    runs = [_run(text, mode, fix, work, timeout, counted) for _ in range(1 if counted else count)]
    finished = [run for run in runs if run is not None]
    return min(finished) if len(finished) == len(runs) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", default=[], help="run only these inputs")
    parser.add_argument("--no-fix", action="store_true", help="time check only")
    parser.add_argument("--factor", type=int, default=16)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement (the fastest counts)")
    parser.add_argument("--instructions", action="store_true",
                        help="count executed instructions under valgrind instead of timing")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every base size by this")
    options = parser.parse_args()
    if options.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian: apt-get install valgrind)")
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="htmlfix-scaling-"))
    counted = options.instructions
    if options.scale != 1:
        global page_budget
        page_budget = int(CASES["pages"][2] * options.scale)
    unit = "G instr" if counted else "s"
    measure = ("instructions (valgrind) of Linter.check / Linter.fix, minus a run that only reads the input"
               if counted else "CPU seconds of Linter.check / Linter.fix in a fresh process")
    print(f"{measure}; x{options.factor} input vs base input (must be <= 18x)\n")
    amounts = (f"base {unit}", f"x{options.factor} {unit}")
    wide = max(map(len, amounts))
    print(f"| {'input':<20} | {'path':<5} | {'base size':>9} | {amounts[0]:>{wide}} | {'x' + str(options.factor) + ' size':>9} | "
          f"{amounts[1]:>{wide}} | {'ratio':>6} | {'peak MB':>7} | {'fixes applied':>13} |")
    print(f"| {'-' * 20} | {'-' * 5} | {'-' * 8}: | {'-' * (wide - 1)}: | {'-' * 8}: | {'-' * (wide - 1)}: | {'-' * 5}: "
          f"| {'-' * 6}: | {'-' * 12}: |")
    worst = 0.0
    started = time.perf_counter()
    for name, (mode, build, base) in CASES.items():
        if options.only and name not in options.only:
            continue
        for fix in (False,) if options.no_fix else (False, True):
            size = max(int(base * options.scale), 1)
            small, large = build(size), build(size * options.factor)
            first = _best(options.repeat, small, mode, fix, work, options.timeout, counted)
            second = _best(options.repeat, large, mode, fix, work, options.timeout, counted)
            if first is None or second is None:
                print(f"| {name:<20} | {'fix' if fix else 'check':<5} | timed out after {options.timeout:.0f} s |")
                worst = float("inf")
                continue
            # Inputs are built from whole units, so the large one is only about --factor times
            # the small one (pages: 2 copies of an 827 KB unit vs 40); scale the time ratio to
            # exactly --factor times the input.
            ratio = second[0] / max(first[0], 1e-3) * options.factor * len(small) / len(large)
            worst = max(worst, ratio)
            applied = f"{first[2]} / {second[2]}" if fix else ""
            shown = [amount / 1e9 if counted else amount for amount in (first[0], second[0])]
            peak = "-" if counted else f"{second[1]:.0f}"  # under valgrind: valgrind's own memory
            print(f"| {name:<20} | {'fix' if fix else 'check':<5} | {_size(len(small)):>9} | {shown[0]:>{wide}.2f} | "
                  f"{_size(len(large)):>9} | {shown[1]:>{wide}.2f} | {ratio:>5.1f}x | {peak:>7} | {applied:>13} |",
                  flush=True)
    print(f"\nworst ratio {worst:.1f}x (limit 18x) in {time.perf_counter() - started:.0f} s")
    sys.exit(0 if worst <= 18 else 1)


def _size(chars: int) -> str:
    return f"{chars / (1 << 20):.1f} MB" if chars >= 1 << 20 else f"{chars / 1024:.0f} KB"


if __name__ == "__main__":
    main()
