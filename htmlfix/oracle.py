"""html5lib as the oracle for what a browser builds: DOM fingerprints and parse errors.

html5lib implements the WHATWG tree-construction algorithm and is tested against the same
html5lib-tests suite, so two texts with the same html5lib tree render the same in browsers.
It is slow (about 5 MB/s), so ``check`` never calls it (this module imports html5lib only inside
its functions); the fixer calls it only to verify fixes that claim to keep the DOM unchanged
(``Fix.keeps_dom``), and the tests use it as the reference for htmlfix's own tree model.

Its error positions are approximate (usually the end of the offending token) and are never used
as edit coordinates; :func:`tree_errors` maps them onto htmlfix's tokens for comparisons.

Parses are cached by text for the passes of one fix (the text before a pass is the text after
the previous one; the engine calls :func:`forget` when a text is fixed), and documents are
parsed as browsers do: with scripting enabled (``<noscript>`` content is text).
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from .document import Mode
from .fixer import Unverifiable, apply_edits
from .model import Fix
from .structure.treemodel import BOM
from .structure.treemodel import is_full_document as _stream_is_full_document
from .tokens import END_TAG, START_TAG, TokenStream, tokenize

__all__ = [
    "EOF_CODES",
    "OracleUnavailable",
    "TREE_CODES",
    "dom_fingerprint",
    "forget",
    "is_full_document",
    "parse_errors",
    "tree_errors",
    "verify_fixes",
]

#: Beyond this size, or this nesting depth, html5lib's recursion and run time stop being
#: reliable, so the fixer declines to verify (and so to apply) fixes that need the oracle.
MAX_ORACLE_CHARS = 8_000_000
MAX_ORACLE_DEPTH = 400

#: html5lib's tree-construction error codes (the rest come from its tokenizer).
TREE_CODES = frozenset(
    """adoption-agency-1.2 adoption-agency-1.3 adoption-agency-4.4 char-in-head-noscript
    deprecated-tag end-tag-after-implied-root end-tag-too-early end-tag-too-early-ignored
    end-tag-too-early-named eof-in-frameset eof-in-head-noscript eof-in-select eof-in-table
    expected-closing-tag-but-got-eof expected-doctype-but-got-chars expected-doctype-but-got-end-tag
    expected-doctype-but-got-eof expected-doctype-but-got-start-tag expected-eof-but-got-char
    expected-eof-but-got-end-tag expected-eof-but-got-start-tag expected-named-closing-tag-but-got-eof
    expected-one-end-tag-but-got-another no-end-tag non-html-root non-void-element-with-trailing-solidus
    two-heads-are-not-better-than-one unexpected-cell-end-tag unexpected-cell-in-table-body
    unexpected-char-after-body unexpected-char-after-frameset unexpected-char-in-frameset
    unexpected-doctype unexpected-end-tag unexpected-end-tag-after-body
    unexpected-end-tag-after-body-innerhtml unexpected-end-tag-after-frameset
    unexpected-end-tag-before-html unexpected-end-tag-implies-table-voodoo
    unexpected-end-tag-in-frameset unexpected-end-tag-in-select unexpected-end-tag-in-table-body
    unexpected-end-tag-in-table-row unexpected-end-tag-treated-as unexpected-form-in-table
    unexpected-frameset-in-frameset-innerhtml unexpected-hidden-input-in-table
    unexpected-html-element-in-foreign-content unexpected-implied-end-tag-in-table
    unexpected-implied-end-tag-in-table-row unexpected-inhead-noscript-tag unexpected-input-in-select
    unexpected-select-in-select unexpected-start-tag unexpected-start-tag-after-body
    unexpected-start-tag-after-frameset unexpected-start-tag-ignored
    unexpected-start-tag-implies-end-tag unexpected-start-tag-implies-table-voodoo
    unexpected-start-tag-in-frameset unexpected-start-tag-in-select
    unexpected-start-tag-out-of-my-head unexpected-start-tag-treated-as
    unexpected-table-element-end-tag-in-select-in-table
    unexpected-table-element-start-tag-in-select-in-table unknown-doctype XXX-undefined-error""".split()
)
#: Errors html5lib reports at the end of the input rather than at a token.
EOF_CODES = frozenset(
    """eof-in-frameset eof-in-select eof-in-table expected-closing-tag-but-got-eof
    expected-doctype-but-got-eof expected-named-closing-tag-but-got-eof eof-in-head-noscript""".split()
)
_LINE_BREAK = re.compile(r"\r\n?|\n")


class OracleUnavailable(Unverifiable):
    """The input is too large or too deep for html5lib to be a trustworthy oracle, or
    html5lib does not finish it."""


def is_full_document(text: str) -> bool:
    """Whether ``text`` is a whole HTML document (doctype, ``<html>`` or ``<head>`` first), not
    a fragment (see :func:`htmlfix.structure.treemodel.is_full_document`)."""
    return _stream_is_full_document(tokenize(text[:65536]))


#: html5lib steps (a token handed to an insertion mode) allowed per character of input, and
#: in all: a token is handed on a few times at most (the first one ~6 times, through the
#: modes that build html, head and body), so only a loop reaches this.
STEPS_PER_CHAR = 16
STEPS_EXTRA = 4096


def _parser(steps: int) -> Any:
    """html5lib's parser, stopped with :class:`OracleUnavailable` after ``steps`` steps.

    html5lib 1.1 loops forever on some foreign content in tables
    (``<table><tfoot><math><tbody></table>``: it clears the stack back to a table body
    context by tag name alone, stops at the MathML ``tbody``, and hands ``</table>`` back
    unchanged). The fixer must not hang on a file it could check in milliseconds, so each of
    the parser's insertion modes counts the tokens it is handed."""
    import html5lib

    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=True)
    left = [steps]
    parser.phases = {name: _CountedPhase(phase, left) for name, phase in parser.phases.items()}
    return parser


def _counted(method: str) -> Callable[..., Any]:
    """A :class:`_CountedPhase` method: spend a step, then hand the token to the mode."""

    def process(self: _CountedPhase, *token: Any) -> Any:
        self._spend()
        return getattr(self._phase, method)(*token)

    process.__name__ = method
    return process


class _CountedPhase:
    """One of html5lib's insertion modes, spending a step of a shared budget per token.

    Everything else goes to the mode itself. The parser reaches its modes only through
    ``parser.phases`` (and ``parser.phase``, set from it), so the modes compare equal as
    before; a test compares the trees with and without the count on html5lib-tests."""

    __slots__ = ("_phase", "_left")

    def __init__(self, phase: Any, left: list[int]) -> None:
        object.__setattr__(self, "_phase", phase)
        object.__setattr__(self, "_left", left)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._phase, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._phase, name, value)  # e.g. in-table-text's originalPhase

    def _spend(self) -> None:
        left = self._left
        left[0] -= 1
        if left[0] < 0:
            raise OracleUnavailable("the fix verifier (html5lib) does not finish on this text: a known html5lib loop")

    # html5lib's names for handing a mode a token (processEOF takes none)
    processStartTag = _counted("processStartTag")
    processEndTag = _counted("processEndTag")
    processCharacters = _counted("processCharacters")
    processSpaceCharacters = _counted("processSpaceCharacters")
    processComment = _counted("processComment")
    processDoctype = _counted("processDoctype")
    processEOF = _counted("processEOF")


@lru_cache(maxsize=8)
def _parse(text: str) -> tuple[Any, Any]:
    """html5lib's parser (with its errors) and tree for ``text``; cached, since the fixer asks
    about the same texts again (the text after one pass is the text before the next).

    A leading byte-order mark is left out, as browsers drop it while decoding (html5lib, given
    a string, would read it as text before the doctype); error positions are not shifted here.
    """
    if text.startswith(BOM):
        text = text[1:]
    if len(text) > MAX_ORACLE_CHARS:
        raise OracleUnavailable(f"the text ({len(text):,} characters) is beyond the limit of the fix verifier")
    parser = _parser(STEPS_PER_CHAR * len(text) + STEPS_EXTRA)
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(limit, 10_000))
        if is_full_document(text):
            tree = parser.parse(text, scripting=True)
        else:
            tree = parser.parseFragment(text, container="body", scripting=True)
    except RecursionError as exc:
        raise OracleUnavailable("the text is nested too deeply for the fix verifier") from exc
    finally:
        sys.setrecursionlimit(limit)
    return parser, tree


@lru_cache(maxsize=16)
def dom_fingerprint(text: str) -> str:
    """A canonical serialisation of the DOM browsers build from ``text``.

    Fragments are parsed in a ``body`` context, full documents as documents. Attribute order
    does not matter; text is compared after the input-stream newline normalisation.
    """
    _, tree = _parse(text)
    return "\n".join(_serialised(tree))


def _serialised(root: Any) -> list[str]:
    """The lines of :func:`dom_fingerprint`: what html5lib's etree tree walker yields, walked
    here directly. That walker finds a node's place among its siblings by copying and
    searching the sibling list each time it returns to a parent: quadratic in the children of
    one element (a fragment of thousands of top-level elements took seconds to verify)."""
    from xml.etree.ElementTree import Comment

    from html5lib.constants import namespaces, voidElements

    html = namespaces["html"]
    comment_tag = Comment("").tag
    out: list[str] = []
    text_run: list[str] = []
    depth = 0
    limit = MAX_ORACLE_DEPTH * 50

    def flush() -> None:
        if text_run:
            out.append(f"{depth}#{''.join(text_run)!r}")
            text_run.clear()

    # (element, None): visit it; (None, text): a run of text; (None, None): an end tag.
    stack: list[tuple[Any, str | None]] = [(root, None)]
    while stack:
        element, data = stack.pop()
        if element is None:
            if data is not None:
                text_run.append(data)
                continue
            flush()
            depth -= 1
        else:
            tag = element.tag
            descend = False
            if tag in ("DOCUMENT_ROOT", "DOCUMENT_FRAGMENT"):
                descend = True
            else:
                flush()
                if tag == "<!DOCTYPE>":
                    out.append(f"{depth}D{element.text!r}")
                elif tag == comment_tag:
                    out.append(f"{depth}!{element.text!r}")
                else:
                    namespace, name = _split_name(tag)
                    attributes = sorted((f"{ns or ''}:{local}", value)
                                        for (ns, local), value in map(_attribute, element.attrib.items()))
                    out.append(f"{depth}<{namespace or ''}:{name} {attributes}")
                    # A void element is not descended into, as the walker does.
                    if namespace and namespace != html or name not in voidElements:
                        depth += 1
                        stack.append((None, None))  # its end tag, after its content
                        descend = True
            if descend:
                for child in reversed(element):
                    if child.tail:
                        stack.append((None, child.tail))
                    stack.append((child, None))
                if element.text:
                    stack.append((None, element.text))
        if depth > limit:
            raise OracleUnavailable("the text is nested too deeply for the fix verifier")
    flush()
    return out


_NAMESPACED = re.compile("{([^}]*)}(.*)")


def _split_name(name: str) -> tuple[str | None, str]:
    match = _NAMESPACED.match(name)
    return (match.group(1), match.group(2)) if match else (None, name)


def _attribute(item: tuple[str, str]) -> tuple[tuple[str | None, str], str]:
    name, value = item
    return _split_name(name), value


def parse_errors(text: str) -> list[tuple[int, int, str, dict[str, Any]]]:
    """html5lib's parse errors as ``(line, column0, code, data)`` (positions approximate)."""
    parser, _ = _parse(text)
    return [(line, col, code, data or {}) for (line, col), code, data in parser.errors]


def error_offsets(text: str) -> list[tuple[int, str]]:
    """html5lib's parse errors as ``(offset, code)``: the character offset html5lib was at.

    html5lib counts lines after newline normalisation (CR LF and CR are one line break) and
    columns from 0, so a CR LF file maps back exactly.
    """
    shift = 1 if text.startswith(BOM) else 0  # html5lib read the text without it
    parsed = text[shift:]
    line_starts = [0] + [match.end() for match in _LINE_BREAK.finditer(parsed)]
    result = []
    for line, column, code, _ in parse_errors(text):
        start = line_starts[min(max(line - 1, 0), len(line_starts) - 1)]
        result.append((min(start + column, len(parsed)) + shift, code))
    return result


def tree_errors(text: str, stream: TokenStream | None = None, *, tokenizer: bool = False) -> list[tuple[int, str]]:
    """html5lib's tree-construction errors as ``(token index, code)`` on htmlfix's tokens.

    An error belongs to the token that ends where html5lib reported it (the token holding the
    character before the reported offset); errors at the end of the input get the index
    ``len(stream)``. Tokenizer errors (bad attributes, entities, comments) are left out unless
    ``tokenizer`` is true.
    """
    if stream is None:
        stream = tokenize(text)
    n = len(stream)
    starts = stream.starts
    result = []
    for offset, code in error_offsets(text):
        if code not in TREE_CODES and not tokenizer:
            continue
        if code == "expected-closing-tag-but-got-eof" and offset == len(text) and text.endswith("</"):
            continue  # the tokenizer's error for a "</" at the very end, not a tree error
        if code in EOF_CODES or n == 0:
            result.append((n, code))
            continue
        index = max(0, min(bisect.bisect_right(starts, max(offset - 1, 0)) - 1, n - 1))
        result.append((index, code))
    return result


#: Beyond this many (tokens x open-element depth), one html5lib parse would take seconds or
#: minutes (its scope checks walk the stack of open elements for most tags, so a parse costs
#: about 0.1 us per token per level: 100,000 nested <div>s would take half an hour), and the
#: fixer declines to verify. Real pages are under a million.
MAX_ORACLE_WORK = 20_000_000
#: Parses one verification may spend finding which claims break the DOM, beyond the two that
#: test them all together: a pass with many claims that do not hold applies what it verified
#: within this budget and declines the rest (they stay reported), so fixing stays linear.
MAX_VERIFY_PARSES = 24


def oracle_work(text: str) -> int:
    """An estimate of an html5lib parse's cost: tokens times the deepest nesting, counted on
    htmlfix's own tokens. Start tags of non-void elements open, an end tag closes up to the
    open element of its name and is ignored when there is none (as html5lib does with a stray
    one: counting every end tag as a close missed the depth of a page of ``<x>`` elements
    followed by stray ``</p>``s, where html5lib took seconds). Elements html5lib closes by
    implication stay open here: an over-estimate, which only makes the oracle decline sooner.

    Plus, for each tag, half the square of its attributes: html5lib's tokenizer compares each
    attribute name with every earlier one of its tag (~0.1 us a pair), so a tag of 25,000
    "attributes" (text swallowed by an unclosed tag: each word is one) took a minute (found by
    bench/fuzz.py, seed 14)."""
    stream = tokenize(text)
    starts = stream.starts
    open_names: list[str] = []
    open_count: dict[str, int] = {}
    deepest = 0
    pairs = 0
    for i, (kind, name) in enumerate(zip(stream.kinds, stream.names)):
        if (kind is START_TAG or kind is END_TAG) and starts[i + 1] - starts[i] > _FEW_ATTRIBUTES_CHARS:
            pairs += _attribute_pairs(stream, i)
        if kind is START_TAG:
            if name not in _VOID:
                open_names.append(name)
                open_count[name] = open_count.get(name, 0) + 1
                if len(open_names) > deepest:
                    deepest = len(open_names)
        elif kind is END_TAG and open_count.get(name):
            while True:  # each element is closed once: linear overall
                closed = open_names.pop()
                open_count[closed] -= 1
                if closed == name:
                    break
    return len(stream.kinds) * max(deepest, 1) + pairs


#: A tag this short has at most ~64 attributes (~2,000 pairs): not worth counting them.
_FEW_ATTRIBUTES_CHARS = 128
#: Up to this many possible attributes, a tag's pairs are not worth parsing it for.
_FEW_ATTRIBUTES = 150


def _attribute_pairs(stream: TokenStream, i: int) -> int:
    """Half the square of tag ``i``'s attributes. Attributes are separated by whitespace, a
    "/" or a quote, so counting those bounds them at C speed; only a tag that may have more
    than :data:`_FEW_ATTRIBUTES` (a long alt text, or text swallowed by an unclosed tag) is
    parsed to count them exactly (parsing every long tag made this estimate 4x slower)."""
    text, start, end = stream.text, stream.starts[i], stream.starts[i + 1]
    bound = 1 + sum(text.count(separator, start, end) for separator in _SEPARATORS)
    count = bound if bound <= _FEW_ATTRIBUTES else len(stream[i].attributes)
    return count * count // 2


_SEPARATORS = (" ", "\n", "\t", "\r", "\f", "/", '"', "'")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def verify_fixes(text: str, fixes: Sequence[Fix], mode: Mode) -> list[Fix]:
    """The fixes that may be applied: any fix claiming ``keeps_dom`` must really keep the DOM.

    Fixes without that claim pass through (their rules state what they change). Claims are
    checked together first; if the DOM changed, the claims are split in halves, recursively,
    and a group is kept when the DOM with it (and with everything kept before it) is still the
    original, within :data:`MAX_VERIFY_PARSES` parses. What is kept is verified as a whole.
    When the oracle is unavailable (too large, too deep: :data:`MAX_ORACLE_WORK`; or html5lib
    does not finish), it raises :class:`OracleUnavailable`: the fixer applies none of the
    claiming fixes, and says why.
    """
    claims = [fix for fix in fixes if fix.keeps_dom]
    if not claims or mode is Mode.TEXT:
        return list(fixes)
    others = [fix for fix in fixes if not fix.keeps_dom]
    if len(text) > MAX_ORACLE_CHARS:
        raise OracleUnavailable(f"the text ({len(text):,} characters) is beyond the limit of the fix verifier")
    if oracle_work(text) > MAX_ORACLE_WORK:
        raise OracleUnavailable("the fix verifier (html5lib) would take too long on this text "
                                "(deep nesting, or tags with thousands of attributes)")
    before = dom_fingerprint(text)
    if dom_fingerprint(_apply(text, claims)) == before:
        return list(fixes)
    # Every kept group was verified together with all kept before it: the last one verified
    # is the whole of what is applied.
    return others + _split(text, before, [], claims, [MAX_VERIFY_PARSES])


def _verified(text: str, before: str, kept: list[Fix], group: list[Fix], budget: list[int]) -> list[Fix]:
    """The fixes of ``group`` that keep the DOM after ``kept``: the whole group when it does,
    else what each half keeps; none once ``budget`` (parses left) is spent."""
    if budget[0] <= 0:
        return []
    budget[0] -= 1
    if dom_fingerprint(_apply(text, [*kept, *group])) == before:
        return group
    return _split(text, before, kept, group, budget)


def _split(text: str, before: str, kept: list[Fix], group: list[Fix], budget: list[int]) -> list[Fix]:
    """What the halves of ``group`` keep, ``group`` itself being known to change the DOM."""
    if len(group) == 1:
        return []
    middle = len(group) // 2
    left = _verified(text, before, kept, group[:middle], budget)
    return left + _verified(text, before, [*kept, *left], group[middle:], budget)


def _apply(text: str, fixes: Sequence[Fix]) -> str:
    return apply_edits(text, [edit for fix in fixes for edit in fix.edits])


def forget() -> None:
    """Drop the cached parses and fingerprints once a text is fixed. They serve the passes of
    one fix; kept across documents, they held up to eight html5lib trees of past documents
    (hundreds of MB after large ones), which every later collection walked again."""
    for cached in _CACHES:
        cached.cache_clear()


_CACHES = (_parse, dom_fingerprint)
