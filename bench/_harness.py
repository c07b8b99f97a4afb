"""Shared pieces of the benchmark scripts: running a command in a fresh process and measuring
its wall time and peak memory, the corpus paths, and building a large WXR export.

Not a test module: nothing here runs in CI.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
PAGES = CORPORA / "pages" / "readability" / "test-pages"
WXR_SOURCES = [
    CORPORA / "wordpress-wxr" / "theme-test-data" / "themeunittestdata.wordpress.xml",
    CORPORA / "wordpress-wxr" / "theme-test-data" / "64-block-test-data.xml",
    CORPORA / "wordpress-wxr" / "a11y-theme-unit-test" / "a11y-theme-unit-test-data.xml",
]
_ITEM = re.compile(rb"<item>.*?</item>\s*", re.S)
_POST_ID = re.compile(rb"<wp:post_id>\d+</wp:post_id>")

# Runs one command (or ``copies`` of it at once) in this (fresh) process's children and reports
# the wall time until all have finished and the peak RSS of the largest member of their process
# trees (RUSAGE_CHILDREN counts only this wrapper's children, so every measurement starts from
# zero).
_MEASURE = """
import json, resource, subprocess, sys, time
args, cwd, timeout, copies = json.loads(sys.argv[1])
start = time.perf_counter()
children = [subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(copies)]
code, timed_out = 0, False
for child in children:
    try:
        code = code or child.wait(timeout=max(timeout - (time.perf_counter() - start), 0.1)
                                  if timeout else None)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        code, timed_out = -1, True
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps([elapsed, peak, code, timed_out]))
"""


@dataclass
class Run:
    """One measured command: wall seconds, peak RSS in MB, exit code."""

    seconds: float
    peak_mb: float
    code: int
    timed_out: bool = False


def measure(args: list[str], *, cwd: Path | None = None, timeout: float | None = None, copies: int = 1) -> Run:
    """Run ``args`` in a fresh wrapper process; its wall time and peak memory. With
    ``copies``, that many processes of it at once, timed until the last one ends."""
    spec = json.dumps([args, str(cwd) if cwd else None, timeout, copies])
    out = subprocess.run([sys.executable, "-c", _MEASURE, spec], capture_output=True, text=True, check=True)
    elapsed, peak, code, timed_out = json.loads(out.stdout)
    return Run(elapsed, peak, code, timed_out)


def readability_sources() -> list[Path]:
    """The 130 real pages (``source.html``), or exit with a message when the corpus is absent."""
    if not PAGES.exists():
        sys.exit(f"corpus not found: {PAGES} (the shared corpora sit beside the project)")
    return sorted(PAGES.glob("*/source.html"))


def build_wxr(target: Path, size: int) -> int:
    """Write a WXR export of at least ``size`` bytes by repeating the real posts of the
    WordPress corpus (each copy with a new post id); return the number of items."""
    missing = [s for s in WXR_SOURCES if not s.exists()]
    if missing:
        sys.exit(f"corpus not found: {missing[0]}")
    header = trailer = b""
    items: list[bytes] = []
    for source in WXR_SOURCES:
        data = source.read_bytes()
        found = list(_ITEM.finditer(data))
        if not header:
            header, trailer = data[: found[0].start()], data[found[-1].end():]
        items.extend(match.group() for match in found)
    written, count, post_id = 0, 0, 1_000_000
    with open(target, "wb") as out:
        out.write(header)
        while written < size:
            for body in items:
                post_id += 1
                chunk = _POST_ID.sub(b"<wp:post_id>%d</wp:post_id>" % post_id, body, count=1)
                out.write(chunk)
                written += len(chunk)
                count += 1
        out.write(trailer)
    return count


def same_content(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes (read in chunks: they may be large)."""
    with open(a, "rb") as first, open(b, "rb") as second:
        while True:
            x, y = first.read(1 << 20), second.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


@contextlib.contextmanager
def work_directory(prefix: str, *, keep: bool = False) -> Iterator[Path]:
    """A temporary directory, removed afterwards unless ``keep``."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield work
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
