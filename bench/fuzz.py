"""The fuzz run: at least 10,000 mutated corpus files through htmlfix (see tests/fuzzing.py for
the mutations and the properties checked), in parallel, each under a time limit.

    python bench/fuzz.py                      # 10,000 inputs, seed 1, all cores
    python bench/fuzz.py --count 50000 --seed 7 --save /tmp/fuzz-failures

Prints the number of inputs, of failures (expected: 0) and of inputs htmlfix refused as bad
input (an error result, which is correct behaviour), and the slowest inputs. With ``--save``,
each failing input is written there with its description, to reproduce with
``tests.fuzzing.make_input(seed, index)``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzzing import check_input, corpus_files, make_input  # noqa: E402


def _one(job: tuple[int, int, int]) -> tuple[int, float, int, str | None, str, bool]:
    seed, index, limit = job
    item = make_input(seed, index)
    started = time.perf_counter()
    outcome = check_input(item, time_limit=limit)
    return index, time.perf_counter() - started, len(item.data), outcome.problem, item.recipe, outcome.refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--time-limit", type=int, default=120, help="seconds per input before it counts as a hang")
    parser.add_argument("--save", type=Path, default=None, help="write failing inputs to this directory")
    options = parser.parse_args()
    print(f"fuzz: {options.count} inputs from {len(corpus_files())} corpus files, seed {options.seed}, "
          f"{options.jobs} processes, {options.time_limit} s limit per input")
    started = time.perf_counter()
    jobs = [(options.seed, index, options.time_limit) for index in range(options.count)]
    failures: list[tuple[int, str, str]] = []
    slowest: list[tuple[float, int, int, str]] = []
    refused = done = 0
    total_bytes = 0
    with multiprocessing.Pool(options.jobs) as pool:
        for index, seconds, size, problem, recipe, was_refused in pool.imap_unordered(_one, jobs, chunksize=8):
            done += 1
            total_bytes += size
            refused += was_refused
            slowest = sorted([*slowest, (seconds, index, size, recipe)], reverse=True)[:5]
            if problem is not None:
                failures.append((index, recipe, problem))
                print(f"FAIL input {index} ({recipe}): {problem.splitlines()[0]}", flush=True)
            if done % 1000 == 0:
                print(f"  {done} inputs, {len(failures)} failures, {time.perf_counter() - started:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"\n{done} inputs ({total_bytes / 1e6:.0f} MB) in {elapsed:.0f} s: {len(failures)} failures, "
          f"{refused} refused as bad input (an error result, as intended)")
    print("slowest inputs:")
    for seconds, index, size, recipe in slowest:
        print(f"  {seconds:6.2f} s  input {index}  {size / 1e3:.0f} KB  {recipe}")
    if failures and options.save:
        options.save.mkdir(parents=True, exist_ok=True)
        for index, recipe, problem in failures:
            item = make_input(options.seed, index)
            (options.save / item.name).write_bytes(item.data)
            (options.save / f"{item.name}.txt").write_text(f"{recipe}\n\n{problem}\n", encoding="utf-8")
        print(f"failing inputs written to {options.save}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
