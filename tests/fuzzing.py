"""Fuzzing htmlfix with mutated corpus files: byte flips, truncations, splices of two files,
inserted markup fragments. Used by ``tests/test_fuzz.py`` (a small seeded sample) and
``bench/fuzz.py`` (10,000 inputs and more).

Input ``i`` of a run with seed ``s`` is a pure function of ``(s, i)`` and the corpus, so any
failure can be reproduced with ``make_input(seed, i)`` alone.

What is checked for every input (:func:`check_input`), as a file of the kind its source had
(HTML, text, Markdown, a WXR export, a JSON export):

* checking and fixing never raise (bad bytes are an error result, never an exception), and
  never run past a time limit (no hang, no superlinear blow-up);
* the fixed file decodes, and fixing it again changes nothing;
* the tokenizer joins back into the decoded text.
"""

from __future__ import annotations

import random
import signal
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from htmlfix.config import Settings
from htmlfix.engine import Linter
from htmlfix.runner import process_bytes
from htmlfix.source import DecodeError, decode
from htmlfix.tokens import tokenize, untokenize

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"

#: Byte strings that mean something to some reader: markup starts and ends, CDATA and comment
#: delimiters, references, escapes, line breaks, bytes that are not UTF-8.
FRAGMENTS = [
    b"<", b">", b"</", b"/>", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"]]]]><![CDATA[>", b"&", b"&amp;",
    b"&#", b"&#x", b";", b'"', b"'", b"=", b"\r", b"\n", b"\r\n", b"\x00", b"\xff", b"\xc3", b"\xe2\x80",
    b"<item>", b"</item>", b"<content:encoded>", b"</content:encoded>", b"<script>", b"</script>",
    b"<svg>", b"<table>", b"<td>", b"<p>", b"</p>", b"< strong >", b"< / li >", b"td >", b"\\u00e9",
    b'{"', b'"}', b"\\", b"[caption]", b"<!-- wp:", b"\xef\xbb\xbf", b"<o:p>", b"mso-",
]
_SUFFIXES = {".html": ".html", ".htm": ".html", ".xhtml": ".html", ".txt": ".txt", ".md": ".md",
             ".xml": ".xml", ".json": ".json", ".dat": ".html", ".test": ".html"}
#: Windows of large files: mutations of a 2 MB page exercise nothing a 128 KB window does not,
#: at a sixteenth of the time.
WINDOW = 128 * 1024


@lru_cache(maxsize=1)
def corpus_files() -> tuple[Path, ...]:
    """The files inputs are made from (sorted, so a seed means the same inputs everywhere)."""
    roots = [
        CORPORA / "pages" / "readability" / "test-pages",
        CORPORA / "wordpress-wxr",
        CORPORA / "cms-exports",
        CORPORA / "debris",
        CORPORA / "html5lib-tests" / "tree-construction",
        ROOT.parent / "shared" / "seed",
        ROOT / "fixtures" / "examples",
    ]
    found = [p for root in roots if root.exists() for p in root.rglob("*")
             if p.is_file() and p.suffix.lower() in _SUFFIXES and p.stat().st_size <= 8 << 20]
    return tuple(sorted(found))


@lru_cache(maxsize=64)
def _read(path: Path) -> bytes:
    return path.read_bytes()


@dataclass
class FuzzInput:
    index: int
    name: str  # a file name whose extension chooses the reader
    data: bytes
    recipe: str  # how it was made, for the report


def make_input(seed: int, index: int) -> FuzzInput:
    """Input ``index`` of the run with ``seed``."""
    rng = random.Random(f"{seed}:{index}")
    files = corpus_files()
    if not files:
        raise RuntimeError(f"no corpus files under {CORPORA}")
    source = rng.choice(files)
    data = _window(rng, _read(source))
    steps = [f"{source.relative_to(source.parents[2])}"]
    for _ in range(rng.randint(1, 4)):
        how = rng.choice(("flip", "truncate", "splice", "insert", "delete", "duplicate"))
        data = _MUTATORS[how](rng, data)
        steps.append(how)
    if rng.random() < 0.7:
        # Most inputs stay valid UTF-8 (bad bytes become U+FFFD), or nearly every mutated file
        # would stop at the decoder instead of reaching the readers and rules.
        data = data.decode("utf-8", "replace").encode("utf-8")
        steps.append("as-utf-8")
    suffix = _SUFFIXES[source.suffix.lower()]
    return FuzzInput(index, f"fuzz-{seed}-{index}{suffix}", data, " ".join(steps))


def _window(rng: random.Random, data: bytes) -> bytes:
    if len(data) <= WINDOW or rng.random() < 0.05:
        return data
    start = rng.randrange(len(data) - WINDOW)
    return data[start : start + WINDOW]


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        position = rng.randrange(len(out))
        out[position] = rng.randrange(256) if rng.random() < 0.5 else out[position] ^ (1 << rng.randrange(8))
    return bytes(out)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, len(data))] if rng.random() < 0.7 else data[rng.randint(0, len(data)):]


def _splice(rng: random.Random, data: bytes) -> bytes:
    other = _window(rng, _read(rng.choice(corpus_files())))
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)):]


def _insert(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 6)):
        position = rng.randint(0, len(data))
        data = data[:position] + rng.choice(FRAGMENTS) + data[position:]
    return data


def _delete(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 64):]


def _duplicate(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 4096)]
    return data[:start] + piece * rng.randint(2, 20) + data[start:]


_MUTATORS = {"flip": _flip, "truncate": _truncate, "splice": _splice, "insert": _insert,
             "delete": _delete, "duplicate": _duplicate}


@dataclass
class Outcome:
    """What one input did: ``problem`` describes a failure (None: every property held);
    ``refused`` is True when htmlfix rejected the input as bad bytes (correct behaviour)."""

    problem: str | None = None
    refused: bool = False


class Hang(Exception):
    """An input took longer than the time limit."""


@lru_cache(maxsize=1)
def _linter() -> Linter:
    return Linter(Settings())


def check_input(item: FuzzInput, time_limit: int = 0) -> Outcome:
    """Run the properties on one input; a failure is described in ``problem`` (with the
    traceback of an exception). ``time_limit`` seconds (0: none) bound it, through SIGALRM."""
    def expire(signum: int, frame: object) -> None:
        raise Hang(f"more than {time_limit} s")

    previous = signal.signal(signal.SIGALRM, expire) if time_limit else None
    if time_limit:
        signal.alarm(time_limit)
    try:
        return _properties(item)
    except Hang as exc:
        return Outcome(f"hang: {exc}")
    except Exception:
        return Outcome("exception:\n" + traceback.format_exc())
    finally:
        if time_limit:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)


def _properties(item: FuzzInput) -> Outcome:
    linter = _linter()
    checked = process_bytes(item.name, item.data, linter)
    fixed = process_bytes(item.name, item.data, linter, fix=True)
    if checked.error is not None:
        return Outcome(refused=True)  # bad input reported as an error: what should happen
    if fixed.error is not None:
        # A fix a legacy encoding cannot hold is refused (the file is left as it was); any
        # other error after a clean check is a bug (a write-back that did not read back).
        return Outcome(None if "cannot encode" in fixed.error else f"fixing failed: {fixed.error}")
    if fixed.changed:
        assert fixed.output is not None
        again = process_bytes(item.name, fixed.output, linter, fix=True)
        if again.error is not None:
            return Outcome(f"the fixed file does not read back: {again.error}")
        if again.changed:
            return Outcome("fixing the fixed file changed it again")
    try:
        text = decode(item.data).text
    except DecodeError:
        return Outcome()
    if untokenize(tokenize(text)) != text:
        return Outcome("the tokens do not join back into the text")
    return Outcome()


def inputs(seed: int, count: int, start: int = 0) -> Iterator[FuzzInput]:
    for index in range(start, start + count):
        yield make_input(seed, index)
