"""Every rule case repeated n and 4n times: flags a case whose 4x input takes far more than 4x
the time, the quick way to find a quadratic path before a user's file does.

Each case input of ``fixtures/rules/*.toml`` is repeated in three shapes: back to back (one
long line when the case is one line), one copy per line, and inside one ``<div>``. ``n``
doubles until the 1x run takes ``--min-seconds``; the 4x run must stay within ``--limit``
times its time. All rules run, with unsafe fixes.

    python bench/case_scaling.py                     # check, every case (~3 min on 2 cores)
    python bench/case_scaling.py --fix --min-seconds 0.25
    python bench/case_scaling.py --only ST004

CPU seconds on a busy machine are noisy: re-run a flagged case on its own before trusting it.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from htmlfix.config import Settings  # noqa: E402
from htmlfix.document import Mode  # noqa: E402
from htmlfix.engine import Linter  # noqa: E402
from htmlfix.fixer import ConvergenceError  # noqa: E402

SHAPES: dict[str, Callable[[str, int], str]] = {
    "concat": lambda unit, n: unit * n,
    "lines": lambda unit, n: (unit.rstrip("\n") + "\n") * n,
    "in-div": lambda unit, n: "<div>" + unit.replace("\n", " ") * n + "</div>",
}


def _cases(only: list[str]) -> list[tuple[str, str, Mode]]:
    cases = []
    for path in sorted((ROOT / "fixtures" / "rules").glob("*.toml")):
        if only and path.stem not in only:
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data.get("case", []) + data.get("noop", []):
            if "input" in case:
                mode = Mode(case.get("mode", "html"))
                cases.append((f"{path.stem}:{case.get('id', '?')}", case["input"], mode))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fix", action="store_true", help="time Linter.fix instead of Linter.check")
    parser.add_argument("--min-seconds", type=float, default=0.05, help="grow n until the 1x run takes this long")
    parser.add_argument("--max-chars", type=int, default=2_000_000, help="or until the 1x input is this long")
    parser.add_argument("--limit", type=float, default=6.5, help="flag a 4x run that takes longer than this")
    parser.add_argument("--only", action="append", default=[], help="only the cases of this rule code")
    options = parser.parse_args()
    linter = Linter(Settings(select=("ALL",), unsafe_fixes=True))
    run = linter.fix if options.fix else linter.check

    def seconds(text: str, mode: Mode) -> float:
        started = time.process_time()
        run(text, mode)
        return time.process_time() - started

    cases = _cases(options.only)
    flagged = 0
    started = time.perf_counter()
    for name, unit, mode in cases:
        for shape, make in SHAPES.items():
            if shape == "in-div" and mode is not Mode.HTML:
                continue
            n = max(1, 2000 // max(len(unit), 1))
            try:
                while (base := seconds(make(unit, n), mode)) < options.min_seconds and len(unit) * n < options.max_chars:
                    n *= 2
                ratio = seconds(make(unit, 4 * n), mode) / max(base, 1e-4)
            except ConvergenceError as exc:
                flagged += 1
                print(f"{name} ({shape}): {exc}", flush=True)
                continue
            if ratio > options.limit:
                flagged += 1
                print(f"{name} ({shape}, {mode.value}): {len(unit) * n / 1e3:.0f} KB {base:.3f} s, "
                      f"4x the input {ratio:.1f}x the time", flush=True)
    print(f"{len(cases)} cases, {flagged} flagged, in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
