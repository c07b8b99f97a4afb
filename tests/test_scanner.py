"""The C scanner (``htmlfix/_scanner.c``) against the pure-Python tokenizer loop it accelerates.

The Python loop is the reference: tests/test_tokens.py runs the WHATWG tokenizer suite against
both; here the two must give identical token columns on every shared file and on generated
markup built to reach every branch of the scanner.
"""

from __future__ import annotations

import importlib.util
import shutil
import sysconfig

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from htmlfix import tokens
from htmlfix.tokens import Kind, TokenStream

from .corpus import SHARED, require

needs_scanner = pytest.mark.skipif(tokens._scanner is None, reason="the C scanner is not built here")


def test_scanner_is_built_where_a_compiler_exists() -> None:
    """``pip install -e .`` builds the C scanner when the machine has a C compiler (the build
    is optional, so a failure there would otherwise show only as a slower tokenizer)."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}) on this machine: the pure-Python loop is used")
    assert importlib.util.find_spec("htmlfix._scanner") is not None


def _columns(stream: TokenStream) -> tuple[list[Kind], list[int], list[str], list[int]]:
    return stream.kinds, stream.starts, stream.names, stream.flags


def _both_loops_agree(text: str) -> None:
    for scripting in (True, False):
        reference = tokens._tokenize_python(text, scripting)
        accelerated = tokens._tokenize_with_scanner(text, scripting)
        assert _columns(accelerated) == _columns(reference), (text[:200], scripting)
    # ST004's view of the text with every <script/> repaired
    closed_by_python: list[int] = []
    closed_by_scanner: list[int] = []
    reference = tokens._tokenize_python(text, True, closed_by_python)
    accelerated = tokens._tokenize_with_scanner(text, True, closed_by_scanner)
    assert (_columns(accelerated), closed_by_scanner) == (_columns(reference), closed_by_python), text[:200]
    # ST012's view of the text with every damaged comment end repaired
    asked_by_python: list[int] = []
    asked_by_scanner: list[int] = []

    def ends_at_dash(asked: list[int]) -> tokens.CommentEnd:
        def end(text: str, start: int) -> int:
            asked.append(start)
            found = text.find("\u2013>", start + 4)
            return found + 2 if found >= 0 else -1

        return tokens._real_end_or(text, end)

    reference = tokens._tokenize_python(text, True, None, ends_at_dash(asked_by_python))
    accelerated = tokens._tokenize_with_scanner(text, True, None, ends_at_dash(asked_by_scanner))
    assert (_columns(accelerated), asked_by_scanner) == (_columns(reference), asked_by_python), text[:200]


@needs_scanner
def test_scanner_agrees_with_python_on_every_shared_file() -> None:
    """Every shared file (pages, exports, debris, html5lib-tests), decoded leniently and
    tokenized whole, gives the same columns."""
    base = require(SHARED)
    count = 0
    for path in sorted(base.rglob("*")):
        if path.is_file() and path.stat().st_size < 20_000_000:
            _both_loops_agree(path.read_bytes().decode("utf-8", "replace"))
            count += 1
    assert count > 500


# Pieces that reach every branch of the scanner: tags and their quoting, markup it hands back
# (comments, bogus comments, CDATA), raw-text and foreign elements, references, non-ASCII and
# upper-case names.
_PIECES = st.sampled_from(
    ["<", ">", "/", "</", "<!", "<?", "<!--", "-->", "--!>", "<![CDATA[", "]]>", "=", '"', "'", " ",
     "\n", "\t", "a", "B", "P", "div", "svg", "math", "b", "font", "script", "style", "title",
     "textarea", "noscript", "plaintext", "&", "&amp;", "&amp", "&#x41;", "&#65", "&copy", "&notin;",
     "\u0130", "\u00e9", "\x00", "x=1", "class", "/>", "\u2019", "\U0001f600", "\u2013>"]
)


@needs_scanner
@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=3), max_size=40).map("".join))
def test_scanner_agrees_with_python_on_generated_markup(text: str) -> None:
    _both_loops_agree(text)


@needs_scanner
@pytest.mark.parametrize(
    "text",
    [
        "<DIV CLASS=x>t</DIV>",  # names lower-cased, shared
        "<d\u0130v>",  # non-ASCII name: str.lower() rules
        "<a href='x>y'>",  # ">" inside a quoted value
        "<a b=c/>",  # "/" of an unquoted value: not self-closing
        "<br/ >",  # "/" not before ">"
        "<p/>",
        "<a href=\"never closed",  # to the end of input: dropped
        "<svg><script>x</script><p>y",  # foreign content and breakout
        "a &amp b &notit; c &#x41 <b>",  # references, legacy names without ";"
        "<" + "x" * 40 + ">" * 3,  # a long name is not kept in the name cache
        "<script/><p>a<title/>b<svg><style/></svg><textarea />",  # raw-text tags written self-closed
        "<!-- a --><!-- b \u2013> <p>c</p> <!-- d \u2013> e <!-- f <!--> <!-->",  # damaged comment ends
    ],
)
def test_scanner_agrees_with_python_on_edge_cases(text: str) -> None:
    _both_loops_agree(text)
