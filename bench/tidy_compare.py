"""HTML Tidy and ``htmlfix check --fix``, side by side on the same real pages.

    python bench/tidy_compare.py [--limit N] [--keep DIR]

Both tools repair copies of ``../shared/corpora/pages/readability/test-pages/*/source.html``
in place, each in its own temporary folder, and the results are compared with the originals:

* files whose DOM changed: html5lib's tree of the output differs from the original's (what a
  browser renders changed);
* lines changed: lines of the original deleted or rewritten, plus lines added;
* html5lib parse errors before and after: all of them, and the tree-construction ones (what
  the structural rules are about; the rest are tokenizer errors in entities, attributes and
  comments).

Tidy runs twice: with its defaults (``tidy -m``), and configured to change as little as it can
(no line wrapping, no generator meta tag, entities and empty elements kept). htmlfix runs its
real command line with safe fixes only: with its default rules (damage repairs change the
rendered text, by design), and with the structural rules alone (which must keep every DOM).

Tidy is the Debian package ``tidy`` (``apt-get install tidy``); without it the script says so
and exits 0 without measuring anything.
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from htmlfix.oracle import TREE_CODES, OracleUnavailable, dom_fingerprint, parse_errors  # noqa: E402

PAGES = ROOT.parent / "shared" / "corpora" / "pages" / "readability" / "test-pages"

TIDY_DEFAULT = ["-m", "-q", "-utf8", "--show-warnings", "no", "--show-info", "no", "--force-output", "yes"]
TIDY_MINIMAL = TIDY_DEFAULT + [
    "--wrap", "0", "--tidy-mark", "no", "--preserve-entities", "yes", "--drop-empty-elements", "no",
    "--drop-empty-paras", "no", "--fix-uri", "no", "--literal-attributes", "yes", "--quote-nbsp", "no",
]


@dataclass
class Outcome:
    tool: str
    files: int = 0
    changed_files: int = 0
    dom_changed: int = 0
    lines_changed: int = 0
    errors_before: int = 0
    errors_after: int = 0
    tree_before: int = 0
    tree_after: int = 0
    failed: int = 0
    seconds: float = 0.0


def lines_changed(before: str, after: str) -> int:
    """Lines of ``before`` deleted or rewritten, plus lines added."""
    old, new = before.splitlines(), after.splitlines()
    changed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            changed += max(i2 - i1, j2 - j1)
    return changed


@lru_cache(maxsize=None)
def error_counts(text: str) -> tuple[int, int]:
    """(all html5lib parse errors, tree-construction errors only)."""
    try:
        codes = [code for _, _, code, _ in parse_errors(text)]
    except OracleUnavailable:
        return 0, 0
    return len(codes), sum(1 for code in codes if code in TREE_CODES)


@lru_cache(maxsize=None)
def fingerprint(text: str) -> str:
    try:
        return dom_fingerprint(text)
    except OracleUnavailable:
        return ""


def same_dom(before: str, after: str) -> bool:
    reference = fingerprint(before)
    return bool(reference) and reference == fingerprint(after)


def run_tool(name: str, originals: dict[str, str], folder: Path, repair: Callable[[Path], bool]) -> Outcome:
    outcome = Outcome(name)
    for page, text in originals.items():
        (folder / f"{page}.html").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    ok = repair(folder)
    outcome.seconds = time.perf_counter() - start
    if not ok:
        outcome.failed = len(originals)
    for page, before in originals.items():
        after = (folder / f"{page}.html").read_text(encoding="utf-8", errors="replace")
        outcome.files += 1
        all_before, tree_before = error_counts(before)
        all_after, tree_after = error_counts(after)
        outcome.errors_before += all_before
        outcome.errors_after += all_after
        outcome.tree_before += tree_before
        outcome.tree_after += tree_after
        if after == before:
            continue
        outcome.changed_files += 1
        outcome.lines_changed += lines_changed(before, after)
        if not same_dom(before, after):
            outcome.dom_changed += 1
    return outcome


def tidy(options: list[str]) -> Callable[[Path], bool]:
    def repair(folder: Path) -> bool:
        files = sorted(str(path) for path in folder.glob("*.html"))
        # exit status 1 means warnings, 2 errors: Tidy still writes with --force-output
        result = subprocess.run(["tidy", *options, *files], capture_output=True, text=True, check=False)
        return result.returncode in (0, 1, 2)

    return repair


def htmlfix_fix(*options: str) -> Callable[[Path], bool]:
    def repair(folder: Path) -> bool:
        result = subprocess.run(
            [sys.executable, "-m", "htmlfix", "check", "--fix", "--no-cache", "--exit-zero", "--quiet", *options,
             str(folder)],
            capture_output=True, text=True, check=False, cwd=ROOT,
        )
        return result.returncode == 0

    return repair


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--keep", type=Path, help="keep the repaired copies in this folder")
    args = parser.parse_args()
    if shutil.which("tidy") is None:
        print("HTML Tidy is not installed (Debian/Ubuntu: apt-get install tidy); nothing to compare.")
        return 0
    pages = sorted(PAGES.glob("*/source.html"))
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        print(f"no pages under {PAGES}; nothing to compare")
        return 0
    originals = {path.parent.name: path.read_text(encoding="utf-8", errors="replace") for path in pages}
    version = subprocess.run(["tidy", "-v"], capture_output=True, text=True, check=False).stdout.strip()
    outcomes = []
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        for name, repair in (
            ("tidy (defaults)", tidy(TIDY_DEFAULT)),
            ("tidy (minimal changes)", tidy(TIDY_MINIMAL)),
            # Every default rule: damage repairs (debris, spacing, entities) change the text by
            # design; structural fixes alone must keep every DOM.
            ("htmlfix check --fix", htmlfix_fix()),
            ("htmlfix --fix --select ST", htmlfix_fix("--select", "ST")),
        ):
            folder = base / name.split()[0] / ("minimal" if "minimal" in name else "ST" if "ST" in name else "default")
            folder.mkdir(parents=True, exist_ok=True)
            outcomes.append(run_tool(name, originals, folder, repair))
    print(f"{len(pages)} readability pages; {version}")
    print(f"{'tool':26} {'files changed':>13} {'DOM changed':>11} {'lines changed':>13} "
          f"{'html5lib errors':>15} {'of them tree errors':>19} {'seconds':>8}")
    for o in outcomes:
        note = f" ({o.failed} failed)" if o.failed else ""
        print(f"{o.tool:26} {o.changed_files:13} {o.dom_changed:11} {o.lines_changed:13} "
              f"{f'{o.errors_before} -> {o.errors_after}':>15} {f'{o.tree_before} -> {o.tree_after}':>19} "
              f"{o.seconds:8.1f}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
