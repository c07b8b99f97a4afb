"""Cost of rule families on the 130 readability pages, as a ratio to the tokenizer alone.

    python bench/rule_families_cost.py [FAMILY_OR_CODE ...]   (default: EN OF TY)

For each selection, lints every ``source.html`` in HTML mode (best of 5 runs, process CPU time, so other processes on the machine matter less) and prints the
throughput next to ``tokenize()`` over the same pages in the same process, which every check
pays anyway; the ratio is what the selected rules add on top of tokenizing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from htmlfix.config import Settings
from htmlfix.document import Mode
from htmlfix.engine import Linter
from htmlfix.tokens import tokenize

PAGES = Path(__file__).resolve().parent.parent.parent / "shared/corpora/pages/readability/test-pages"


def best_of(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def main(selections: list[str]) -> int:
    texts = [p.read_text(encoding="utf-8") for p in sorted(PAGES.glob("*/source.html"))]
    if not texts:
        print(f"no pages under {PAGES}", file=sys.stderr)
        return 2
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    tokenizer = best_of(5, lambda: [tokenize(t) for t in texts])
    print(f"{len(texts)} pages, {megabytes:.1f} MB; tokenize alone: {megabytes / tokenizer:.1f} MB/s")
    for selection in selections:
        linter = Linter(Settings(select=tuple(selection.split(","))))
        linter.lint(texts[0], Mode.HTML)  # warm up imports (ftfy)
        seconds = best_of(5, lambda: [linter.lint(t, Mode.HTML) for t in texts])
        print(
            f"{selection:>12}: {megabytes / seconds:6.1f} MB/s, {seconds / tokenizer:.2f}x the tokenizer's time "
            f"(rules add {max(seconds - tokenizer, 0) * 1000:.0f} ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["EN", "OF", "TY", "EN,OF,TY"]))
