"""A lossless HTML tokenizer that follows the WHATWG tokenizer's boundaries.

Every character of the input belongs to exactly one token and ``"".join(t.src for t in
tokens) == text``. Token boundaries follow the WHATWG tokenizer (HTML Living Standard,
section 13.2.5) wherever they decide what a browser builds:

* ``<`` starts a tag only before an ASCII letter; ``< strong >``, ``<3`` and ``a < b`` are text.
* ``</`` before a letter starts an end tag; ``</>`` is dropped; ``</`` before anything else
  (``</ li>``) starts a bogus comment that runs to the next ``>`` and is invisible.
* quotes delimit an attribute value only where a value may start; a tag ends at the first
  ``>`` outside such a value; a tag cut off by the end of input is dropped by browsers.
* comments end at ``-->`` or ``--!>`` (``<!-->`` and ``<!--->`` close at once); ``<!x`` and
  ``<?x`` are bogus comments; CDATA sections exist only inside SVG and MathML.
* after ``<script>``, ``<style>``, ``<textarea>``, ``<title>`` and the other raw-text elements
  the content up to the matching end tag is one RAWTEXT token (with the script-data escape
  states, so ``<!--<script></script>-->`` inside a script does not end it).
* character references are tokens of their own (named with the longest-prefix rule, including
  the legacy names that need no semicolon, and numeric).

Positions come from here; html5lib is only an oracle for what a browser builds (see
``htmlfix.oracle``) and never gives edit coordinates.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import IntEnum
from html.entities import html5 as _NAMED_REFERENCES
from types import ModuleType
from typing import cast, overload

__all__ = [
    "Attribute",
    "Kind",
    "Token",
    "TokenStream",
    "SELF_CLOSING",
    "UNTERMINATED",
    "tokenize",
    "untokenize",
    "decode_charref",
    "unescape",
]


class Kind(IntEnum):
    """What a token is, in the WHATWG tokenizer's terms."""

    TEXT = 0  # character data, including any "<" that does not start markup
    CHARREF = 1  # a character reference in text: &amp; &#8217; &copy
    START_TAG = 2
    END_TAG = 3
    COMMENT = 4  # <!-- ... -->
    BOGUS_COMMENT = 5  # </ li>, <!x>, <?x>, <![CDATA[...]> outside foreign content
    DOCTYPE = 6
    CDATA = 7  # <![CDATA[ ... ]]> inside SVG or MathML
    RAWTEXT = 8  # the content of script, style, textarea, title, xmp, iframe, ...
    DROPPED = 9  # markup browsers discard: "</>" and a tag cut off by the end of input


# Module-level aliases: looking up an enum member on its class costs ~0.3 us in Python 3.11,
# far too much inside the tokenizer loop and the rules' token walks.
TEXT = Kind.TEXT
CHARREF = Kind.CHARREF
START_TAG = Kind.START_TAG
END_TAG = Kind.END_TAG
COMMENT = Kind.COMMENT
BOGUS_COMMENT = Kind.BOGUS_COMMENT
DOCTYPE = Kind.DOCTYPE
CDATA = Kind.CDATA
RAWTEXT = Kind.RAWTEXT
DROPPED = Kind.DROPPED

#: Token flag: a start tag written with a trailing ``/>``.
SELF_CLOSING = 1
#: Token flag: a comment, tag, doctype or raw text that runs to the end of the input.
UNTERMINATED = 2

def _load_scanner() -> ModuleType | None:
    """The C scanner (htmlfix/_scanner.c), built where a compiler was available at install
    time; None without it, or with HTMLFIX_PURE_PYTHON=1 set: tokenize() then runs in Python."""
    if os.environ.get("HTMLFIX_PURE_PYTHON"):
        return None
    try:
        return importlib.import_module("htmlfix._scanner")
    except ImportError:
        return None


_scanner = _load_scanner()
#: What the C scanner puts in the columns, in the order it expects them.
_SCAN_CONSTANTS = (TEXT, CHARREF, START_TAG, END_TAG, DROPPED, 0, SELF_CLOSING, UNTERMINATED, "")

_WS = "\t\n\f\r "
_ATTRIBUTE = (
    r"[^\t\n\f\r />][^\t\n\f\r />=]*+"
    r"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:\"[^\"]*+\"?+|'[^']*+'?+|[^\t\n\f\r >]++)?+)?+"
)
# A whole tag. Every part is possessive, so the only way to fail is to reach the end of the
# input before the closing ">" (an unterminated quoted value runs to the end, as in the spec).
_TAG = re.compile(
    r"<(/?)([A-Za-z][^\t\n\f\r />]*+)(?:[\t\n\f\r ]++|/(?!>)|" + _ATTRIBUTE + r")*+(/?)>"
)
# The tokenizer's one search: the next tag, or the next "<" that may start other markup.
# A tag is read by one of two bodies. The fast one covers nearly every real tag: runs of
# characters other than > " ' =, and name="value" pairs whose "=" directly follows a name
# character and whose value is quoted; within such a tag every quote delimits a value and every
# "/" just before ">" is a self-closing slash, exactly as in the full grammar, so it ends where
# the full body would (it saves ~15% of the regex time). Anything else (an unquoted value, a
# stray quote, "=" after a space) falls back to the full, possessive body, which also reaches
# the end of the input for a tag that is never closed (browsers drop it).
# Groups: 1 "/" of an end tag, 2 name, 3 ">" after a fast body ending in "/", 4 ">" after any
# other fast body, 5 the full body's "/" before ">" (None when the tag runs to the end).
_NEXT = re.compile(
    r"<(?:(/?)([A-Za-z][^\t\n\f\r />]*+)"
    r"(?:(?:[^>\"'=]++|(?<=[^\t\n\f\r /\"'=])=[\t\n\f\r ]*+(?:\"[^\"]*+\"|'[^']*+'))*+(?:(?<=/)(>)|(>))"
    r"|(?:[\t\n\f\r ]++|/(?!>)|" + _ATTRIBUTE + r")*+(?:(/?)>|\Z))"
    r"|[!?/])"
)
#: Start tags after which the tokenizer changes state (raw text, foreign content, plaintext).
_STATEFUL = frozenset(
    {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "title", "textarea",
     "plaintext", "svg", "math"}
)
_TAG_NAME = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")
_ATTRIBUTE_ITEM = re.compile(
    r"([^\t\n\f\r />][^\t\n\f\r />=]*)"
    r"(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:\"([^\"]*)\"?|'([^']*)'?|([^\t\n\f\r >]+))?)?"
)
_ATTRIBUTE_GAP = re.compile(r"[\t\n\f\r /]*")
_SPECIAL = re.compile(r"[<&]")
_COMMENT_END = re.compile(r"--!?>")
_GT = re.compile(">")
_DOCTYPE = re.compile(r"<!doctype", re.IGNORECASE)
_NUMERIC_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
_NAMED_CANDIDATE = re.compile(r"&([A-Za-z0-9]+;?)")
_SCRIPT_EVENTS = re.compile(r"<!--|-->|<(/?)script(?=[\t\n\f\r />])", re.IGNORECASE)
_SCRIPT_END = re.compile(r"</script(?=[\t\n\f\r />])", re.IGNORECASE)

_LONGEST_REFERENCE = max(len(name) for name in _NAMED_REFERENCES)
_RAWTEXT_ELEMENTS = frozenset(
    {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "title", "textarea"}
)
_FOREIGN_ROOTS = frozenset({"svg", "math"})
# Start tags that break out of foreign content back into HTML (tree construction, "in foreign
# content", the list of tag names that pop SVG/MathML elements).
_FOREIGN_BREAKOUT = frozenset(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img "
    "li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul "
    "var".split()
)
_END_TAG_PATTERNS: dict[str, re.Pattern[str]] = {}
# While inside SVG or MathML, the C scanner hands back every tag that may change the depth.
_FOREIGN_STOPS = _FOREIGN_ROOTS | _FOREIGN_BREAKOUT
#: For each kind, a bytes.translate table mapping that kind's byte to 1 and every other to 0.
_KIND_MASKS = {kind: bytes(int(value == kind) for value in range(256)) for kind in Kind}


class Attribute:
    """One attribute of a tag, with absolute offsets into the document text."""

    __slots__ = ("name", "start", "end", "value", "value_start", "value_end", "quote")

    def __init__(
        self,
        name: str,
        start: int,
        end: int,
        value: str | None,
        value_start: int,
        value_end: int,
        quote: str | None,
    ) -> None:
        self.name = name  # lower-cased, as the tokenizer emits it
        self.start = start  # the first character of the name
        self.end = end  # just past the value (and its closing quote)
        self.value = value  # raw source text of the value, without quotes; None if absent
        self.value_start = value_start
        self.value_end = value_end
        self.quote = quote  # '"', "'", "" (unquoted) or None (no value)

    def __repr__(self) -> str:
        return f"Attribute({self.name!r}, {self.value!r}, quote={self.quote!r})"


class Token:
    """One token: its kind, exact source text and start offset.

    ``name`` is the lower-cased tag name for tags (and for RAWTEXT, the element it belongs to);
    it is ``""`` otherwise.
    """

    __slots__ = ("kind", "start", "end", "src", "name", "flags", "_attributes")

    def __init__(self, kind: Kind, start: int, src: str, name: str = "", flags: int = 0) -> None:
        self.kind = kind
        self.start = start
        self.end = start + len(src)
        self.src = src
        self.name = name
        self.flags = flags
        self._attributes: list[Attribute] | None = None

    def __repr__(self) -> str:
        extra = f" {self.name}" if self.name else ""
        return f"<{self.kind.name}{extra} @{self.start} {self.src!r}>"

    @property
    def is_tag(self) -> bool:
        return self.kind is START_TAG or self.kind is END_TAG

    @property
    def self_closing(self) -> bool:
        return bool(self.flags & SELF_CLOSING)

    @property
    def unterminated(self) -> bool:
        return bool(self.flags & UNTERMINATED)

    @property
    def attributes(self) -> list[Attribute]:
        """The attributes of a tag (parsed on first use), duplicates included."""
        if self._attributes is None:
            self._attributes = _parse_attributes(self) if self.name else []
        return self._attributes

    def attribute(self, name: str) -> Attribute | None:
        """The first attribute called ``name`` (the one browsers keep)."""
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None


def _parse_attributes(token: Token) -> list[Attribute]:
    src = token.src
    if token.kind not in (Kind.START_TAG, Kind.END_TAG, Kind.DROPPED) or not src.startswith("<"):
        return []
    name_match = _TAG_NAME.match(src)
    if name_match is None:
        return []
    pos = name_match.end()
    limit = len(src) - 1 if src.endswith(">") and not token.unterminated else len(src)
    result: list[Attribute] = []
    while pos < limit:
        pos = _ATTRIBUTE_GAP.match(src, pos).end()  # type: ignore[union-attr]
        if pos >= limit:
            break
        item = _ATTRIBUTE_ITEM.match(src, pos, limit)
        if item is None:  # only ">" could stop it, and that ends the tag
            break
        value: str | None = None
        quote: str | None = None
        group = 0
        for group, quote in ((2, '"'), (3, "'"), (4, "")):
            value = item.group(group)
            if value is not None:
                break
        if value is None:
            quote, group = None, 1
            value_start = value_end = item.end(1)
        else:
            value_start, value_end = item.start(group), item.end(group)
        result.append(
            Attribute(
                item.group(1).lower(),
                token.start + pos,
                token.start + item.end(),
                value,
                token.start + value_start,
                token.start + value_end,
                quote,
            )
        )
        pos = item.end()
    return result


def decode_charref(src: str) -> str:
    """The text a character-reference token stands for (``&amp;`` -> ``&``)."""
    numeric = _NUMERIC_REF.match(src)
    if numeric:
        hex_digits, digits = numeric.groups()
        code = int(hex_digits, 16) if hex_digits else int(digits)
        return _numeric_reference_char(code)
    return _NAMED_REFERENCES.get(src[1:], src)


_WINDOWS_1252_C1 = {
    0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020,
    0x87: 0x2021, 0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152,
    0x8E: 0x017D, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022,
    0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC, 0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A,
    0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
}


def _numeric_reference_char(code: int) -> str:
    # "numeric character reference end state": NUL, surrogates and out-of-range become U+FFFD;
    # C1 controls are read as windows-1252, as browsers do.
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(_WINDOWS_1252_C1.get(code, code))


def unescape(text: str, *, in_attribute: bool = False) -> str:
    """Decode the character references in ``text`` as the WHATWG tokenizer would.

    In an attribute value a legacy reference without ``;`` followed by ``=`` or an ASCII
    alphanumeric is left alone (``?a=1&copy=2`` keeps ``&copy``), as the spec requires.
    """
    if "&" not in text:
        return text
    parts: list[str] = []
    pos = 0
    while True:
        amp = text.find("&", pos)
        if amp < 0:
            parts.append(text[pos:])
            return "".join(parts)
        end = _match_charref(text, amp)
        if end < 0:
            parts.append(text[pos : amp + 1])
            pos = amp + 1
            continue
        reference = text[amp:end]
        if in_attribute and not reference.endswith(";") and reference[1] != "#":
            following = text[end : end + 1]
            if following == "=" or (following.isascii() and following.isalnum()):
                parts.append(text[pos:end])
                pos = end
                continue
        parts.append(text[pos:amp])
        parts.append(decode_charref(reference))
        pos = end


def _match_charref(text: str, pos: int) -> int:
    """The end of the character reference at ``text[pos] == "&"``, or -1 if there is none."""
    nxt = text[pos + 1 : pos + 2]
    if nxt == "#":
        numeric = _NUMERIC_REF.match(text, pos)
        return numeric.end() if numeric else -1
    if not nxt.isascii() or not nxt.isalnum():
        return -1
    candidate = _NAMED_CANDIDATE.match(text, pos, pos + 1 + _LONGEST_REFERENCE)
    if candidate is None:
        return -1
    name = candidate.group(1)
    # Longest prefix that is a known name (legacy names such as "reg" match without ";",
    # which is how "&region=" becomes "®ion=" in text).
    for length in range(len(name), 1, -1):
        if name[:length] in _NAMED_REFERENCES:
            return pos + 1 + length
    return -1


def _end_tag_pattern(name: str) -> re.Pattern[str]:
    pattern = _END_TAG_PATTERNS.get(name)
    if pattern is None:
        pattern = re.compile(rf"</{re.escape(name)}(?=[\t\n\f\r />])", re.IGNORECASE)
        _END_TAG_PATTERNS[name] = pattern
    return pattern


def _script_data_end(text: str, pos: int) -> int:
    """Where script data starting at ``pos`` ends (the ``<`` of ``</script``), or len(text).

    Follows the script data, escaped and double-escaped states: ``<!--`` enters the escaped
    state, ``<script`` inside it enters the double-escaped state where ``</script`` does not end
    the element, and ``-->`` returns to plain script data.
    """
    # Without a "<!--" before the first "</script", the escape states are never entered (the
    # usual case; this search skips to "</" at memchr speed instead of stepping through events).
    first_end = _SCRIPT_END.search(text, pos)
    stop = first_end.start() if first_end else len(text)
    if text.find("<!--", pos, stop) < 0:
        return stop
    data, escaped, double = 0, 1, 2
    state = data
    while True:
        event = _SCRIPT_EVENTS.search(text, pos)
        if event is None:
            return len(text)
        token = event.group()
        if token == "<!--":
            if state == data:
                state = escaped
            pos = event.start() + 2  # the "--" also counts towards a following "-->"
            continue
        pos = event.end()
        if token == "-->":
            state = data
        elif event.group(1):  # </script
            if state == double:
                state = escaped
            else:
                return event.start()
        elif state == escaped:  # <script
            state = double


class TokenStream(Sequence[Token]):
    """The tokens of one text, stored column by column.

    The tokenizer appends to plain lists (kinds, start offsets, names, flags), which is several
    times faster than building one object per token; :class:`Token` objects are made on access.
    Hot loops read the columns directly: ``kinds[i]``, ``starts[i]``, ``starts[i + 1]`` (the
    end; ``starts`` has one extra entry, ``len(text)``), ``names[i]`` and ``flags[i]``.
    """

    __slots__ = ("text", "kinds", "starts", "names", "flags", "_kind_bytes", "_indexes")

    def __init__(
        self, text: str, kinds: list[Kind], starts: list[int], names: list[str], flags: list[int]
    ) -> None:
        self.text = text
        self.kinds = kinds
        self.starts = starts
        self.names = names
        self.flags = flags
        self._kind_bytes: bytes | None = None
        self._indexes: dict[Kind, list[int]] = {}

    def indexes(self, kind: Kind) -> list[int]:
        """The indexes of the tokens of ``kind``, in order (computed once per stream).

        Use this instead of ``[i for i, k in enumerate(kinds) if k is KIND]``: the kinds are
        searched as bytes, so rare kinds (comments, bogus comments, raw text, doctypes) are
        found at memchr speed and common ones with no Python step per token (a comprehension
        over a real page's tokens costs about as much as a rule).
        """
        found = self._indexes.get(kind)
        if found is None and len(self.kinds) < 256:  # a short post: no bytes copy
            found = self._indexes[kind] = [i for i, k in enumerate(self.kinds) if k is kind]
        if found is None:
            if self._kind_bytes is None:
                self._kind_bytes = bytes(self.kinds)
            data = self._kind_bytes
            if data.count(kind) * 32 < len(data):
                found = []
                index = data.find(kind)
                while index >= 0:
                    found.append(index)
                    index = data.find(kind, index + 1)
            else:
                found = list(itertools.compress(range(len(data)), data.translate(_KIND_MASKS[kind])))
            self._indexes[kind] = found
        return found

    def __len__(self) -> int:
        return len(self.kinds)

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...

    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(len(self.kinds)))]
        if index < 0:
            index += len(self.kinds)
        if not 0 <= index < len(self.kinds):
            raise IndexError(index)
        return self._make(index)

    def __iter__(self) -> Iterator[Token]:
        make = self._make
        return (make(i) for i in range(len(self.kinds)))

    def __repr__(self) -> str:
        return f"TokenStream({len(self)} tokens)"

    def _make(self, i: int) -> Token:
        start = self.starts[i]
        src = self.text[start : self.starts[i + 1]]
        return Token(self.kinds[i], start, src, self.names[i], self.flags[i])

    def end(self, i: int) -> int:
        """The offset just past token ``i``."""
        return self.starts[i + 1]

    def src(self, i: int) -> str:
        """The source text of token ``i``."""
        return self.text[self.starts[i] : self.starts[i + 1]]

    def index_at(self, offset: int) -> int:
        """The index of the token containing ``offset`` (the last token for ``len(text)``)."""
        return max(0, min(bisect.bisect_right(self.starts, offset) - 1, len(self.kinds) - 1))


#: ``tokenize(end_comment=...)``: given the text and the offset of a comment's ``<!--`` that has
#: no ``-->`` after it, the offset where that comment should end, or -1 (it runs to the end).
CommentEnd = Callable[[str, int], int]


def tokenize(
    text: str, *, scripting: bool = True, closed_raw: list[int] | None = None, end_comment: CommentEnd | None = None
) -> TokenStream:
    """Split ``text`` into tokens that join back into exactly ``text``.

    ``scripting`` follows the browser default: ``<noscript>`` content is raw text.

    With ``closed_raw``, a raw-text start tag written self-closed in HTML content
    (``<script src=x/>``, ``<title/>``; not ``<plaintext/>``, which nothing ends) is read as
    if its end tag followed it: no raw text starts there, and the tag's offset is appended to
    the list. That is the stream of the document once ST004 has repaired every such tag,
    which shows the ones hidden in the text a first ``<script/>`` swallowed.

    With ``end_comment``, a comment that never ends asks it where to end instead: ST012's
    view of the document once each damaged ``-->`` is repaired (every comment after the
    first one without an end has none either, and shows what the one before it hid).
    """
    if end_comment is not None:
        end_comment = _real_end_or(text, end_comment)
    if _scanner is not None:
        return _tokenize_with_scanner(text, scripting, closed_raw, end_comment)
    return _tokenize_python(text, scripting, closed_raw, end_comment)


def _real_end_or(text: str, repair: CommentEnd) -> CommentEnd:
    """Where a comment ends: its ``-->``, else where ``repair`` says. Once one comment has
    no ``-->``, none after it has: they are not searched for again (each search would run to
    the end of the text)."""
    last = max(text.rfind("-->"), text.rfind("--!>"))

    def end(text: str, start: int) -> int:
        body = start + 4
        found = _comment_end(text, start) if body <= last else _abrupt_comment_end(text, body)
        return found if found >= 0 else repair(text, start)

    return end


def _tokenize_with_scanner(
    text: str, scripting: bool, closed_raw: list[int] | None = None, end_comment: CommentEnd | None = None
) -> TokenStream:
    """:func:`tokenize` with its inner loop in C (``htmlfix/_scanner.c``).

    The C loop reads text, character references and ordinary tags, and stops at everything
    that changes the tokenizer's state, which this driver handles exactly as
    :func:`_tokenize_python` does: comments and other ``<!``/``<?``/``</`` markup, and the tags
    named in ``stop_names`` (raw-text elements, and svg/math or the names that leave foreign
    content). Both produce the same columns; the tests compare them.
    """
    assert _scanner is not None
    flat: list[Kind | int | str] = []
    extend = flat.extend
    scan = _scanner.scan
    length = len(text)
    pos = text_start = 0
    foreign_depth = 0
    while True:
        stop_names = _FOREIGN_STOPS if foreign_depth else _STATEFUL
        pos, text_start, stop = scan(text, pos, text_start, flat, stop_names, _SCAN_CONSTANTS, _match_charref)
        if stop == _scanner.STOP_END:
            break
        if stop == _scanner.STOP_MARKUP:
            pos, text_start = _read_markup(text, pos, text_start, foreign_depth, extend, end_comment)
            continue
        # A tag named in stop_names has just been added.
        kind, start, name, tag_flag = flat[-4:]
        foreign_depth, pos = _change_state(
            text, cast(int, start), pos, kind is END_TAG, str(name), tag_flag == SELF_CLOSING, foreign_depth,
            scripting, extend, closed_raw,
        )
        text_start = pos
    if text_start < length:
        extend((TEXT, text_start, "", 0))
    return _stream_from_flat(text, flat)


def _stream_from_flat(text: str, flat: list[Kind | int | str]) -> TokenStream:
    starts = cast("list[int]", flat[1::4])
    starts.append(len(text))
    return TokenStream(
        text, cast("list[Kind]", flat[0::4]), starts, cast("list[str]", flat[2::4]), cast("list[int]", flat[3::4])
    )


def _tokenize_python(
    text: str, scripting: bool, closed_raw: list[int] | None = None, end_comment: CommentEnd | None = None
) -> TokenStream:
    """:func:`tokenize` in pure Python: the reference, and what runs without the C scanner."""
    # Speed matters here (every check starts with this loop). One regex search finds the next
    # tag (its literal "<" prefix lets the regex engine skip text at memchr speed); text between
    # tags is never stepped through in Python, character references are looked for with
    # str.find only when an "&" lies before the tag; each step appends its text and tag tokens
    # with one extend of a flat list, split into the four columns at the end.
    flat: list[Kind | int | str] = []
    extend = flat.extend
    search = _NEXT.search
    find = text.find
    stateful = _STATEFUL
    length = len(text)
    text_start = 0  # start of the pending text token (text merges across stray "<" and "&")
    foreign_depth = 0
    pos = 0
    amp = find("&")
    if amp < 0:
        amp = length
    while True:
        match = search(text, pos)
        if match is None:
            break
        start = match.start()
        if amp < start:
            if amp < pos:  # an "&" inside markup already read
                amp = find("&", pos)
                if amp < 0:
                    amp = length
            if amp < start:
                text_start = _charrefs_before(text, text_start, amp, start, extend)
                amp = find("&", start)
                if amp < 0:
                    amp = length
        closing, name, fast_solidus, fast_end, solidus = match.groups()
        if name is None:  # "<!", "<?" or "</" not before a letter
            pos, text_start = _read_markup(text, start, text_start, foreign_depth, extend, end_comment)
            continue
        name = name.lower()
        pos = match.end()
        if fast_solidus or solidus:
            kind, flag = (END_TAG if closing else START_TAG), SELF_CLOSING
        elif fast_end or solidus is not None:
            kind, flag = (END_TAG if closing else START_TAG), 0
        else:  # cut off by the end of the input: browsers drop everything from "<" on
            kind, flag = DROPPED, UNTERMINATED
        if text_start < start:
            extend((TEXT, text_start, "", 0, kind, start, name, flag))
        else:
            extend((kind, start, name, flag))
        text_start = pos
        if foreign_depth == 0 and name not in stateful or kind is DROPPED:
            continue
        foreign_depth, pos = _change_state(
            text, start, pos, bool(closing), name, flag == SELF_CLOSING, foreign_depth, scripting, extend, closed_raw
        )
        text_start = pos
    if amp < pos:
        amp = find("&", pos)
    if 0 <= amp < length:
        text_start = _charrefs_before(text, text_start, amp, length, extend)
    if text_start < length:
        extend((TEXT, text_start, "", 0))
    return _stream_from_flat(text, flat)


def _read_markup(
    text: str, start: int, text_start: int, foreign_depth: int, extend: Callable[[Iterable[Kind | int | str]], None],
    end_comment: CommentEnd | None = None,
) -> tuple[int, int]:
    """Add the comment or other ``<!``/``<?``/``</`` markup whose ``<`` is at ``start`` (with the
    pending text before it); return the new (pos, text_start). A ``<`` that starts no markup
    is text: scanning goes on after it and the pending text continues."""
    if text.startswith("<!--", start):  # comments are common (block editors): no Token
        end = _comment_end(text, start) if end_comment is None else end_comment(text, start)
        flag = 0
        if end < 0:
            end, flag = len(text), UNTERMINATED
        if text_start < start:
            extend((TEXT, text_start, "", 0, COMMENT, start, "", flag))
        else:
            extend((COMMENT, start, "", flag))
        return end, end
    token = _markup_at(text, start, foreign_depth)
    if token is None:
        return start + 1, text_start
    if text_start < start:
        extend((TEXT, text_start, "", 0, token.kind, start, token.name, token.flags))
    else:
        extend((token.kind, start, token.name, token.flags))
    return token.end, token.end


def _change_state(
    text: str,
    start: int,
    pos: int,
    closing: bool,
    name: str,
    self_closing: bool,
    foreign_depth: int,
    scripting: bool,
    extend: Callable[[Iterable[Kind | int | str]], None],
    closed_raw: list[int] | None = None,
) -> tuple[int, int]:
    """After a tag that may change the tokenizer's state (a raw-text or foreign element, or any
    tag inside SVG/MathML) from ``start`` to ``pos``: add the raw text it starts, if any, and
    return the new (foreign_depth, pos). ``closed_raw``: see :func:`tokenize`."""
    length = len(text)
    if closing:
        if foreign_depth and name in _FOREIGN_ROOTS:
            foreign_depth -= 1
    elif foreign_depth:
        if name in _FOREIGN_BREAKOUT:
            foreign_depth = 0
        elif name in _FOREIGN_ROOTS and not self_closing:
            foreign_depth += 1
    elif name in _FOREIGN_ROOTS:
        if not self_closing:
            foreign_depth = 1
    elif name in _RAWTEXT_ELEMENTS and (scripting or name != "noscript"):
        if self_closing and closed_raw is not None:
            closed_raw.append(start)
            return foreign_depth, pos
        end = _raw_text_end(text, pos, name)
        if end > pos:
            extend((RAWTEXT, pos, name, UNTERMINATED if end == length else 0))
        pos = end
    elif name == "plaintext":
        if pos < length:
            extend((RAWTEXT, pos, name, UNTERMINATED))
        pos = length
    return foreign_depth, pos


def _charrefs_before(
    text: str, text_start: int, amp: int, stop: int, extend: Callable[[Iterable[Kind | int | str]], None]
) -> int:
    """Add the text and character-reference tokens of ``text[text_start:stop]`` up to its last
    reference (``amp`` is the first "&" in it); return where the pending text now starts."""
    find = text.find
    while 0 <= amp < stop:
        end = _match_charref(text, amp)
        if end < 0:
            amp = find("&", amp + 1, stop)
            continue
        if text_start < amp:
            extend((TEXT, text_start, "", 0, CHARREF, amp, "", 0))
        else:
            extend((CHARREF, amp, "", 0))
        text_start = end
        amp = find("&", end, stop)
    return text_start


def _raw_text_end(text: str, pos: int, name: str) -> int:
    if name == "script":
        return _script_data_end(text, pos)
    end_tag = _end_tag_pattern(name).search(text, pos)
    return end_tag.start() if end_tag else len(text)


def _to_gt(text: str, pos: int, kind: Kind) -> Token:
    """A token from ``pos`` through the next ``>`` (or to the end of the input)."""
    gt = text.find(">", pos + 1)
    if gt < 0:
        return Token(kind, pos, text[pos:], "", UNTERMINATED)
    return Token(kind, pos, text[pos : gt + 1])


def _markup_at(text: str, pos: int, foreign_depth: int) -> Token | None:
    """The markup token starting with the ``<`` at ``pos``, or None if that ``<`` is text."""
    nxt = text[pos + 1 : pos + 2]
    if nxt.isascii() and nxt.isalpha():
        return _tag_at(text, pos)
    if nxt == "/":
        after = text[pos + 2 : pos + 3]
        if after.isascii() and after.isalpha():
            return _tag_at(text, pos)
        if after == ">":
            return Token(Kind.DROPPED, pos, "</>")
        if after == "":
            return None  # "</" at the end of the input is text
        return _to_gt(text, pos, Kind.BOGUS_COMMENT)
    if nxt == "!":
        if text.startswith("<!--", pos):
            return _comment_at(text, pos)
        if _DOCTYPE.match(text, pos):
            return _to_gt(text, pos, Kind.DOCTYPE)
        if text.startswith("<![CDATA[", pos) and foreign_depth:
            end = text.find("]]>", pos + 9)
            if end < 0:
                return Token(Kind.CDATA, pos, text[pos:], "", UNTERMINATED)
            return Token(Kind.CDATA, pos, text[pos : end + 3])
        return _to_gt(text, pos, Kind.BOGUS_COMMENT)
    if nxt == "?":
        return _to_gt(text, pos, Kind.BOGUS_COMMENT)
    return None


def _comment_at(text: str, pos: int) -> Token:
    end = _comment_end(text, pos)
    if end < 0:
        return Token(Kind.COMMENT, pos, text[pos:], "", UNTERMINATED)
    return Token(Kind.COMMENT, pos, text[pos:end])


def _comment_end(text: str, pos: int) -> int:
    """The end of the comment that starts with ``<!--`` at ``pos``; -1 when it runs to the end
    of the input (unterminated)."""
    body = pos + 4
    abrupt = _abrupt_comment_end(text, body)
    if abrupt >= 0:
        return abrupt
    end = _COMMENT_END.search(text, body)
    return -1 if end is None else end.end()


def _abrupt_comment_end(text: str, body: int) -> int:
    """The end of ``<!-->`` or ``<!--->`` (``body`` is just after ``<!--``), or -1."""
    if text.startswith(">", body):
        return body + 1
    if text.startswith("->", body):
        return body + 2
    return -1


def _tag_at(text: str, pos: int) -> Token:
    match = _TAG.match(text, pos)
    if match is None:
        # End of input inside the tag: browsers drop everything from "<" on.
        name_match = _TAG_NAME.match(text, pos)
        name = name_match.group(1).lower() if name_match else ""
        return Token(Kind.DROPPED, pos, text[pos:], name, UNTERMINATED)
    closing, name, solidus = match.groups()
    kind = Kind.END_TAG if closing else Kind.START_TAG
    return Token(kind, pos, match.group(), name.lower(), SELF_CLOSING if solidus else 0)


def untokenize(tokens: Iterable[Token]) -> str:
    """Join tokens back into text (the inverse of :func:`tokenize`)."""
    return "".join(token.src for token in tokens)


def iter_kind(tokens: Iterable[Token], kind: Kind) -> Iterator[Token]:
    """The tokens of one kind, in order."""
    return (token for token in tokens if token.kind is kind)
