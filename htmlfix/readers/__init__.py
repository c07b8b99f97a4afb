"""Choosing how to read a file: by extension and content, or as forced by ``--mode``.

========================  =============================================================
kind                      regions
========================  =============================================================
HTML (.html .htm .xhtml)  the whole file, as HTML (a document or a CMS fragment)
text (.txt)               the whole file, as a plain-text export (or HTML if it is markup)
Markdown (.md .markdown)  the whole file; raw HTML is checked, code is never touched
WXR / RSS (.xml .wxr,     ``content:encoded`` and ``excerpt:encoded`` of every item
or any file whose root    (streamed: see :mod:`.wxr`)
element is ``<rss>``)
JSON (.json)              Ghost exports' ``posts[].html``; any JSON with ``--json-field``
========================  =============================================================
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from ..config import MODES
from ..document import Mode, sniff_mode
from ..source import SourceFile
from .base import Container, ReadError, Region, whole_file
from .wxr import is_xml_export

if TYPE_CHECKING:
    from ..config import Settings

__all__ = [
    "Container",
    "KNOWN_EXTENSIONS",
    "MODES",
    "ReadError",
    "Region",
    "is_streamed_export",
    "kind_for_path",
    "open_container",
]

#: Extensions htmlfix reads when it walks a directory, and the reader for each. An ``.xml`` or
#: ``.json`` file that is not an export htmlfix knows is skipped, never failed.
KNOWN_EXTENSIONS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xml": "xml",
    ".wxr": "xml",
    ".json": "json",
}


def kind_for_path(path: str | PurePath) -> str | None:
    """The reader for a file name, or None for files htmlfix does not read."""
    return KNOWN_EXTENSIONS.get(PurePath(path).suffix.lower())


def is_streamed_export(path: str | PurePath, head: bytes, mode: str | None = None) -> bool:
    """Whether a file is an RSS/WXR export, read by the streaming reader (by content: an
    export saved as ``.txt`` or without an extension is still one). ``--mode`` overrides."""
    if mode and mode != "auto":
        return False
    kind = kind_for_path(path)
    return kind in (None, "xml", "text") and is_xml_export(head)


def open_container(
    path: str | PurePath, source: SourceFile, mode: str | None = None, settings: Settings | None = None,
    *, explicit: bool = True,
) -> Container | None:
    """Find the regions of a decoded file; None when the file is of a kind htmlfix skips.

    ``mode`` (from ``--mode``) forces how the whole file is read. RSS/WXR exports are not read
    here but streamed (:func:`is_streamed_export`, :func:`htmlfix.runner.process_export`).
    A ``.json`` file met while walking a directory (not ``explicit``) that does not parse is
    skipped unless ``--json-field`` names fields or it looks like a Ghost export: a directory
    holds JSON Lines logs and JSON-with-comments configs that are not exports at all.
    """
    if mode and mode != "auto":
        return whole_file(mode, source, Mode(mode))
    kind = kind_for_path(path)
    fields = settings.json_fields if settings is not None else ()
    if kind == "html":
        return whole_file("html", source, Mode.HTML)
    if kind == "text":
        # A .txt file made of intact markup is HTML; a plain-text export is text.
        return whole_file("text", source, sniff_mode(source.text, strict=True))
    if kind == "markdown":
        return whole_file("markdown", source, Mode.MARKDOWN)
    if kind == "json" or (mode == "auto" and kind is None and source.text.lstrip()[:1] in ("{", "[")):
        from .jsonexport import read_json

        try:
            return read_json(source, fields)
        except ReadError:
            if kind == "json" and (explicit or fields or '"posts"' in source.text[:1 << 20]):
                raise
            return None
    if mode == "auto" and kind is None:
        return whole_file("auto", source, sniff_mode(source.text))
    return None
