"""Containers and regions: where the HTML is inside a file, and how to write fixes back.

An HTML or text file is one region covering the whole file. An export (WXR, JSON) holds many
regions, one per post body, each with its own text and a map from region offsets to offsets in
the file's decoded text, so diagnostics point at the file's own rows and columns and fixes
rewrite only the damaged characters inside the region.

A region decoded from an export is made of *segments*: runs copied verbatim from the file
(CDATA content, unescaped JSON characters) and escapes (``&amp;``, ``\\n``, ``\\u00e9``), each
of which decodes to one character. :class:`OffsetMap` keeps them; a fix is written back by
mapping its edit into the file and encoding the new text for the *context* it lands in (a
CDATA section, escaped XML text, a JSON string), so every byte outside the edit, escapes
included, stays as it was.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..document import Mode
from ..fixer import apply_edits
from ..model import Edit
from ..source import Position, SourceFile

__all__ = [
    "Container",
    "Context",
    "Locator",
    "OffsetMap",
    "ReadError",
    "Region",
    "Segment",
    "merge_verbatim",
    "whole_file",
]


class ReadError(ValueError):
    """The file could not be read as the format it claims to be (one line, names the place)."""


class Locator(Protocol):
    """Anything that turns an offset in a file's decoded text into a row and column."""

    def position(self, offset: int) -> Position: ...


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a region's text and where it sits in the file.

    A ``verbatim`` segment is copied character for character (its file span is as long as its
    region span); an escape is one segment that decodes to one character. ``context`` indexes
    the region's :class:`Context` list: replacement text is encoded for the context it lands in.
    """

    region_start: int
    file_start: int
    file_end: int
    verbatim: bool
    context: int = 0


class OffsetMap:
    """Maps offsets of a decoded region to offsets in the file's decoded text.

    At a boundary between two segments whose file positions differ (markup such as
    ``]]><![CDATA[`` lies between them), ``side="left"`` gives the end of the earlier segment
    and ``side="right"`` the start of the later one: an edit's start maps right and its end
    left, so the markup between two decoded characters is replaced only when an edit spans it.
    """

    __slots__ = ("segments", "_starts", "base")

    def __init__(self, segments: Sequence[Segment], base: int = 0) -> None:
        self.segments = list(segments)
        self._starts = [s.region_start for s in self.segments]
        #: Where an empty region sits in the file.
        self.base = base

    def locate(self, offset: int, side: str = "left") -> tuple[int, int]:
        """``(file offset, segment index)`` of a region offset (0 <= offset <= length)."""
        segments = self.segments
        if not segments:
            return self.base, -1
        index = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        segment = segments[index]
        if offset == segment.region_start and index > 0 and side == "left":
            return segments[index - 1].file_end, index - 1
        if segment.verbatim:
            return min(segment.file_start + offset - segment.region_start, segment.file_end), index
        return (segment.file_end if offset > segment.region_start else segment.file_start), index

    def to_file(self, offset: int) -> int:
        return self.locate(offset)[0]


@dataclass(frozen=True)
class Context:
    """How replacement text is written in one kind of place in a file.

    ``encode`` escapes text for the context (a CDATA section, escaped XML text, a JSON string);
    ``close`` and ``open`` are the markup that ends and starts it, used when one edit runs from
    one context into another. ``guards_cdata_end`` marks XML contexts, where ``]]>`` must never
    appear: an edit there is widened over neighbouring ``]`` and ``>`` characters so that the
    encoder sees (and escapes) any ``]]>`` the edit would form with the text around it.
    """

    name: str
    encode: Callable[[str], str]
    close: str = ""
    open: str = ""
    guards_cdata_end: bool = False


@dataclass
class Region:
    """One piece of HTML or text inside a file.

    ``offsets`` (an :class:`OffsetMap`) or ``to_file`` maps an offset in ``text`` to an offset
    in the file's decoded text; the default is a shift by ``start`` (the region is a verbatim
    slice of the file). ``contexts`` encode replacement text for the file (escaping for a JSON
    string or entity-escaped XML); ``encode`` is the one-context shorthand. A region that is
    not ``writable`` is checked only, and ``readonly_reason`` says why. ``locator`` gives rows
    and columns when the container has no index of the whole file (a streamed export).
    """

    text: str
    mode: Mode
    start: int = 0
    label: str | None = None
    writable: bool = True
    to_file: Callable[[int], int] | None = None
    encode: Callable[[str], str] | None = None
    #: Why the region is not writable, shown once when fixes are held back.
    readonly_reason: str | None = None
    offsets: OffsetMap | None = None
    contexts: Sequence[Context] = ()
    locator: Locator | None = None
    #: The file's decoded text between two file offsets (clamped to what the reader kept).
    peek: Callable[[int, int], str] | None = None
    #: ``(start, end)`` of the file text the region was decoded from (a CDATA-wrapped element
    #: body, a JSON string literal without its quotes); None for a whole-file region.
    extent: tuple[int, int] | None = None

    def file_offset(self, offset: int) -> int:
        if self.offsets is not None:
            return self.offsets.to_file(offset)
        return self.to_file(offset) if self.to_file else self.start + offset

    def file_edit(self, edit: Edit) -> Edit:
        """The edit in file coordinates, its content encoded for where it lands."""
        if self.offsets is None or not self.contexts:
            content = self.encode(edit.content) if self.encode else edit.content
            return Edit(self.file_offset(edit.start), self.file_offset(edit.end), content)
        empty = edit.start == edit.end
        start, first = self.offsets.locate(edit.start, "left" if empty else "right")
        end, last = self.offsets.locate(edit.end, "left")
        segments = self.offsets.segments
        start_context = self.contexts[segments[first].context if first >= 0 else 0]
        end_context = self.contexts[segments[last].context if last >= 0 else 0]
        text = edit.content
        if self.peek is not None:
            if start_context.guards_cdata_end:
                before = self.peek(max(start - 2, 0), start)
                taken = len(before) - len(before.rstrip("]"))
                text = before[len(before) - taken:] + text
                start -= taken
            if end_context.guards_cdata_end:
                after = self.peek(end, end + 2)
                taken = 1 if after.startswith(">") else 2 if after == "]>" else 0
                text += after[:taken]
                end += taken
        content = start_context.encode(text)
        if end_context is not start_context:
            content += start_context.close + end_context.open
        return Edit(start, end, content)

    def position(self, offset: int) -> Position | None:
        """Row and column of a file offset, when this region knows them (streamed exports)."""
        return self.locator.position(offset) if self.locator is not None else None


@dataclass
class Container:
    """A decoded file and the regions found in it."""

    kind: str
    source: SourceFile
    regions: list[Region]
    #: Things the user must know about this file (a partial read, held-back fixes).
    notices: list[str] = field(default_factory=list)
    #: False when the file could not be fully parsed: it is checked but never written.
    writable: bool = True
    #: The one-line error that made the file unwritable (a malformed export, naming the line).
    error: str | None = None

    def rebuild(self, changes: Sequence[tuple[Region, Sequence[Edit]]]) -> str:
        """The file's text with each region's edits written in place."""
        edits = [region.file_edit(edit) for region, region_edits in changes for edit in region_edits]
        return apply_edits(self.source.text, edits)


def whole_file(kind: str, source: SourceFile, mode: Mode) -> Container:
    """A container whose single region is the entire file."""
    return Container(kind, source, [Region(source.text, mode)])


def merge_verbatim(segments: Iterable[Segment]) -> list[Segment]:
    """Join adjacent verbatim segments that are contiguous in the file and share a context."""
    merged: list[Segment] = []
    for segment in segments:
        if merged:
            last = merged[-1]
            if (last.verbatim and segment.verbatim and last.file_end == segment.file_start
                    and last.context == segment.context):
                merged[-1] = Segment(last.region_start, last.file_start, segment.file_end, True, last.context)
                continue
        merged.append(segment)
    return merged
