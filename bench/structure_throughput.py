"""Throughput of the structural (ST) rules on the readability pages, against the tokenizer.

    python bench/structure_throughput.py [--repeat N]

Runs in one process over ``../shared/corpora/pages/readability/test-pages/*/source.html``:
the tokenizer alone (the floor every check pays), the tree model alone, each ST rule alone
(with its own tokenize and model, as a user selecting it would), and ``check`` with every
default ST rule. Each configuration is timed right after a tokenizer run, N times, and the
median of the ratios is reported (the machine may be shared: ratios measured side by side
are steadier than absolute times); MB/s comes from the fastest run. It also checks that
running the ST rules did not import html5lib.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from htmlfix.config import Settings  # noqa: E402
from htmlfix.document import Mode  # noqa: E402
from htmlfix.engine import Linter  # noqa: E402
from htmlfix.registry import all_rules  # noqa: E402
from htmlfix.structure.treemodel import build_tree_model  # noqa: E402
from htmlfix.tokens import tokenize  # noqa: E402

PAGES = ROOT.parent / "shared" / "corpora" / "pages" / "readability" / "test-pages"


def timed(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def against(repeat: int, base: Callable[[], None], run: Callable[[], None]) -> tuple[float, float]:
    """(median ratio of ``run`` to ``base`` timed side by side, fastest ``run``)."""
    ratios, fastest = [], float("inf")
    for _ in range(repeat):
        reference = timed(base)
        seconds = timed(run)
        ratios.append(seconds / reference)
        fastest = min(fastest, seconds)
    return statistics.median(ratios), fastest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(PAGES.glob("*/source.html"))
    if not files:
        print(f"no pages under {PAGES}; nothing to measure")
        return 0
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6

    def tokenizer() -> None:
        for text in texts:
            tokenize(text)

    def model() -> None:
        for text in texts:
            build_tree_model(tokenize(text))

    def linter(codes: tuple[str, ...]) -> Callable[[], None]:
        check = Linter(Settings(select=codes)).check  # what the CLI and htmlfix.check() run
        return lambda: [check(text, Mode.HTML) for text in texts]

    configurations: list[tuple[str, Callable[[], None]]] = [
        ("tokenizer alone", tokenizer),
        ("tokenizer + tree model", model),
    ]
    # ST011 looks at the last token only: what any check costs (tokens, positions, sorting)
    for code in (rule.code for rule in all_rules() if rule.code.startswith("ST")):
        configurations.append((f"check --select {code}", linter((code,))))
    default = tuple(rule.code for rule in all_rules() if rule.code.startswith("ST") and rule.default_enabled)
    configurations.append(("check, all default ST rules", linter(default)))
    print(f"{len(files)} pages, {megabytes:.1f} MB; median of {args.repeat} side-by-side runs")
    print(f"{'':32} {'x tokenizer':>12} {'MB/s':>7}")
    for label, run in configurations:
        ratio, fastest = against(args.repeat, tokenizer, run)
        print(f"{label:32} {ratio:12.2f} {megabytes / fastest:7.1f}")
    imported = sorted(name for name in sys.modules if name.startswith("html5lib"))
    print("html5lib imported:", "yes" if imported else "no")
    return 0


if __name__ == "__main__":
    sys.exit(main())
