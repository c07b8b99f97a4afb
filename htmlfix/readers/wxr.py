"""WordPress WXR (and RSS) exports: post HTML in ``content:encoded`` and ``excerpt:encoded``.

The file is read once, in chunks, so memory stays flat however large the export is:

* a **lexer** over the decoded text finds every ``<item>`` and the body of each
  ``content:encoded`` / ``excerpt:encoded`` element, with exact file offsets. It knows CDATA
  sections (including bodies split as ``]]]]><![CDATA[>``), comments, processing instructions
  and entity-escaped text, so a ``<item>`` written inside a post is never taken for a post;
* **lxml** (``XMLPullParser``, fed the same bytes, elements cleared as they end) checks that the
  file is well-formed XML and decodes each body independently: every body the lexer read must
  decode to exactly what lxml read, and the two must count the same items. A file that fails
  either check is reported (the first XML error names its line) and never written; the lexer,
  which does not depend on well-formedness, still checks every post it can delimit, and every
  ``<item>`` it cannot read is named. (``iterparse(recover=True)`` is not used: on a real
  malformed export it returned 569 of 825 items without raising.)

A region's text is the body as an XML parser decodes it (entities resolved, CDATA markup
removed), with the file's own line endings; its :class:`~.base.OffsetMap` maps every character
back to the file, and fixes are written back inside the CDATA section (a ``]]>`` in new text
becomes ``]]]]><![CDATA[>``) or escaped in entity-escaped text.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, BinaryIO, cast

from ..document import Mode
from ..source import LineIndex, Position
from .base import Context, OffsetMap, Region, Segment, merge_verbatim

__all__ = [
    "ContentScan",
    "WxrReader",
    "is_xml_export",
    "scan_content",
    "xml_contexts",
]

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_EXCERPT_NS = re.compile(r"https?://wordpress\.org/export/1\.\d+/excerpt/\Z")

#: How many characters past a construct's start the lexer wants before deciding what it is.
_MARGIN = 512
CHUNK_SIZE = 1 << 20
#: Posts named in a "could not be read" notice before "and N more".
MAX_NAMED = 20

# The root element is <rss>, after an optional XML declaration, comments and a doctype. Every
# part is possessive and a comment cannot run past its first "-->": with a lazy ".*?" in the
# repeated group, a head of comments not followed by <rss> backtracked exponentially (a 2 KB
# file took 26 s; found by fuzzing).
_EXPORT_HEAD = re.compile(
    rb"\A\s*+(?:<\?xml(?:[^?]++|\?(?!>))*+\?>\s*+)?+(?:(?:<!--(?:[^-]++|-(?!->))*+-->|<!DOCTYPE[^>]*+>)\s*+)*+<rss[\s>]"
)
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")

# The next construct that matters: CDATA, comment, PI, doctype, or the tags the reader uses.
# Other tags are skipped unread: in well-formed XML their attribute values cannot hold "<".
_NEXT = re.compile(
    r"<(?:(!\[CDATA\[)|(!--)|(\?)|(!)|(/?)(rss|item|title|[\w.\-]+:(?:encoded|post_id))(?=[\s/>]))"
)
_TAG_END = re.compile(r"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+>""")
_XMLNS = re.compile(r"""xmlns:([\w.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DOCTYPE_END = re.compile(r"[^\[>]*+(?:\[[^\]]*+\][^>]*+)?>")
_ENTITY = re.compile(r"&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ITEM_TAG = re.compile(r"<item[\s>/]")
_EOL = re.compile(r"\r\n?")

CDATA_CONTEXT, TEXT_CONTEXT = 0, 1


def is_xml_export(head: bytes) -> bool:
    """Whether the first bytes of a file look like an RSS/WXR export with post bodies."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    head = head.removeprefix(codecs.BOM_UTF8)
    return bool(_EXPORT_HEAD.match(head)) and (
        b"purl.org/rss/1.0/modules/content/" in head or b"wordpress.org/export/" in head
    )


def detect_encoding(head: bytes) -> tuple[str, bytes]:
    """``(codec, BOM)`` of an XML file: its BOM, else its declaration, else UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", codecs.BOM_UTF8
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return name, bom
    declared = _DECLARED_ENCODING.search(head[:1024])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return codecs.lookup(name).name, b""
        except LookupError:
            return name, b""
    return "utf-8", b""


def _errors_for(encoding: str) -> str:
    # Undecodable bytes become lone surrogates that encode back to the same bytes; lxml reports
    # such a file as malformed, so it is checked but never written.
    return "strict" if encoding.startswith("utf-16") else "surrogateescape"


def xml_contexts(encoding: str = "utf-8") -> tuple[Context, Context]:
    """The CDATA and escaped-text contexts, for a file in ``encoding``."""
    universal = encoding in ("utf-8", "utf-16-le", "utf-16-be")

    def representable(ch: str) -> bool:
        if universal:
            return True
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            return False
        return True

    def charrefs(text: str, wrap: Callable[[str], str]) -> str:
        if universal or text.isascii():
            return text
        return "".join(ch if representable(ch) else wrap(f"&#x{ord(ch):X};") for ch in text)

    def cdata(text: str) -> str:
        return charrefs(text.replace("]]>", "]]]]><![CDATA[>"), lambda ref: f"]]>{ref}<![CDATA[")

    def escaped(text: str) -> str:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return charrefs(text, lambda ref: ref)

    return (
        Context("cdata", cdata, close="]]>", open="<![CDATA[", guards_cdata_end=True),
        Context("xml-text", escaped, guards_cdata_end=True),
    )


@dataclass
class ContentScan:
    """An element body decoded: its text, segments in file offsets, and its XML value digest."""

    text: str
    segments: list[Segment]
    digest: bytes
    #: Set when the body holds child elements, comments or processing instructions, which an
    #: XML parser does not return as the element's text: such a body is checked only.
    unsupported: str | None = None


def scan_content(raw: str, base: int) -> ContentScan:
    """Decode an element body ``raw`` (text between its tags) found at file offset ``base``."""
    parts: list[str] = []
    segments: list[Segment] = []
    hasher = hashlib.blake2b(digest_size=16)
    unsupported = None
    length = 0
    position = 0
    end = len(raw)
    while position < end:
        lt = raw.find("<", position)
        stop = end if lt < 0 else lt
        if stop > position:
            length = _scan_text(raw, position, stop, base, length, parts, segments, hasher)
        if lt < 0:
            break
        if raw.startswith("<![CDATA[", lt):
            close = raw.find("]]>", lt + 9)
            if close < 0:
                close, after = end, end
                unsupported = unsupported or "an unterminated CDATA section"
            else:
                after = close + 3
            piece = raw[lt + 9:close]
            if piece:
                parts.append(piece)
                segments.append(Segment(length, base + lt + 9, base + close, True, CDATA_CONTEXT))
                hasher.update(_xml_newlines(piece).encode("utf-8", "surrogatepass"))
                length += len(piece)
            position = after
            continue
        # A comment, processing instruction or child element: an XML parser does not give it
        # back as this element's text. Skip it and keep the element read-only.
        unsupported = unsupported or "XML markup (elements or comments) inside the body"
        terminator = "-->" if raw.startswith("<!--", lt) else "?>" if raw.startswith("<?", lt) else ">"
        close = raw.find(terminator, lt + 1)
        position = end if close < 0 else close + len(terminator)
    return ContentScan("".join(parts), merge_verbatim(segments), hasher.digest(), unsupported)


def _scan_text(raw: str, start: int, stop: int, base: int, length: int, parts: list[str],
               segments: list[Segment], hasher: "hashlib.blake2b") -> int:
    """Decode entity-escaped text ``raw[start:stop]``; return the region length after it."""
    position = start
    if "&" in raw[start:stop]:
        for match in _ENTITY.finditer(raw, start, stop):
            if match.start() > position:
                piece = raw[position:match.start()]
                parts.append(piece)
                segments.append(Segment(length, base + position, base + match.start(), True, TEXT_CONTEXT))
                hasher.update(_xml_newlines(piece).encode("utf-8", "surrogatepass"))
                length += len(piece)
            decimal, hexadecimal, name = match.groups()
            if name:
                char = _PREDEFINED[name]
            else:
                code = int(decimal) if decimal else int(hexadecimal, 16)
                char = chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
            parts.append(char)
            segments.append(Segment(length, base + match.start(), base + match.end(), False, TEXT_CONTEXT))
            hasher.update(char.encode("utf-8", "surrogatepass"))
            length += 1
            position = match.end()
    if stop > position:
        piece = raw[position:stop]
        parts.append(piece)
        segments.append(Segment(length, base + position, base + stop, True, TEXT_CONTEXT))
        hasher.update(_xml_newlines(piece).encode("utf-8", "surrogatepass"))
        length += len(piece)
    return length


def _xml_newlines(text: str) -> str:
    """XML end-of-line handling: what a parser returns for literal line breaks."""
    return _EOL.sub("\n", text) if "\r" in text else text


class LineTracker:
    """Rows and columns of increasing offsets in a text read piece by piece."""

    __slots__ = ("offset", "row", "line_start", "last")

    def __init__(self) -> None:
        self.offset = 0
        self.row = 1
        self.line_start = 0
        self.last = ""

    def advance(self, text: str, start: int, stop: int, base: int) -> None:
        """Move over ``text[start:stop]``, which sits at file offset ``base + start``."""
        if stop <= start:
            return
        newlines = text.count("\n", start, stop)
        returns = text.count("\r", start, stop)
        breaks = newlines + returns - text.count("\r\n", start, stop)
        if self.last == "\r" and text[start] == "\n":
            breaks -= 1  # the second half of a CRLF already counted
        if breaks or (self.last == "\r" and text[start] == "\n"):
            last_break = max(text.rfind("\n", start, stop), text.rfind("\r", start, stop))
            self.line_start = base + last_break + 1
        self.row += breaks
        self.offset = base + stop
        self.last = text[stop - 1]

    def position(self, offset: int) -> Position:
        return Position(self.row, offset - self.line_start + 1)


class SliceLocator:
    """Rows and columns inside one element body, from the body's own start position."""

    __slots__ = ("base", "start", "raw", "_lines")

    def __init__(self, raw: str, base: int, start: Position) -> None:
        self.base = base
        self.start = start
        self.raw = raw
        self._lines: LineIndex | None = None  # built on first use: most posts have no findings

    def position(self, offset: int) -> Position:
        if self._lines is None:
            self._lines = LineIndex(self.raw)
        inner = self._lines.position(max(offset - self.base, 0))
        if inner.row == 1:
            return Position(self.start.row, self.start.column + inner.column - 1)
        return Position(self.start.row + inner.row - 1, inner.column)


@dataclass
class _Item:
    start_line: int
    title: str | None = None
    post_id: str | None = None
    regions: list[tuple[str, Region]] = field(default_factory=list)
    namespaces: dict[str, str] = field(default_factory=dict)

    def label(self) -> str:
        name = f"post {self.post_id}" if self.post_id else "post"
        if self.title:
            title = " ".join(self.title.split())
            name += f" “{title[:60]}{'…' if len(title) > 60 else ''}”"
        elif not self.post_id:
            name += f" at line {self.start_line}"
        return name


class _Validator:
    """lxml, fed the same bytes as the lexer: well-formedness and an independent decoding.

    ``recover=False``: in recovery mode libxml2 records no errors and silently drops what it
    cannot parse. The first error stops validation; the lexer goes on checking what it can.
    """

    def __init__(self) -> None:
        from lxml import etree  # here, not at import: only exports need lxml (~10 ms to load)

        self.parser = etree.XMLPullParser(
            events=("end",), tag=("{*}encoded", "{*}item"), recover=False, huge_tree=True,
            resolve_entities=False, no_network=True, load_dtd=False,
        )
        self.syntax_error: Any = etree.XMLSyntaxError
        self.error: tuple[int, str] | None = None
        self.items = 0
        self.digests: deque[bytes] = deque()

    def feed(self, data: bytes) -> None:
        if self.error is None:
            self._run(lambda: self.parser.feed(data))

    def close(self) -> None:
        if self.error is None:
            self._run(self.parser.close)

    def _run(self, step: Callable[[], object]) -> None:
        try:
            step()
        except self.syntax_error as exc:
            line = exc.position[0] if exc.position else exc.lineno
            self.error = (line or 0, exc.msg.split(", line ")[0].strip())
            return
        self._drain()

    def _drain(self) -> None:
        for _event, event_element in self.parser.read_events():
            element = cast(Any, event_element)  # end events carry elements
            tag = element.tag
            if tag == "item" or tag.endswith("}item"):
                self.items += 1
                element.clear(keep_tail=True)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
                continue
            namespace = tag[1:tag.index("}")] if tag.startswith("{") else ""
            if namespace == CONTENT_NS or _EXCERPT_NS.match(namespace):
                self.digests.append(_digest(element.text or ""))


@lru_cache(maxsize=64)
def _closing_tag(qname: str) -> re.Pattern[str]:
    """The end tag of an element (one pattern per element name, not one per element)."""
    return re.compile(r"</" + re.escape(qname) + r"\s*>")


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class WxrReader:
    """Reads an RSS/WXR export from a binary stream, yielding one region per post body.

    After the regions are consumed: ``items`` (``<item>`` tags the lexer found), ``error`` (the
    first thing that makes the file unwritable, one line naming where), ``unread`` (posts whose
    body could not be delimited), ``mismatches`` (posts the lexer and lxml decoded differently).
    ``writable`` is True only for a well-formed file read completely and cross-checked.
    """

    def __init__(self, stream: BinaryIO, *, chunk_size: int = CHUNK_SIZE, validate: bool = True) -> None:
        self.stream = stream
        self.chunk_size = chunk_size
        head = stream.read(4096)
        self.encoding, self.bom = detect_encoding(head)
        unknown = None
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            # Found by fuzzing: an encoding name no codec knows (XML: a fatal error). The file
            # is reported and never read further or written.
            unknown, self.encoding = self.encoding, "utf-8"
        self.contexts = xml_contexts(self.encoding)
        self._decoder = codecs.getincrementaldecoder(self.encoding)(errors=_errors_for(self.encoding))
        self._validator = _Validator() if validate else None
        self._pending_head: bytes | None = head
        self._buf = ""
        self._base = 0  # file offset (in decoded characters) of _buf[0]
        self._eof = False
        self._stopped = False
        self._lines = LineTracker()
        self.items = 0
        self.regions_read = 0
        self.error: str | None = None
        self.unread: list[str] = []
        self.unread_count = 0
        self.mismatches: list[str] = []
        self._lexer_digests: deque[tuple[bytes, str]] = deque()
        self._namespaces: dict[str, str] = {}
        self._item: _Item | None = None
        self._channel_regions: list[Region] = []
        self._construct = 0  # buffer index of the construct being read
        if unknown is not None:
            self.error = f"unknown encoding {unknown!r} in the XML declaration"
            self._eof = self._stopped = True
            self._pending_head = None

    # --- reading ---------------------------------------------------------------------------

    def _read(self) -> bool:
        """Append the next chunk to the buffer; False once the file is exhausted."""
        if self._eof:
            return False
        if self._pending_head is not None:
            data, self._pending_head = self._pending_head, None
            if self._validator:
                self._validator.feed(data)
            data = data[len(self.bom):]
        else:
            data = self.stream.read(self.chunk_size)
            if self._validator:
                if data:
                    self._validator.feed(data)
                else:
                    self._validator.close()
        try:
            self._buf += self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            self._eof = True
            line = self._lines.row + self._buf.count("\n")
            raise _Fatal(f"not valid {self.encoding} near line {line}: {exc.reason}") from None
        if not data:
            self._eof = True
        return True

    def _more(self) -> bool:
        """Grow the buffer geometrically, so rescanning an unfinished construct stays linear."""
        target = len(self._buf) * 2 + self.chunk_size
        grew = False
        while len(self._buf) < target and self._read():
            grew = True
        return grew

    def _advance_lines(self, index: int) -> None:
        local = self._lines.offset - self._base
        if index > local:
            self._lines.advance(self._buf, local, index, self._base)

    def _trim(self, index: int) -> None:
        """Forget the buffer before ``index`` (nothing there is needed again)."""
        if index <= 0:
            return
        self._advance_lines(index)
        self._buf = self._buf[index:]
        self._base += index

    def _position(self, index: int) -> Position:
        """Row and column of buffer index ``index``."""
        self._advance_lines(index)
        lines = self._lines
        local = lines.offset - self._base
        if index >= local:
            return lines.position(self._base + index)
        # Behind the tracker (rare): count back from it.
        between = self._buf[index:local]
        row = lines.row - (len(_LINE_BREAK.findall(between)))
        line_start = max(self._buf.rfind("\n", 0, index), self._buf.rfind("\r", 0, index)) + 1
        return Position(row, index - line_start + 1)

    # --- the lexer ---------------------------------------------------------------------------

    def regions(self) -> Iterator[Region]:
        """Every post body, in file order (a post's regions come when its ``</item>`` is read)."""
        try:
            yield from self._lex()
        except _Fatal as exc:
            self._stopped = True
            self.error = self.error or str(exc)
        self._finish()
        yield from self._channel_regions
        self._channel_regions = []

    def _lex(self) -> Iterator[Region]:
        # Constructs are handled where they sit in the buffer; the consumed prefix is dropped
        # only when more text is needed or it has grown large (slicing is a copy).
        position = 0
        self._read()
        while True:
            if position > self.chunk_size:
                self._trim(position)
                position = 0
            # A construct is taken only when enough text follows it to tell what it is.
            limit = len(self._buf) if self._eof else len(self._buf) - _MARGIN
            match = _NEXT.search(self._buf, position)
            if match is None or match.start() >= limit:
                if self._eof:
                    return
                keep = max(position, min(limit, match.start() if match else limit))
                self._trim(keep)
                position = 0
                self._more()
                continue
            start = match.start()
            self._construct = start
            cdata, comment, pi, declaration, slash, name = match.groups()
            if cdata or comment or pi or declaration:
                position = self._skip(match.end(), cdata, comment, pi)
                continue
            end = self._tag_end(match.end())
            if slash:
                if name == "item" and self._item is not None:
                    yield from self._end_item()
                position = end
                continue
            position = self._start_tag(name, start, end)
            if self._item is None and self._channel_regions:
                yield from self._channel_regions
                self._channel_regions = []

    def _skip(self, opened: int, cdata: str | None, comment: str | None, pi: str | None) -> int:
        """Step over the CDATA section, comment, PI or doctype that starts the buffer."""
        terminator = "]]>" if cdata else "-->" if comment else "?>" if pi else None
        searched = opened
        while True:
            if terminator:
                close = self._buf.find(terminator, searched)
                if close >= 0:
                    return close + len(terminator)
                searched = max(opened, len(self._buf) - len(terminator))
            else:
                match = _DOCTYPE_END.match(self._buf, opened)
                if match:
                    return match.end()
            if not self._more():
                what = "CDATA section" if cdata else "comment" if comment else "declaration"
                raise _Fatal(f"unterminated {what} starting at line {self._position(self._construct).row}")

    def _tag_end(self, opened: int) -> int:
        while True:
            match = _TAG_END.match(self._buf, opened)
            if match:
                return match.end()
            if not self._more():
                raise _Fatal(f"unterminated tag at line {self._position(self._construct).row}")

    def _start_tag(self, name: str, start: int, end: int) -> int:
        """Handle the start tag at ``buf[start:end]``; return where lexing continues."""
        tag = self._buf[start:end]
        declared = ({m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                     for m in _XMLNS.finditer(tag)} if "xmlns" in tag else {})
        if name == "rss":
            self._namespaces.update(declared)
            return end
        if name == "item":
            if self._item is not None:
                self._unreadable(self._item, "its </item> is missing")
            self.items += 1
            self._item = _Item(self._position(start).row, namespaces=declared)
            return end
        item = self._item
        prefix, _, local = name.rpartition(":")
        if tag.endswith("/>"):
            if local == "encoded" and self._body_kind(prefix, declared) is not None:
                self._lexer_digests.append((_digest(""), item.label() if item else "channel"))
            return end
        if name == "title" or local == "post_id":
            if item is None or (name == "title" and item.title is not None):
                return end
            try:
                body_end, close_end = self._element_body(name, end)
            except _Unclosed as exc:
                self._unreadable(item, f"<{name}> is never closed")
                self._item = None
                return exc.index
            value = scan_content(self._buf[end:body_end], self._base + end).text
            if name == "title":
                item.title = value
            else:
                item.post_id = value.strip()
            return close_end
        kind = self._body_kind(prefix, declared)
        if kind is None:
            return end
        body_start = self._position(end)
        try:
            body_end, close_end = self._element_body(name, end)
        except _Unclosed as exc:
            if item is not None:
                self._unreadable(item, f"<{name}> is never closed")
                self._item = None
            return exc.index
        self._record_region(kind, self._buf[end:body_end], self._base + end, body_start)
        return close_end

    def _body_kind(self, prefix: str, declared: dict[str, str]) -> str | None:
        """``content`` or ``excerpt`` for a ``prefix:encoded`` element, else None."""
        item = self._item
        namespace = (declared.get(prefix) or (item.namespaces.get(prefix) if item else None)
                     or self._namespaces.get(prefix, ""))
        if namespace == CONTENT_NS:
            return "content"
        if _EXCERPT_NS.match(namespace):
            return "excerpt"
        return None

    def _element_body(self, qname: str, opened: int) -> tuple[int, int]:
        """``(end of body, end of end tag)`` of the element whose start tag ends at ``opened``.

        Raises :class:`_Unclosed` when the body runs into another ``<item>`` (its end tag is
        missing), so one broken post does not swallow the rest of the export.
        """
        closing = _closing_tag(qname)
        position = opened
        while True:
            buf = self._buf
            lt = buf.find("<", position)
            while lt >= 0:
                if buf.startswith("<![CDATA[", lt):
                    close = buf.find("]]>", lt + 9)
                    if close < 0:
                        break
                    lt = buf.find("<", close + 3)
                    continue
                if buf.startswith("<!--", lt):
                    close = buf.find("-->", lt + 4)
                    if close < 0:
                        break
                    lt = buf.find("<", close + 3)
                    continue
                if len(buf) - lt < len(qname) + 16 and not self._eof:
                    break  # too close to the end to tell what this is
                if buf.startswith("</", lt):
                    match = closing.match(buf, lt)
                    if match:
                        return lt, match.end()
                    if buf.startswith("</item", lt):
                        raise _Unclosed(lt)
                elif _ITEM_TAG.match(buf, lt):
                    raise _Unclosed(lt)
                lt = buf.find("<", lt + 1)
            position = opened if lt < 0 else lt
            if lt < 0:
                position = max(opened, len(buf) - 1)
            if not self._more():
                raise _Fatal(f"<{qname}> opened at line {self._position(self._construct).row} is never closed")

    def _record_region(self, kind: str, raw: str, base: int, start: Position) -> None:
        scan = scan_content(raw, base)
        self.regions_read += 1
        item = self._item
        self._lexer_digests.append((scan.digest, item.label() if item else kind))
        self._check_digests()

        def peek(a: int, b: int) -> str:
            return raw[max(a - base, 0):max(b - base, 0)]

        region = Region(
            scan.text,
            Mode.HTML,
            start=base,
            writable=scan.unsupported is None,
            readonly_reason=f"the body holds {scan.unsupported}" if scan.unsupported else None,
            offsets=OffsetMap(scan.segments, base),
            contexts=self.contexts,
            locator=SliceLocator(raw, base, start),
            peek=peek,
            extent=(base, base + len(raw)),
            label=kind,
        )
        if item is None:
            self._channel_regions.append(region)
        else:
            item.regions.append((kind, region))

    def _end_item(self) -> Iterator[Region]:
        item = self._item
        assert item is not None
        self._item = None
        label = item.label()
        for kind, region in item.regions:
            region.label = label if kind == "content" else f"excerpt of {label}"
            yield region

    def _unreadable(self, item: _Item, why: str) -> None:
        self.unread_count += 1
        if len(self.unread) < MAX_NAMED:
            self.unread.append(f"{item.label()} at line {item.start_line} ({why})")
        self.error = self.error or f"{item.label()} at line {item.start_line} could not be read: {why}"

    # --- cross-checks -------------------------------------------------------------------------

    def _check_digests(self) -> None:
        validator = self._validator
        if validator is None:
            return
        while self._lexer_digests and validator.digests:
            mine, label = self._lexer_digests.popleft()
            if validator.digests.popleft() != mine and len(self.mismatches) < MAX_NAMED:
                self.mismatches.append(label)

    def _finish(self) -> None:
        if self._item is not None:
            self._unreadable(self._item, "the file ends inside it")
            self._item = None
        if self._stopped:
            # The lexer could not go on: count the <item> tags it never reached (a raw count).
            self.unread_count += self._count_remaining_items()
        validator = self._validator
        if validator is None:
            return
        while not self._eof:
            self._read()  # feeds the validator the rest of the file
        self._check_digests()
        if validator.error is not None:
            line, message = validator.error
            self.error = self.error or f"malformed XML at line {line}: {message}"
            return
        if validator.items != self.items or self._lexer_digests or validator.digests:
            self.error = self.error or (
                f"cross-check failed: the XML parser read {validator.items} items, htmlfix "
                f"{self.items}; the file was not written"
            )
        elif self.mismatches:
            self.error = self.error or (
                f"cross-check failed: the XML parser decoded {len(self.mismatches)} post "
                f"body(ies) differently ({', '.join(self.mismatches[:3])}); the file was not written"
            )

    def _count_remaining_items(self) -> int:
        count = 0
        while True:
            tail = self._buf[-8:]
            count += len(_ITEM_TAG.findall(self._buf))
            self._buf = ""
            try:
                if not self._read():
                    break
            except _Fatal:
                break
            self._buf = tail + self._buf
            count -= len(_ITEM_TAG.findall(tail))
        return count

    @property
    def writable(self) -> bool:
        return self.error is None and self._eof

    def notices(self) -> list[str]:
        """What the user must know about a partial read (empty for a clean one)."""
        found: list[str] = []
        if self.unread_count:
            named = "; ".join(self.unread)
            more = self.unread_count - len(self.unread)
            found.append(
                f"{self.unread_count} post(s) could not be read"
                + (f": {named}" if named else "")
                + (f"; and {more} more" if more > 0 and named else "")
            )
        if self.error is not None:
            found.append(
                f"partial check: {self.regions_read} post bodies in {self.items} <item> elements "
                "were checked; the file was not written"
            )
        return found


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _Fatal(Exception):
    """The lexer cannot go on (undecodable bytes, an unterminated construct)."""


class _Unclosed(Exception):
    """An element body runs into the next ``<item>``: its end tag is missing."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index
