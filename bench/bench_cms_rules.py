"""Cost of the CMS (CM) and WordPress (WP) rules, as a ratio against the tokenizer.

Every check tokenizes the text first, so the tokenizer is the peer: run in the same process on
the same texts, it shows what the rules add on top of the one pass every rule shares.

    python bench/bench_cms_rules.py            # the 130 readability pages
    python bench/bench_cms_rules.py --scaling  # also: damaged inputs of 0.5 and 2 MB (linear?)

Needs ../shared/corpora (the readability pages). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from htmlfix.config import Settings
from htmlfix.document import Document, Mode
from htmlfix.engine import Linter
from htmlfix.rules.base import run_rules
from htmlfix.tokens import tokenize

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "corpora" / "pages" / "readability" / "test-pages"
SELECTION = ("CM", "WP")


def rules_time(texts: list[str], target: str, select: tuple[str, ...], repeat: int) -> tuple[float, float]:
    """Best times of (tokenizing every text, running the rules on the tokenized documents).

    Fresh documents each round, so nothing the rules share through ``doc.memo`` is reused."""
    rules = Linter(Settings(select=select, target=target)).rules
    best_tokens = best_rules = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        documents = [Document(text, Mode.HTML, Settings(target=target)) for text in texts]
        for document in documents:
            document.tokens  # noqa: B018 - the shared pass every check makes first
        middle = time.perf_counter()
        for document in documents:
            for _diagnostic in run_rules(document, rules):
                pass
        end = time.perf_counter()
        best_tokens = min(best_tokens, middle - start)
        best_rules = min(best_rules, end - middle)
    return best_tokens, best_rules


def readability(repeat: int) -> None:
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(PAGES.glob("*/source.html"))]
    if not texts:
        sys.exit(f"no pages under {PAGES}")
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    print(f"{len(texts)} readability pages (source.html), {megabytes:.1f} MB; best of {repeat}")
    for target in ("generic", "wordpress", "static"):
        tokens, rules = rules_time(texts, target, SELECTION, repeat)
        print(
            f"  target {target:9s}: tokenizer (peer) {tokens:5.2f} s = {megabytes / tokens:5.1f} MB/s;"
            f" all CM/WP rules {rules:5.2f} s = {100 * rules / tokens:5.1f}% of the tokenizer"
        )
    for rule in Linter(Settings(select=SELECTION, target="static")).rules:
        tokens, rules = rules_time(texts, "static", (rule.code,), repeat)
        print(f"    {rule.code} {rule.name:30s} {100 * rules / tokens:5.1f}% of the tokenizer")


def best_of(repeat: int, run: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return min(timings)


#: Damaged or adversarial inputs: many candidates for the rules' regexes, none of them cheap.
DAMAGE = {
    "open brackets": "[a b=" * 5 + "text ",
    "shortcode pairs": '[vc_row][caption width="3"]<img src=x>t[/caption]',
    "block debris": 'wp:x {"a":[1,2' + "\n<!-- wp:y\n",
    "nbsp runs": "word&nbsp; &nbsp;word. \xa0 ",
    "empty paragraphs": "<p>&nbsp;</p><p></p><p><div>",
    "wpautop": "<p>[gallery]</p></div><br />",
}


def scaling(repeat: int) -> None:
    """The rules alone (on tokenized documents, diagnostics consumed as they come) must be
    linear in the size of a damaged input, however many candidates it holds."""
    rules = Linter(Settings(select=SELECTION, target="static")).rules

    def rules_on(text: str) -> Callable[[], int]:
        def run() -> int:
            document = Document(text, Mode.HTML, Settings(target="static"))
            document.tokens  # noqa: B018 - tokenized outside the timing below
            start = time.perf_counter()
            count = sum(1 for _ in run_rules(document, rules))
            timings.append(time.perf_counter() - start)
            return count
        return run

    print("damaged inputs: time of the CM/WP rules for 2 MB / for 0.5 MB (linear: about 4)")
    for name, unit in DAMAGE.items():
        small = unit * (500_000 // len(unit))
        large = unit * (2_000_000 // len(unit))
        timings: list[float] = []
        found = max(rules_on(small)() for _ in range(repeat))
        one = min(timings)
        timings = []
        for _ in range(repeat):
            rules_on(large)()
        four = min(timings)
        print(f"  {name:17s} 0.5 MB {one:6.2f} s ({found:6d} findings)  2 MB {four:6.2f} s  ratio {four / one:4.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scaling", action="store_true")
    parser.add_argument("--only-scaling", action="store_true")
    arguments = parser.parse_args()
    if not arguments.only_scaling:
        readability(arguments.repeat)
    if arguments.scaling or arguments.only_scaling:
        scaling(1)


if __name__ == "__main__":
    main()
