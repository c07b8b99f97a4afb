"""Tag debris: the shared scan behind the fragment (FR) rules.

Debris is markup that machine translation, tokenizers, paraphrasers or half-finished
conversions mangled into visible text: ``< strong >``, ``< / li >``, ``td >``, ``/ tbody >``,
``< li />``, ``/ li />``, ``table /``, a lone ``<`` on a line, ``>Text.<``, ``h2 id = “x”>Title``.
Browsers show all of it (``</ li>`` is the exception: a hidden bogus comment).

A bare pattern is not evidence: ``x > y``, ``a < b``, ``<3``, ``to > 3 people`` and
``<On Photography>`` are prose. A piece counts only with evidence (see ``_confirm``):

* a known HTML element name next to ``<``, ``</``, ``/`` or ``>`` with only spaces between;
* both brackets present (``< strong >``), or the piece alone on its line, or on a line made of
  nothing but debris, or a matching partner (``< strong >`` … ``< / strong >``);
* other confirmed debris within three lines, for the weakest shapes (a lone ``<`` line, a
  ``>`` at the start of a line, single-letter names such as ``b`` or ``a``).

Text inside ``pre``, ``code``, ``kbd``, ``samp``, ``script``, ``style``, ``textarea``, SVG and
MathML is never scanned. The scan runs once per document (``doc.memo(scan_debris)``) and each
FR rule reports the findings of its own shapes.

What the fixes do: in text mode debris is removed (a line of nothing but debris goes with its
line break); in HTML mode a piece that is evidently a damaged real tag is repaired into that
tag (a spaced pair, or a closer whose element is open), and anything else is removed. A repair
never creates active content: only allowlisted elements and attributes are rebuilt, never an
``on*`` attribute or a ``javascript:``-style URL.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from .document import Document, Mode
from .model import Applicability, Edit, Fix
from .source import alone_on_line
from .tokens import BOGUS_COMMENT, CHARREF, END_TAG, START_TAG, TEXT, unescape

__all__ = ["Finding", "Piece", "Shape", "scan_debris", "HTML_ELEMENTS"]

#: Every HTML element name (current and obsolete ones still seen in exports).
HTML_ELEMENTS = frozenset(
    """a abbr acronym address applet area article aside audio b base basefont bdi bdo big
    blink blockquote body br button canvas caption center cite code col colgroup data datalist
    dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form
    frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd
    label legend li link main map mark marquee menu meta meter nav nobr noembed noframes
    noscript object ol optgroup option output p param picture plaintext pre progress q rp rt
    ruby s samp script search section select slot small source span strike strong style sub
    summary sup table tbody td template textarea tfoot th thead time title tr track tt u ul
    var video wbr xmp""".split()
)
#: Names that are also everyday words or letters; alone they are weak evidence.
#: Single-letter names: ``a < b > c`` is arithmetic, ``b >`` may be a quote marker.
_AMBIGUOUS = frozenset("a b i p q s u".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: Elements a repair may rebuild. Everything else is removed, never recreated: a repair must
#: not create active content (script, style, iframe, object, embed, form, base, meta, ...).
_REPAIRABLE = frozenset(
    """a abbr address article aside b bdi bdo big blockquote br caption center cite code dd del
    dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li
    main mark nav ol p pre q s samp section small span strike strong sub sup table tbody td
    tfoot th thead time tr tt u ul var""".split()
)
_URL_ATTRIBUTES = frozenset("href src action formaction xlink:href background poster cite data".split())
_DANGEROUS_URL = re.compile(r"^\s*(?:javascript|vbscript|data|livescript)\s*:", re.IGNORECASE)
_CLOSING_ORDER = ("td", "th", "tr", "tbody", "thead", "tfoot", "table", "li", "ul", "ol", "dd", "dl")

_H = r"[ \t\u00a0]"
_NAME = r"[A-Za-z][A-Za-z0-9]{0,11}"
_QUOTE_OPEN = r"[“”„″‘’]|&#82(?:20|21|43|16|17);|&[lr]dquo;"
_QUOTE_CLOSE = r"[“”„″‘’\"]|&#82(?:20|21|43|16|17);|&[lr]dquo;"
_VALUE = (
    r"(?:\"[^\"<>\r\n]*+\"|'[^'<>\r\n]*+'"
    r"|&quot;(?:(?!&quot;)[^<>\r\n])*+&quot;"
    rf"|(?:{_QUOTE_OPEN})(?:(?!{_QUOTE_CLOSE})[^<>\r\n])*+(?:{_QUOTE_CLOSE})"
    r"|(?:(?!&gt;)[^\s\"'<>=`])++)"
)
_ATTRIBUTE = rf"[A-Za-z_:][-A-Za-z0-9_:.]*+(?:{_H}*+={_H}*+{_VALUE})?+"
_ATTRIBUTE_PARTS = re.compile(
    rf"(?P<name>[A-Za-z_:][-A-Za-z0-9_:.]*)(?:{_H}*=(?P<gap>{_H}*)(?P<value>{_VALUE}))?"
)
# One pass over a candidate range finds every piece shape. Each alternative starts at a
# bracket, a slash or a line start, except the last, which is O(1) per word (no attributes).
_PIECE = re.compile(
    # < strong >, < / li >, </ li>, < a href="x" >, < li />, and the same escaped by a tool
    # that "repaired" it into permanent text: &lt; strong &gt;
    rf"(?P<lt><|&lt;)(?P<sp1>{_H}*+)(?P<slash>/?)(?P<sp2>{_H}*+)(?P<name>{_NAME})"
    rf"(?P<attrs>(?:{_H}++{_ATTRIBUTE})*+){_H}*+(?P<self>/?){_H}*+(?:>|&gt;)"
    # / tbody >, / li />
    rf"|(?<![\w/:.=@;-])/(?P<lsp>{_H}*+)(?P<lname>{_NAME}){_H}*+(?P<lself>/?){_H}*+(?:>|&gt;)"
    # h2 id = “x”>Title at the start of a line
    rf"|(?m:^)(?P<aindent>{_H}*+)(?P<aname>{_NAME})(?P<aattrs>(?:{_H}++{_ATTRIBUTE})++){_H}*+(?:>|&gt;)"
    # table / at the end of a line
    rf"|(?<![\w/:.=@&#;-])(?P<tname>{_NAME}){_H}++/(?={_H}*+(?:[\r\n]|\Z))"
    # td >, th>, row />
    rf"|(?<![\w/:.=@&#;-])(?P<oname>{_NAME}){_H}*+(?P<oself>/?){_H}*+(?:>|&gt;)"
)
# The same opener with attributes, anchored at the start of a block's text (<p>h2 id="x">T</p>).
_LOST_OPENER_AT = re.compile(
    rf"{_H}*+(?P<aname>{_NAME})(?P<aattrs>(?:{_H}++{_ATTRIBUTE})++){_H}*+(?:>|&gt;)"
)
_LONE = re.compile(rf"{_H}*+([<>/]|&[lg]t;){_H}*+\Z")
_EDGE_OPEN = re.compile(rf"{_H}*+(>|&gt;)(?=[^\s<>&])")
_EDGE_CLOSE = re.compile(rf"(?<=\S)(<|&lt;){_H}*+\Z")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_DIGIT_BEFORE = re.compile(r"\d\s*\Z")


class Shape(Enum):
    """What a piece of debris looks like; each shape belongs to one FR rule."""

    SPACED_OPEN = "spaced-open"  # < strong >
    SPACED_CLOSE = "spaced-close"  # < / strong >, </ strong> (text mode)
    BOGUS_CLOSE = "bogus-close"  # </ strong> in HTML: an invisible bogus comment
    SPACED_SELF_CLOSED = "spaced-self-closed"  # < li />
    LOST_SELF_CLOSED = "lost-self-closed"  # / li />
    LOST_CLOSE = "lost-close"  # / tbody >
    LOST_OPEN = "lost-open"  # td >, th>, row />
    LOST_TAIL = "lost-tail"  # table /
    LOST_OPENER = "lost-opener"  # h2 id = “x”>Title
    LONE_BRACKET = "lone-bracket"  # a line holding only <, > or /
    EDGE = "edge"  # >Text.< : a stray bracket at the edge of a line of text
    DOUBLED = "doubled"  # the second > of < strong >>


#: Elements whose only content may be removed with them when it is all debris
#: (``<p>td &gt;</p>``). Table cells are not among them: removing one would shift the table.
_WRAPPERS = frozenset(
    "p li div span h1 h2 h3 h4 h5 h6 blockquote em strong b i u small font center dd dt".split()
)

#: Elements that cannot sit inside a paragraph (a start tag of one closes an open <p>).
_BLOCK_LEVEL = frozenset(
    """address article aside blockquote center div dl figcaption figure footer h1 h2 h3 h4 h5 h6
    header hr main nav ol p pre section table ul""".split()
)

#: Which rule reports which shapes.
SHAPE_CODES = {
    Shape.SPACED_OPEN: "FR001",
    Shape.SPACED_CLOSE: "FR001",
    Shape.BOGUS_CLOSE: "FR001",
    Shape.LOST_CLOSE: "FR002",
    Shape.LOST_OPEN: "FR002",
    Shape.LOST_TAIL: "FR002",
    Shape.LOST_OPENER: "FR002",
    Shape.LONE_BRACKET: "FR003",
    Shape.EDGE: "FR004",
    Shape.DOUBLED: "FR005",
    Shape.SPACED_SELF_CLOSED: "FR006",
    Shape.LOST_SELF_CLOSED: "FR006",
}
_CLOSERS = {Shape.SPACED_CLOSE, Shape.BOGUS_CLOSE, Shape.LOST_CLOSE, Shape.SPACED_SELF_CLOSED, Shape.LOST_SELF_CLOSED}
_STRONG = {Shape.SPACED_OPEN, Shape.SPACED_CLOSE, Shape.BOGUS_CLOSE, Shape.SPACED_SELF_CLOSED}


@dataclass(eq=False, slots=True)
class Piece:
    """One candidate piece of debris."""

    shape: Shape
    start: int
    end: int
    row: int
    name: str = ""  # the element name as written ("" for brackets)
    attributes: str = ""  # attribute source of an opener, as written
    confirmed: bool = False
    partner: Piece | None = None  # only while the scan resolves pieces (see scan_debris)
    content_end: int = -1  # LOST_OPENER: where the heading's text ends (end of the line)
    #: The visible text around the piece: its line, cut at tags in HTML.
    segment: tuple[int, int] = (0, 0)

    @property
    def element(self) -> str:
        return self.name.lower()


@dataclass
class Finding:
    """A confirmed problem: what an FR rule reports."""

    code: str
    start: int
    end: int
    message: str
    fix: Fix | None
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class DebrisScan:
    pieces: list[Piece]
    findings: list[Finding]

    def of(self, code: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.code == code]


def scan_debris(doc: Document) -> DebrisScan:
    """Find, confirm and resolve every piece of tag debris in ``doc`` (memoised per document)."""
    scanner = _Scanner(doc)
    pieces = scanner.collect()
    if not pieces:
        return DebrisScan([], [])
    _confirm(pieces, scanner)
    confirmed = [piece for piece in pieces if piece.confirmed]
    scan = DebrisScan(confirmed, _Resolver(doc, scanner, confirmed).findings())
    # Paired pieces point at each other. Unlinked once resolved, they are freed with the
    # document instead of waiting for the cycle collector, which stays paused while a text is
    # fixed: every pass of a fix left its pairs behind (12,933 objects for a 640 KB line).
    for piece in pieces:
        piece.partner = None
    return scan


# --- collecting candidates -----------------------------------------------------------------


class _Scanner:
    """Finds candidate pieces in the text that is visible prose (never in tags or code)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self._line_starts: list[int] | None = None
        self._open: _OpenElements | None = None
        # Per-row facts asked once per piece near the row: each is computed once per row (a
        # row can be megabytes long).
        self._blank_rows: dict[int, bool] = {}
        self._closing_word_rows: dict[int, bool] = {}

    def is_open(self, element: str, offset: int, *, innermost: bool = False) -> bool:
        """Whether a real ``element`` is open at ``offset`` (or, with ``innermost``, is the
        element the offset sits directly in). HTML only; walked lazily."""
        if self.doc.mode is Mode.TEXT:
            return False
        if self._open is None:
            self._open = _OpenElements(self.doc)
        stack = self._open.at(offset)
        if innermost:
            return bool(stack) and stack[-1] == element
        return self._open.counts.get(element, 0) > 0

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = self.doc.lines.line_starts()
        return self._line_starts

    def row(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_bounds(self, row: int) -> tuple[int, int, int]:
        """``(start, end of content, end including the line break)`` of a 0-based row."""
        start = self.line_starts[row]
        following = self.line_starts[row + 1] if row + 1 < len(self.line_starts) else len(self.text)
        end = following
        while end > start and self.text[end - 1] in "\r\n":
            end -= 1
        return start, end, following

    def blank_row(self, row: int) -> bool:
        """Whether a 0-based row holds only whitespace."""
        blank = self._blank_rows.get(row)
        if blank is None:
            start, end, _ = self.line_bounds(row)
            blank = self._blank_rows[row] = _blank(self.text, start, end)
        return blank

    def closing_word_line(self, row: int) -> bool:
        """Whether a row holds one word, a table or list element name, and something besides
        it (``td >``, ``/ tr``): a line of a run of closing debris."""
        if not 0 <= row < len(self.line_starts):
            return False
        found = self._closing_word_rows.get(row)
        if found is None:
            start, end, _ = self.line_bounds(row)
            line = self.text[start:end]
            words = _WORDS.findall(line)
            found = len(words) == 1 and words[0].lower() in _CLOSING_ORDER and line.strip() != words[0]
            self._closing_word_rows[row] = found
        return found

    def ranges(self) -> list[tuple[int, int]]:
        """Text ranges that may hold debris: in HTML, visible text tokens with a bracket or a
        slash; in text mode, every line with one."""
        text = self.text
        if self.doc.mode is Mode.TEXT:
            if "<" not in text and ">" not in text and "/" not in text:
                return []
            return [(0, len(text))]
        return self._text_runs_with_brackets()

    def _text_runs_with_brackets(self) -> list[tuple[int, int]]:
        """Visible text runs (consecutive TEXT and CHARREF tokens, so that a reference such as
        ``&#x73;`` cannot split a piece) that contain ``<``, ``>``, ``&lt;``, ``&gt;`` or ``/``.

        Real pages have hundreds of thousands of text tokens and almost never a bracket in
        their text, so the test runs in C: join the text tokens, search once, map hits back.
        A ``/`` alone is evidence only at the end of a line or a text token (``table /``, a
        lone ``/``): every other piece also needs a bracket, so a run with only mid-line
        slashes (dates, URLs, "and/or") cannot hold debris and is not returned.
        """
        text = self.text
        stream = self.doc.tokens
        starts, kinds = stream.starts, stream.kinds
        indexes: list[int] = []
        text_tokens = stream.indexes(TEXT)
        if text_tokens:
            pieces = [text[starts[i] : starts[i + 1]] for i in text_tokens]
            joined = "\x00".join(pieces)
            hits = self._joined_hits(joined)
            if hits:
                offsets = list(itertools.accumulate(map((1).__add__, map(len, pieces)), initial=0))
                indexes = [text_tokens[bisect.bisect_right(offsets, hit) - 1] for hit in hits]
        # An escaped bracket is a reference token of its own (the tokenizer makes one token per
        # reference, starting at its "&"): look at those tokens, not at every "&" of the text.
        startswith = text.startswith
        indexes += [i for i in stream.indexes(CHARREF) if startswith(_ESCAPED_BRACKETS, starts[i])]
        if not indexes:
            return []
        found: list[tuple[int, int]] = []
        last_end = -1
        for index in sorted(set(indexes)):
            if starts[index] < last_end:
                continue
            first, last = index, index
            while first > 0 and kinds[first - 1] in (TEXT, CHARREF):
                first -= 1
            while last + 1 < len(kinds) and kinds[last + 1] in (TEXT, CHARREF):
                last += 1
            start, end = starts[first], starts[last + 1]
            last_end = end
            if not self.doc.is_protected(start):
                found.append((start, end))
        return found

    @staticmethod
    def _joined_hits(joined: str) -> list[int]:
        """Where the joined text tokens (separated by NUL) may hold debris: every bracket, and
        every slash that ends a line or a token. If the tokens spell out ``&lt;`` or ``&gt;``
        (code tokenized as text in Markdown), which pieces may use in place of a bracket,
        every slash counts, as the scan has always done."""
        if "&lt;" in joined or "&gt;" in joined:
            return [m.start() for m in _RUN_TRIGGER.finditer(joined)]
        hits = [m.start() for m in _SLASH_AT_END.finditer(joined)]
        if "<" in joined or ">" in joined:
            hits += [m.start() for m in _BRACKET.finditer(joined)]
        return hits

    def collect(self) -> list[Piece]:
        pieces: list[Piece] = []
        for start, end in self.ranges():
            for segment in self._segments(start, end):
                self._collect_segment(segment, pieces)
        if self.doc.mode is not Mode.TEXT:
            self._collect_bogus_closers(pieces)
        pieces.sort(key=lambda p: (p.start, p.end))
        return _drop_overlaps(pieces)

    def _segments(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """A text range cut into its lines (line breaks excluded)."""
        for line in _LINE_BREAK.split(self.text[start:end]):
            if line:
                yield start, start + len(line)
            start += len(line)
            if start < end:
                start += 2 if self.text.startswith("\r\n", start) else 1

    def _collect_segment(self, segment: tuple[int, int], pieces: list[Piece]) -> None:
        # The cheap pattern tests come first: most segments hold no candidate, and the row and
        # line facts (which need the line index) are asked only about those that do.
        text = self.text
        start, end = segment
        found: list[Piece] = []
        for match in _PIECE.finditer(text, start, end):
            piece = self._piece(match)
            if piece is not None:
                found.append(piece)
                following = piece.end
                if piece.shape in _STRONG and text.startswith(">", following) and following < end:
                    found.append(Piece(Shape.DOUBLED, following, following + 1, piece.row))
        if not any(p.shape is Shape.LOST_OPENER for p in found):
            opener = _LOST_OPENER_AT.match(text, start, end)
            if opener is not None:
                row = self.row(start)
                line_start, _, _ = self.line_bounds(row)
                at_line_start = _blank(text, line_start, start) or self.block_around(segment) is not None
                if at_line_start and start != line_start:
                    found.append(self._lost_opener(opener, row, content_end=end))
        lone = _LONE.match(text, start, end)
        if lone is not None:
            if self._segment_is_alone(segment):
                found.append(Piece(Shape.LONE_BRACKET, lone.start(1), lone.end(1), self.row(start)))
        else:
            edge_open = _EDGE_OPEN.match(text, start, end)
            edge_close = _EDGE_CLOSE.search(text, start, end)
            if (edge_open is not None or edge_close is not None) and self._segment_is_alone(segment):
                for edge in (edge_open, edge_close):
                    if edge is not None:
                        found.append(Piece(Shape.EDGE, edge.start(1), edge.end(1), self.row(start)))
        for piece in found:
            piece.segment = segment
        pieces.extend(found)

    def _segment_is_alone(self, segment: tuple[int, int]) -> bool:
        """Whether a segment is all the text of its line, or all the text of a block element
        that is alone on its line (``<p>&lt;</p>``)."""
        start, end = segment
        text = self.text
        # (Asked of every "/" or ">" alone in a span, such as a breadcrumb separator: answered
        # from the text around the segment, without the line index.)
        if alone_on_line(text, start, end):
            return True
        return self.block_around(segment) is not None

    def block_around(self, segment: tuple[int, int]) -> tuple[int, int] | None:
        """``(start, end)`` of the element when the segment is the whole text of an element
        whose start and end tags sit right around it (``<p>td &gt;</p>``), else None."""
        if self.doc.mode is Mode.TEXT:
            return None
        stream = self.doc.tokens
        start, end = segment
        before = stream.index_at(start) - 1
        after = stream.index_at(end) if end < len(self.text) else len(stream)
        if before < 0 or after >= len(stream) or stream.starts[before + 1] != start or stream.starts[after] != end:
            return None
        name = stream.names[before]
        if stream.kinds[before] is not START_TAG or stream.kinds[after] is not END_TAG or stream.names[after] != name:
            return None
        if name not in _WRAPPERS:
            return None
        return stream.starts[before], stream.starts[after + 1]

    def _piece(self, match: re.Match[str]) -> Piece | None:
        group = match.group
        if match.group("lt"):
            spaced = bool(group("sp1") or group("sp2"))
            if not spaced:
                return None  # an intact tag (text mode) or a real one: not debris
            closing = bool(group("slash"))
            if closing and group("attrs"):
                return None
            if group("self"):
                if closing:
                    return None
                shape = Shape.SPACED_SELF_CLOSED
            else:
                shape = Shape.SPACED_CLOSE if closing else Shape.SPACED_OPEN
            attributes = group("attrs")
            if group("lt") != "<":
                attributes = unescape(attributes)  # &lt; a href=&quot;x&quot; &gt;
            return Piece(shape, match.start(), match.end(), self.row(match.start()), group("name"), attributes)
        row = self.row(match.start())
        if group("lname"):
            shape = Shape.LOST_SELF_CLOSED if group("lself") else Shape.LOST_CLOSE
            return Piece(shape, match.start(), match.end(), row, group("lname"))
        if group("aname"):
            _, line_end, _ = self.line_bounds(row)
            return self._lost_opener(match, row, content_end=min(line_end, self._run_end(match.start())))
        if group("tname"):
            return Piece(Shape.LOST_TAIL, match.start(), match.end(), row, group("tname"))
        shape = Shape.LOST_OPEN
        return Piece(shape, match.start(), match.end(), row, group("oname"), "/" if group("oself") else "")

    @staticmethod
    def _lost_opener(match: re.Match[str], row: int, content_end: int) -> Piece:
        """``h2 id = “x”>Title``; its text (the element's content) runs to ``content_end``."""
        attributes = match.group("aattrs")
        if match.group().endswith("&gt;"):
            attributes = unescape(attributes)  # h2 id=&quot;x&quot;&gt;Title, escaped
        return Piece(Shape.LOST_OPENER, match.start("aname"), match.end(), row, match.group("aname"),
                     attributes, content_end=content_end)

    def _run_end(self, offset: int) -> int:
        """Where the visible text run around ``offset`` ends (the next tag, in HTML)."""
        if self.doc.mode is Mode.TEXT:
            return len(self.text)
        stream = self.doc.tokens
        index = stream.index_at(offset)
        while index + 1 < len(stream) and stream.kinds[index + 1] in (TEXT, CHARREF):
            index += 1
        return stream.starts[index + 1]

    def _collect_bogus_closers(self, pieces: list[Piece]) -> None:
        """``</ li>`` in HTML is a bogus comment token: invisible, and almost always debris."""
        stream = self.doc.tokens
        text = self.text
        for i in stream.indexes(BOGUS_COMMENT):
            start, end = stream.starts[i], stream.starts[i + 1]
            match = _BOGUS_CLOSE.fullmatch(text, start, end)
            if match and not self.doc.is_protected(start):
                pieces.append(Piece(Shape.BOGUS_CLOSE, start, end, self.row(start), match.group(1), segment=(start, end)))


_BOGUS_CLOSE = re.compile(rf"</{_H}++({_NAME}){_H}*+>")
_RUN_TRIGGER = re.compile(r"[<>/]")
_BRACKET = re.compile(r"[<>]")
#: A slash followed by nothing but spaces up to a line break, the end of a token (the NUL that
#: joins tokens) or the end: where ``table /`` and a lone ``/`` end.
_SLASH_AT_END = re.compile(r"/(?=[ \t\u00a0]*+(?:[\r\n\x00]|\Z))")
_ESCAPED_BRACKETS = ("&lt;", "&gt;")


def _drop_overlaps(pieces: list[Piece]) -> list[Piece]:
    kept: list[Piece] = []
    for piece in pieces:
        if kept and piece.start < kept[-1].end:
            continue
        kept.append(piece)
    return kept


# --- evidence ------------------------------------------------------------------------------


_LOST = (Shape.LOST_CLOSE, Shape.LOST_SELF_CLOSED, Shape.LOST_OPEN, Shape.LOST_TAIL)


def _confirm(pieces: list[Piece], scanner: _Scanner) -> None:
    """Decide which candidates are debris, strongest evidence first: shapes that are debris on
    their own, then shapes confirmed by their line, then shapes that need debris nearby."""
    by_row: dict[int, list[Piece]] = defaultdict(list)
    for piece in pieces:
        by_row[piece.row].append(piece)
    debris_rows = {
        row for row, items in by_row.items()
        if _line_is_debris(items, scanner) and not _looks_like_breadcrumb(items, scanner)
    }
    _pair_spaced_tags(pieces)
    _confirm_on_their_own(pieces, scanner, debris_rows)
    _confirm_by_their_line(pieces, scanner, by_row, debris_rows)
    _confirm_by_neighbours(pieces, scanner, by_row, debris_rows)


def _confirm_on_their_own(pieces: list[Piece], scanner: _Scanner, debris_rows: set[int]) -> None:
    for piece in pieces:
        if piece.shape in _STRONG:
            piece.confirmed = _strong_is_debris(piece, scanner, piece.row in debris_rows)
        elif piece.shape is Shape.LOST_OPENER:
            piece.confirmed = _lost_opener_is_debris(piece)


def _confirm_by_their_line(
    pieces: list[Piece], scanner: _Scanner, by_row: dict[int, list[Piece]], debris_rows: set[int]
) -> None:
    # How many pieces of each row are confirmed, kept up to date as lost pieces are decided:
    # asking each piece about every other piece of its row was quadratic in a row's pieces.
    confirmed = Counter(piece.row for piece in pieces if piece.confirmed)
    for piece in pieces:
        if piece.shape in _LOST:
            row = piece.row
            others_confirmed = confirmed[row] - piece.confirmed > 0
            decided = _lost_is_debris(piece, len(by_row[row]), others_confirmed, row in debris_rows, scanner)
            confirmed[row] += decided - piece.confirmed
            piece.confirmed = decided
    # Names on a line of debris that are not elements (``row />``, ``head />``) ride along.
    for row in debris_rows:
        items = by_row[row]
        if any(p.confirmed and p.element in HTML_ELEMENTS for p in items):
            for piece in items:
                if piece.shape in _LOST:
                    piece.confirmed = True


def _confirm_by_neighbours(
    pieces: list[Piece], scanner: _Scanner, by_row: dict[int, list[Piece]], debris_rows: set[int]
) -> None:
    anchors = sorted(p.row for p in pieces if p.confirmed)
    for piece in pieces:
        if (not piece.confirmed and piece.shape is Shape.SPACED_OPEN and piece.element in _AMBIGUOUS
                and _near(anchors, piece.row, scanner, distance=1)):
            # "< p>Text" right next to other debris: not arithmetic.
            piece.confirmed = _attributes_look_real(piece.attributes)
    # Where confirmed pieces end, per row, kept up to date in this loop: a doubled bracket
    # looked through its whole line for a confirmed piece ending where it starts (quadratic).
    confirmed_ends = Counter((p.row, p.end) for p in pieces if p.confirmed)
    for piece in pieces:
        if piece.shape is Shape.DOUBLED:
            decided = confirmed_ends[(piece.row, piece.start)] > 0
        elif piece.shape in (Shape.LONE_BRACKET, Shape.EDGE):
            decided = _near(anchors, piece.row, scanner)
        else:
            continue
        confirmed_ends[(piece.row, piece.end)] += decided - piece.confirmed
        piece.confirmed = decided
    # Single-letter lost shapes on a line of debris, next to confirmed debris ("b >").
    anchors = sorted(p.row for p in pieces if p.confirmed)
    for piece in pieces:
        if not piece.confirmed and piece.shape in _LOST:
            piece.confirmed = (
                piece.element in HTML_ELEMENTS and piece.row in debris_rows and _near(anchors, piece.row, scanner)
            )


def _line_is_debris(items: list[Piece], scanner: _Scanner) -> bool:
    """Whether the line holds nothing but these pieces and whitespace, or (in HTML) nothing
    but one element whose text is these pieces (``<p>td &gt;</p>``)."""
    start, end, _ = scanner.line_bounds(items[0].row)
    if _covered(items, start, end, scanner.text):
        return True
    segments = {piece.segment for piece in items}
    if len(segments) != 1:
        return False
    (segment,) = segments
    block = scanner.block_around(segment)
    text = scanner.text
    return (
        block is not None
        and _blank(text, start, block[0])
        and _blank(text, block[1], end)
        and _covered(items, segment[0], segment[1], text)
    )


def _covered(items: list[Piece], start: int, end: int, text: str) -> bool:
    """Whether ``text[start:end]`` is nothing but the pieces and whitespace."""
    position = start
    for piece in sorted(items, key=lambda p: p.start):
        if not _blank(text, position, piece.start):
            return False
        position = max(position, piece.end)
    return _blank(text, position, end)


_NON_SPACE = re.compile(r"\S")
_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_SPACES_AHEAD = re.compile("[ \t\u00a0]*+")


def _spaces_behind(text: str, low: int, position: int) -> int:
    """Where the run of spaces, tabs and no-break spaces that ends at ``position`` starts (not
    before ``low``)."""
    while position > low and text[position - 1] in " \t\u00a0":
        position -= 1
    return position


def _blank(text: str, start: int, end: int) -> bool:
    """``not text[start:end].strip()`` without copying the range: a line can be megabytes
    long, and these tests run once per piece on it (quadratic, found by bench/scaling.py)."""
    return _NON_SPACE.search(text, start, end) is None


def _pair_spaced_tags(pieces: list[Piece]) -> None:
    """Pair spaced openers with the closers of the same element, nesting like tags do.

    ``< tr >`` … ``< td >x</ td >`` … ``</ tr >`` pairs across lines, as long as the pair is
    within :data:`_PAIR_ROWS` lines; a closer pairs with the nearest open opener of its name
    and leaves any opener above it unpaired.
    """
    stack: list[Piece] = []
    for piece in pieces:
        if piece.shape is Shape.SPACED_OPEN and piece.element not in _VOID:
            stack.append(piece)
        elif piece.shape in (Shape.SPACED_CLOSE, Shape.BOGUS_CLOSE, Shape.LOST_CLOSE):
            element = piece.element
            for depth in range(len(stack) - 1, -1, -1):
                opener = stack[depth]
                if piece.row - opener.row > _PAIR_ROWS:
                    break
                if opener.element == element:
                    opener.partner, piece.partner = piece, opener
                    del stack[depth:]
                    break


#: How far apart (in lines) a spaced opener and its closer may be and still pair.
_PAIR_ROWS = 200


def _strong_is_debris(piece: Piece, scanner: _Scanner, debris_line: bool) -> bool:
    element = piece.element
    if element not in HTML_ELEMENTS:
        return False
    if not _attributes_look_real(piece.attributes):
        return False
    text = scanner.text
    if piece.shape is Shape.SPACED_OPEN and _DIGIT_BEFORE.search(text, max(0, piece.start - 3), piece.start):
        return False  # 3 < b > 2 is arithmetic
    if element in _AMBIGUOUS and piece.shape is Shape.SPACED_OPEN and not piece.attributes.strip():
        # "a < b > c" is arithmetic; "< b >bold< / b >" is a pair. A lone single-letter opener
        # needs its partner (closers carry a slash, which arithmetic does not).
        return piece.partner is not None or debris_line
    return True


def _attributes_look_real(attributes: str) -> bool:
    """``< a href="x" >`` has attributes; ``< b is bold >`` has prose."""
    if not attributes.strip():
        return True
    parts = list(_ATTRIBUTE_PARTS.finditer(attributes))
    with_value = sum(1 for part in parts if part.group("value"))
    return with_value >= 1 and len(parts) - with_value <= 1


def _lost_opener_is_debris(piece: Piece) -> bool:
    """``h2 id = “x”>Title``: an element opener at the start of a line, whose attributes all
    have values and at least one is quoted (straight or curly)."""
    if piece.element not in HTML_ELEMENTS:
        return False
    parts = list(_ATTRIBUTE_PARTS.finditer(piece.attributes))
    if not parts or not all(part.group("value") for part in parts):
        return False
    return any(part.group("value")[0] in "\"'“”„″‘’&" for part in parts)


def _lost_is_debris(
    piece: Piece, row_size: int, others_confirmed: bool, debris_line: bool, scanner: _Scanner
) -> bool:
    """Whether a lost piece (``td >``, ``/ em >``) is debris, given how many pieces its line
    holds and whether another of them is confirmed."""
    element = piece.element
    known = element in HTML_ELEMENTS
    if not known:
        return False  # unknown names only ride along on a confirmed line (see _confirm)
    if piece.shape in (Shape.LOST_CLOSE, Shape.LOST_SELF_CLOSED):
        # "/ em >" is the end tag of the element it sits in ("<em>Two / em > new"); an
        # element open further out (the page's <div>) is not evidence.
        return debris_line or others_confirmed or scanner.is_open(element, piece.start, innermost=True)
    # td >, table /: the weakest shapes; the line must be nothing but debris. A single letter
    # ("b >") also needs a closing run or another piece beside it, and so does a line that
    # reads like a breadcrumb ("Home > Main > Section >": capitalised words, spaced ">").
    if not debris_line:
        return others_confirmed
    if element in _AMBIGUOUS:
        return _in_closing_run(piece, scanner) or row_size > 1
    return True


def _looks_like_breadcrumb(items: list[Piece], scanner: _Scanner) -> bool:
    """Words separated by " > " with capitals (a breadcrumb or a menu path), not tag debris:
    every piece is ``Word >`` with a space before ``>``, and some name is capitalised."""
    lost = [p for p in items if p.shape is Shape.LOST_OPEN]
    if len(lost) < 2 or len(lost) != len(items):
        return False
    text = scanner.text

    def spaced(piece: Piece) -> bool:
        bracket = piece.end - (4 if text.endswith("&gt;", piece.start, piece.end) else 1)
        return text[bracket - 1 : bracket] in (" ", "\t", "\u00a0") and not piece.attributes

    return all(spaced(p) for p in lost) and any(p.name[:1].isupper() for p in lost)


def _in_closing_run(piece: Piece, scanner: _Scanner) -> bool:
    """``td >`` / ``tr >`` / ``tbody >`` / ``table >`` on consecutive lines."""
    return any(scanner.closing_word_line(row) for row in (piece.row - 1, piece.row + 1))


def _near(anchor_rows: list[int], row: int, scanner: _Scanner, distance: int = 3) -> bool:
    """Whether confirmed debris lies within ``distance`` non-blank lines of ``row``."""
    if not anchor_rows:
        return False
    index = bisect.bisect_left(anchor_rows, row)
    candidates = anchor_rows[max(0, index - 1) : index + 2]
    for anchor in candidates:
        if anchor == row:
            continue
        low, high = sorted((anchor, row))
        if high - low > 12:
            continue
        blank = sum(1 for r in range(low + 1, high) if scanner.blank_row(r))
        if high - low - blank <= distance:
            return True
    return False


# --- resolving confirmed pieces into findings ----------------------------------------------


class _Resolver:
    """Turns confirmed pieces into findings with messages and fixes."""

    def __init__(self, doc: Document, scanner: _Scanner, pieces: list[Piece]) -> None:
        self.doc = doc
        self.scanner = scanner
        self.text = doc.text
        self.pieces = pieces
        self.html = doc.mode is not Mode.TEXT
        self._by_name: dict[str, list[int]] | None = None

    def findings(self) -> list[Finding]:
        by_row: dict[int, list[Piece]] = defaultdict(list)
        for piece in self.pieces:
            by_row[piece.row].append(piece)
        repairs = self._plan_repairs() if self.html else {}
        findings: list[Finding] = []
        for row, items in sorted(by_row.items()):
            if _line_is_debris(items, self.scanner) and not any(p in repairs for p in items):
                findings.append(self._line_finding(row, items))
                continue
            for piece in items:
                findings.append(self._piece_finding(piece, repairs))
        return findings

    # Repairs (HTML mode): which pieces become real tags, and what text they become.
    def _plan_repairs(self) -> dict[Piece, str]:
        repairs: dict[Piece, str] = {}
        for piece in self.pieces:
            if piece in repairs:
                continue
            element = piece.element
            if piece.shape is Shape.SPACED_OPEN and piece.partner is not None:
                opener = _opening_tag(piece.name, piece.attributes)
                if opener and element in _REPAIRABLE and element not in _VOID:
                    repairs[piece] = opener
                    repairs[piece.partner] = f"</{piece.partner.name}>"
            elif (piece.shape is Shape.SPACED_OPEN and element in _REPAIRABLE and element not in _VOID
                  and self._real_closer_follows(piece)):
                # "< a href = "x" > Download </a>": a real end tag closes it on the same line.
                opener = _opening_tag(piece.name, piece.attributes)
                if opener:
                    repairs[piece] = opener
            elif piece.shape is Shape.SPACED_OPEN and element in _VOID and element in _REPAIRABLE:
                opener = _opening_tag(piece.name, piece.attributes)
                if opener:
                    repairs[piece] = opener
            elif piece.shape is Shape.SPACED_SELF_CLOSED and element in _VOID and element in _REPAIRABLE:
                opener = _opening_tag(piece.name, piece.attributes, self_closing=True)
                if opener:
                    repairs[piece] = opener
            elif piece.shape in _CLOSERS and piece.partner is None and element in _REPAIRABLE:
                if element not in _VOID and self.scanner.is_open(element, piece.start):
                    repairs[piece] = f"</{piece.name}>"
            elif piece.shape is Shape.LOST_OPENER and element in _REPAIRABLE and element not in _VOID:
                opener = _opening_tag(piece.name, piece.attributes)
                content = self.text[piece.end : piece.content_end]
                if opener and content.strip() and "<" not in content and ">" not in content:
                    repairs[piece] = opener
        return repairs

    def _real_closer_follows(self, piece: Piece) -> bool:
        """Whether a real end tag for the piece's element follows on its line, with no real
        start tag of that element open before it or opened in between."""
        element = piece.element
        if self.scanner.is_open(element, piece.start):
            return False
        stream = self.doc.tokens
        _, line_end, _ = self.scanner.line_bounds(piece.row)
        # The next token of that name, by bisection in the tokens of each name: walked token by
        # token, a long line of such pieces took quadratic time.
        named = self._named_tokens().get(element, [])
        at = bisect.bisect_left(named, stream.index_at(piece.end))
        if at == len(named) or stream.starts[named[at]] >= line_end:
            return False
        return stream.kinds[named[at]] is END_TAG

    def _named_tokens(self) -> dict[str, list[int]]:
        """Name -> the indexes of the tokens with that name (tags, raw text), in order."""
        if self._by_name is None:
            self._by_name = defaultdict(list)
            for index, name in enumerate(self.doc.tokens.names):
                if name:
                    self._by_name[name].append(index)
        return self._by_name

    def _piece_finding(self, piece: Piece, repairs: dict[Piece, str]) -> Finding:
        code = SHAPE_CODES[piece.shape]
        shown = _show(self.text[piece.start : piece.end])
        message = _MESSAGES[piece.shape].format(shown=shown, name=piece.name.lower())
        replacement = repairs.get(piece)
        if replacement is None:
            fix = Fix(f"Remove the debris `{shown}`", (self._removal(piece),))
        elif piece.shape is Shape.LOST_OPENER:
            # "h2 id = “x”>Title" -> "<h2 id="x">Title</h2>": the element ends with its text.
            closing = f"</{piece.name}>"
            edits = (Edit(piece.start, piece.end, replacement), Edit(piece.content_end, piece.content_end, closing))
            block = self.scanner.block_around(piece.segment)
            if block is not None and piece.element in _BLOCK_LEVEL and piece.content_end == piece.segment[1]:
                # <p>h2 id="x">Title</p>: the paragraph was wrapped around the broken heading;
                # a heading inside <p> would split it, so the heading takes the p's place.
                stream = self.doc.tokens
                wrapper_end = stream.starts[stream.index_at(piece.segment[1]) + 1]
                edits = (Edit(block[0], piece.end, replacement), Edit(piece.segment[1], wrapper_end, closing))
            fix = Fix(f"Repair into `{replacement}…{closing}`", edits)
        elif piece.partner is not None and piece.partner in repairs:
            opener, closer = sorted((piece, piece.partner), key=lambda p: p.start)
            fix = Fix(f"Repair the pair into `{repairs[opener]}…{repairs[closer]}`",
                      (Edit(opener.start, opener.end, repairs[opener]), Edit(closer.start, closer.end, repairs[closer])))
        else:
            fix = Fix(f"Repair into `{replacement}`", (Edit(piece.start, piece.end, replacement),))
        return Finding(code, piece.start, piece.end, message, fix, [piece])

    def _line_finding(self, row: int, items: list[Piece]) -> Finding:
        start, end, following = self.scanner.line_bounds(row)
        codes = [SHAPE_CODES[p.shape] for p in items]
        if len(set(codes)) == 1 or not any(code == "FR002" for code in codes):
            code = codes[0]
        else:
            code = "FR002"  # a run of mixed fragments is a lost-bracket run
        first, last = min(p.start for p in items), max(p.end for p in items)
        shown = _show(self.text[first:last])
        if len(items) == 1:
            message = _MESSAGES[items[0].shape].format(shown=shown, name=items[0].name.lower())
        else:
            message = f"Line of tag debris `{shown}`"
        if following == end and row > 0:
            # The last line has no line break of its own: take the one before it.
            _, previous_end, _ = self.scanner.line_bounds(row - 1)
            edit = Edit(previous_end, end, "")
        else:
            edit = Edit(start, following, "")
        return Finding(code, first, last, message, Fix("Remove the line of debris", (edit,)), items)

    def _removal(self, piece: Piece) -> Edit:
        """Delete a piece and the whitespace it would leave doubled or dangling."""
        text = self.text
        line_start, line_end, _ = self.scanner.line_bounds(piece.row)
        low, high = self._segment(piece, line_start, line_end)
        start, end = piece.start, piece.end
        spaces_after = _SPACES_AHEAD.match(text, end, max(end, high)).end() - end  # type: ignore[union-attr]
        spaces_before = start - _spaces_behind(text, low, start)
        if _blank(text, low, start):
            end += spaces_after
        elif _blank(text, end, high):
            start -= spaces_before
        elif spaces_before and spaces_after:
            end += spaces_after
        return Edit(start, end, "")

    def _segment(self, piece: Piece, line_start: int, line_end: int) -> tuple[int, int]:
        """The stretch of visible text around a piece on its line (tags bound it in HTML)."""
        if not self.html:
            return line_start, line_end
        stream = self.doc.tokens
        index = stream.index_at(piece.start)
        return max(line_start, stream.starts[index]), min(line_end, stream.starts[index + 1])


_MESSAGES = {
    Shape.SPACED_OPEN: "Spaced tag `{shown}` is shown as text",
    Shape.SPACED_CLOSE: "Spaced end tag `{shown}` is shown as text",
    Shape.BOGUS_CLOSE: "Spaced end tag `{shown}` is parsed as a hidden comment, not an end tag",
    Shape.SPACED_SELF_CLOSED: "Self-closed tag debris `{shown}` (an end tag `</{name}>` was meant) is shown as text",
    Shape.LOST_SELF_CLOSED: "Self-closed tag debris `{shown}` (an end tag `</{name}>` was meant) is shown as text",
    Shape.LOST_CLOSE: "End-tag fragment `{shown}` with its `<` lost is shown as text",
    Shape.LOST_OPEN: "Tag fragment `{shown}` with its `<` lost is shown as text",
    Shape.LOST_TAIL: "Tag fragment `{shown}` is shown as text",
    Shape.LOST_OPENER: "Start tag `{shown}` with its `<` lost is shown as text",
    Shape.LONE_BRACKET: "Lone `{shown}` left from a split tag",
    Shape.EDGE: "Stray `{shown}` at the edge of the text, left from a lost tag",
    Shape.DOUBLED: "Doubled bracket `{shown}` after a tag",
}


def _show(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _opening_tag(name: str, attributes: str, self_closing: bool = False) -> str | None:
    """``<name a="b">`` rebuilt from debris, or None when a repair would be unsafe."""
    rebuilt = [f"<{name}"]
    for part in _ATTRIBUTE_PARTS.finditer(attributes):
        attribute = part.group("name")
        lowered = attribute.lower()
        if lowered.startswith("on") or lowered == "srcdoc":
            return None
        value = part.group("value")
        if value is None:
            rebuilt.append(f" {attribute}")
            continue
        inner = _unquote(value)
        if inner is None:
            return None
        if lowered in _URL_ATTRIBUTES and _DANGEROUS_URL.match(_url_text(inner)):
            return None
        rebuilt.append(f' {attribute}="{inner}"')
    rebuilt.append(" />" if self_closing else ">")
    return "".join(rebuilt)


def _url_text(value: str) -> str:
    """An attribute value as a browser reads a URL: references decoded, controls dropped."""
    decoded = unescape(value, in_attribute=True)
    return "".join(ch for ch in decoded if ch > " " or ch == " ")


_CURLY = re.compile(r"^(?:[“”„″‘’]|&#82(?:20|21|43|16|17);|&[lr]dquo;)|(?:[“”„″‘’\"]|&#82(?:20|21|43|16|17);|&[lr]dquo;)$")


def _unquote(value: str) -> str | None:
    """The inner text of an attribute value in straight or curly quotes (None if it would need
    escaping to be re-quoted with ``"``)."""
    if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) >= 2:
        inner = value[1:-1]
    elif _CURLY.match(value):
        inner = _CURLY.sub("", value)
    else:
        inner = value
    if '"' in inner:
        return None
    return inner


# --- open elements (HTML mode) ---------------------------------------------------------------


class _OpenElements:
    """Which real elements are open at an offset: a simple stack walk over the real tags,
    enough to tell whether ``</ em>`` closes an open ``<em>``."""

    def __init__(self, doc: Document) -> None:
        self.stream = doc.tokens
        self.index = 0
        self.stack: list[str] = []
        #: How many of each name are on the stack: "is it open?" and "does this end tag close
        #: anything?" without walking a stack that can be thousands deep.
        self.counts: dict[str, int] = {}

    def at(self, offset: int) -> list[str]:
        """The names of the open elements at ``offset``, outermost first."""
        if self.index and self.stream.starts[self.index - 1] >= offset:
            self.index, self.stack, self.counts = 0, [], {}  # asked about an earlier place: walk again
        stream = self.stream
        kinds, names, starts = stream.kinds, stream.names, stream.starts
        stack, counts = self.stack, self.counts
        while self.index < len(kinds) and starts[self.index] < offset:
            kind = kinds[self.index]
            name = names[self.index]
            if kind is START_TAG and name not in _VOID:
                stack.append(name)
                counts[name] = counts.get(name, 0) + 1
            elif kind is END_TAG and counts.get(name):
                while True:  # pop up to and including the innermost open ``name``
                    popped = stack.pop()
                    counts[popped] -= 1
                    if popped == name:
                        break
            self.index += 1
        return stack
