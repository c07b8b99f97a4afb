"""Containers and regions: where the HTML is inside a file, and how to write fixes back.

An HTML or text file is one region covering the whole file. An export (WXR, JSON) holds many
regions, one per post body, each with its own text and a map from region offsets to offsets in
the file's decoded text, so diagnostics point at the file's own rows and columns and fixes
rewrite only the damaged characters inside the region.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..document import Mode
from ..fixer import apply_edits
from ..model import Edit
from ..source import SourceFile

__all__ = ["Container", "Region", "ReadError"]


class ReadError(ValueError):
    """The file could not be read as the format it claims to be (one line, names the place)."""


@dataclass
class Region:
    """One piece of HTML or text inside a file.

    ``to_file`` maps an offset in ``text`` to an offset in the file's decoded text; the default
    is a shift by ``start`` (the region is a verbatim slice of the file, as in CDATA).
    ``encode`` turns replacement text into what must be written in the file (escaping for a
    JSON string or entity-escaped XML). A region that is not ``writable`` is checked only.
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

    def file_offset(self, offset: int) -> int:
        return self.to_file(offset) if self.to_file else self.start + offset

    def file_edit(self, edit: Edit) -> Edit:
        content = self.encode(edit.content) if self.encode else edit.content
        return Edit(self.file_offset(edit.start), self.file_offset(edit.end), content)


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

    def rebuild(self, changes: Sequence[tuple[Region, Sequence[Edit]]]) -> str:
        """The file's text with each region's edits written in place."""
        edits = [region.file_edit(edit) for region, region_edits in changes for edit in region_edits]
        return apply_edits(self.source.text, edits)


def whole_file(kind: str, source: SourceFile, mode: Mode) -> Container:
    """A container whose single region is the entire file."""
    return Container(kind, source, [Region(source.text, mode)])
