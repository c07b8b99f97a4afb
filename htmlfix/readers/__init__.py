"""Choosing how to read a file: by extension and content, or as forced by ``--mode``."""

from __future__ import annotations

from pathlib import PurePath

from ..document import Mode, sniff_mode
from ..source import SourceFile
from .base import Container, ReadError, Region, whole_file

__all__ = ["Container", "KNOWN_EXTENSIONS", "ReadError", "Region", "open_container", "kind_for_path"]

#: Extensions htmlfix reads when it walks a directory, and the reader for each.
KNOWN_EXTENSIONS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
}

#: The values ``--mode`` accepts.
MODES = ("auto", "html", "text")


def kind_for_path(path: str | PurePath) -> str | None:
    """The reader for a file name, or None for files htmlfix does not read."""
    return KNOWN_EXTENSIONS.get(PurePath(path).suffix.lower())


def open_container(path: str | PurePath, source: SourceFile, mode: str | None = None) -> Container | None:
    """Find the regions of a decoded file; None when the file is of a kind htmlfix skips.

    ``mode`` (from ``--mode``) forces how the whole file is read.
    """
    if mode and mode != "auto":
        return whole_file(mode, source, Mode(mode))
    kind = kind_for_path(path)
    if kind == "html":
        return whole_file("html", source, Mode.HTML)
    if kind == "text":
        # A .txt file made of intact markup is HTML; a plain-text export is text.
        return whole_file("text", source, sniff_mode(source.text, strict=True))
    if mode == "auto" and kind is None:
        return whole_file("auto", source, sniff_mode(source.text))
    return None
