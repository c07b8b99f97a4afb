"""A document as rules see it: text, mode, tokens, lines, and shared analyses computed once.

Rules never parse on their own. Anything two rules need (the token stream, the line index,
protected zones, the debris scan, the tree model) is computed here on first use and cached
for the rest of the check, so adding a rule does not add another pass over the text.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from .source import LineIndex, Position
from .tokens import COMMENT, DOCTYPE, DROPPED, END_TAG, START_TAG, TEXT, TokenStream, tokenize

if TYPE_CHECKING:
    from .config import Settings

__all__ = ["Document", "Mode", "PROTECTED_ELEMENTS", "sniff_mode"]

T = TypeVar("T")
_MISSING = object()


class Mode(str, Enum):
    """How a text is read.

    * ``html``: markup, a full document or (usually, for CMS bodies) a fragment.
    * ``text``: a plain-text export; every character is visible text and tag debris is removed.
    * ``markdown``: Markdown with raw HTML; code (fences, indented blocks, spans) is left alone.
    """

    HTML = "html"
    TEXT = "text"
    MARKDOWN = "markdown"

    def __str__(self) -> str:
        return self.value


#: Elements whose text is code or preformatted: never analysed as prose or debris.
PROTECTED_ELEMENTS = frozenset(
    {"pre", "code", "kbd", "samp", "tt", "listing", "xmp", "plaintext", "script", "style",
     "textarea", "template", "svg", "math"}
)


def sniff_mode(text: str, *, strict: bool = False) -> Mode:
    """``html`` when the text is markup, else ``text`` (a plain-text export).

    Lenient (the default, for strings and stdin): any real tag of a known HTML element, a
    doctype or a comment makes it HTML. Strict (for ``.txt`` files, which are usually
    plain-text exports): the text must start with markup and open and close at least one
    element with real tags; a plain-text export whose tags were mangled into debris has none.
    """
    from .debris import HTML_ELEMENTS

    stream = tokenize(text)
    kinds, names = stream.kinds, stream.names
    if strict:
        first = next(
            (i for i, kind in enumerate(kinds) if kind is not TEXT or stream.src(i).strip()), None
        )
        if first is None or kinds[first] not in (START_TAG, DOCTYPE, COMMENT):
            return Mode.TEXT
        opened: set[str] = set()
        for kind, name in zip(kinds, names):
            if kind is START_TAG:
                opened.add(name)
            elif kind is END_TAG and name in opened:
                return Mode.HTML
        return Mode.TEXT
    for kind, name in zip(kinds, names):
        if kind is DOCTYPE or kind is COMMENT:
            return Mode.HTML
        if (kind is START_TAG or kind is END_TAG or kind is DROPPED) and name in HTML_ELEMENTS:
            return Mode.HTML
    return Mode.TEXT


class Document:
    """One text being checked, with lazily computed shared views of it."""

    def __init__(self, text: str, mode: Mode = Mode.HTML, settings: Settings | None = None) -> None:
        from .config import Settings

        self.text = text
        self.mode = mode
        self.settings = settings if settings is not None else Settings()
        self._tokens: TokenStream | None = None
        self._lines: LineIndex | None = None
        self._protected: list[tuple[int, int]] | None = None
        self._names: frozenset[str] | None = None
        self._code_zones: list[tuple[int, int]] = []  # Markdown code (fences, spans, ...)
        self._memo: dict[Any, Any] = {}

    def __repr__(self) -> str:
        return f"Document({self.mode.value}, {len(self.text)} chars)"

    @property
    def is_html(self) -> bool:
        return self.mode is not Mode.TEXT

    @property
    def tokens(self) -> TokenStream:
        """The lossless token stream. In text mode the whole text is one TEXT token."""
        if self._tokens is None:
            if self.mode is Mode.TEXT:
                text = self.text
                kinds = [TEXT] if text else []
                self._tokens = TokenStream(text, kinds, [0, len(text)] if text else [0], [""] * len(kinds), [0] * len(kinds))
            elif self.mode is Mode.MARKDOWN:
                # Code is tokenized as text, so markup shown in code cannot hide real HTML.
                from .markdown import markdown_tokens

                self._tokens, self._code_zones = markdown_tokens(self.text)
            else:
                self._tokens = tokenize(self.text)
        return self._tokens

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def token_names(self) -> frozenset[str]:
        """The distinct names in the token stream (tag names, lower-cased as the tokenizer
        stores them, and the element names of raw text), computed once.

        A rule that can only report on a tag of some name returns at once when the name is
        missing here: one set lookup instead of a scan of the whole text.
        """
        if self._names is None:
            self._names = frozenset(self.tokens.names)
        return self._names

    def position(self, offset: int) -> Position:
        return self.lines.position(offset)

    def memo(self, analysis: Callable[[Document], T]) -> T:
        """Run ``analysis(self)`` once per document and cache the result."""
        result = self._memo.get(analysis, _MISSING)
        if result is _MISSING:  # (not try/except: a miss per analysis per document raised)
            result = self._memo[analysis] = analysis(self)
        return result  # type: ignore[no-any-return]

    # --- protected zones -------------------------------------------------------------------

    def protected_spans(self) -> list[tuple[int, int]]:
        """Sorted, disjoint ``(start, end)`` ranges inside code-like elements (see
        :data:`PROTECTED_ELEMENTS`), where text is code, not prose; in Markdown also code
        fences, indented code blocks, code spans and front matter."""
        if self._protected is None:
            if self.mode is Mode.TEXT:
                self._protected = []
            elif self.mode is Mode.MARKDOWN:
                from .markdown import merge_spans

                spans = _protected_spans(self.tokens, self.token_names)  # also computes the code zones
                self._protected = merge_spans(spans + self._code_zones)
            else:
                self._protected = _protected_spans(self.tokens, self.token_names)
        return self._protected

    def is_protected(self, offset: int) -> bool:
        """Whether ``offset`` lies inside a protected element (code, pre, script, ...)."""
        spans = self.protected_spans()
        if not spans:
            return False
        index = bisect.bisect_right(spans, (offset, len(self.text) + 1)) - 1
        return index >= 0 and spans[index][0] <= offset < spans[index][1]


def _protected_spans(stream: TokenStream, present: frozenset[str]) -> list[tuple[int, int]]:
    names, kinds, starts = stream.names, stream.kinds, stream.starts
    spans: list[tuple[int, int]] = []
    depth = 0
    open_name = ""
    zone_start = 0
    candidates = _positions(names, PROTECTED_ELEMENTS & present)
    for i in candidates:
        kind, name = kinds[i], names[i]
        if kind is START_TAG:
            if depth == 0:
                open_name, zone_start = name, starts[i]
                depth = 1
            elif name == open_name:
                depth += 1
        elif kind is END_TAG and depth and name == open_name:
            depth -= 1
            if depth == 0:
                spans.append((zone_start, starts[i + 1]))
    if depth:
        spans.append((zone_start, len(stream.text)))
    return spans


def _positions(names: list[str], wanted: frozenset[str]) -> list[int]:
    """The indexes ``i`` with ``names[i]`` in ``wanted``, in order, for the few names that
    occur (``wanted`` holds only names of the stream): ``list.index`` finds each occurrence
    in C, where a comprehension over all names costs a Python step per token."""
    found: list[int] = []
    for name in wanted:
        index = names.index(name)
        while True:
            found.append(index)
            try:
                index = names.index(name, index + 1)
            except ValueError:
                break
    if len(wanted) > 1:
        found.sort()
    return found
