"""JSON exports: Ghost (``db[].data.posts[].html``) and any JSON whose fields hold HTML.

The file is validated with :func:`json.loads`; a small tokenizer then finds the string literal
of every field that holds HTML, with its exact offsets (so rows and columns are exact even when
the export is one long line). Each literal is decoded into a region whose :class:`OffsetMap`
knows every escape (``\\n``, ``\\"``, ``\\u00e9``, a ``\\ud83d\\ude00`` pair), and a fix is
written back as an escaped string in the file's own style (``\\/`` if the file escapes slashes,
``\\uXXXX`` if it keeps to ASCII), so every byte outside the edit, escapes included, stays.

**Ghost rebuilds ``html`` on import.** Ghost's importer
(``ghost/core/core/server/data/importer/importers/data/posts-importer.js``) keeps a post's
``mobiledoc`` and deletes its ``html``; the Post model (``models/post.js``, ``onSaving``)
renders ``html`` again from ``mobiledoc`` or ``lexical``. Only a post that has neither is
imported from its ``html`` (converted to lexical, or to mobiledoc in older versions). So
htmlfix reports problems in every post, but writes fixes only into posts without
``mobiledoc``/``lexical``: elsewhere the region is read-only and says why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from ..document import Mode
from ..source import SourceFile
from .base import Container, Context, OffsetMap, ReadError, Region, Segment, merge_verbatim

__all__ = ["is_ghost_export", "read_json", "parse_field_spec"]

_TOKEN = re.compile(r"""[ \t\r\n]*+(?:("(?:[^"\\]++|\\.)*+")|([{}\[\],:])|([^ \t\r\n{}\[\],:"]++))""", re.S)
_ESCAPE = re.compile(r"\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|u[0-9a-fA-F]{4}|.)", re.S)
_NON_ASCII_ESCAPE = re.compile(r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})")

#: The fields Ghost rebuilds ``html`` from on import.
GHOST_SOURCES = ("mobiledoc", "lexical")
GHOST_READONLY = (
    "Ghost rebuilds this post's html from its {source} on import, so a fix to html would be "
    "lost; fix the post in Ghost's editor"
)


def parse_field_spec(spec: str) -> tuple[str, ...]:
    """``content.rendered`` -> ``("content", "rendered")``; array levels are not named."""
    parts = tuple(part for part in spec.replace("[]", "").split(".") if part)
    if not parts:
        raise ReadError(f"bad JSON field {spec!r}: name the key that holds HTML, e.g. html")
    return parts


def is_ghost_export(value: Any) -> bool:
    """A Ghost export: ``{"db": [{"meta", "data": {"posts": [...]}}]}`` or the same unwrapped."""
    bodies = value.get("db") if isinstance(value, dict) else None
    candidates = bodies if isinstance(bodies, list) else [value]
    return any(
        isinstance(c, dict) and isinstance(c.get("data"), dict)
        and isinstance(c["data"].get("posts"), list) and "meta" in c
        for c in candidates
    )


def _is_ghost_html(path: Sequence[str | int]) -> bool:
    keys = [p for p in path if isinstance(p, str)]
    return keys in (["db", "data", "posts", "html"], ["data", "posts", "html"])


def read_json(source: SourceFile, fields: Sequence[str] = ()) -> Container | None:
    """The HTML regions of a JSON export; None when it has none htmlfix knows about."""
    text = source.text
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ReadError("JSON nested too deeply to read") from None
    ghost = is_ghost_export(value)
    specs = [parse_field_spec(f) for f in fields]
    if not ghost and not specs:
        return None
    context = _json_context(text)
    container = Container("ghost" if ghost else "json", source, [])
    for path, start, end in _string_literals(text):
        keys = tuple(p for p in path if isinstance(p, str))
        is_ghost_html = ghost and _is_ghost_html(path)
        spec = next((s for s in specs if keys[-len(s):] == s), None)
        if not is_ghost_html and spec is None:
            continue
        region = _region(text, start, end, context)
        expected = _value_at(value, path)
        if region.text != expected:
            raise ReadError(f"internal error: JSON string at offset {start} decoded differently")
        owner = _value_at(value, _owner_path(path, 1 if is_ghost_html or spec is None else len(spec)))
        region.label = _label(owner, path, is_ghost_html)
        if is_ghost_html and isinstance(owner, dict):
            source_field = next((f for f in GHOST_SOURCES if owner.get(f)), None)
            if source_field:
                region.writable = False
                region.readonly_reason = GHOST_READONLY.format(source=source_field)
        container.regions.append(region)
    return container


def _json_context(text: str) -> Context:
    ensure_ascii = text.isascii() and bool(_NON_ASCII_ESCAPE.search(text))
    escape_slash = "\\/" in text

    def encode(content: str) -> str:
        encoded = json.dumps(content, ensure_ascii=ensure_ascii)[1:-1]
        return encoded.replace("/", "\\/") if escape_slash else encoded

    return Context("json-string", encode)


def _region(text: str, start: int, end: int, context: Context) -> Region:
    """The decoded string literal ``text[start:end]`` (quotes included)."""
    inner_start, inner_end = start + 1, end - 1
    parts: list[str] = []
    segments: list[Segment] = []
    length = 0
    position = inner_start
    for match in _ESCAPE.finditer(text, inner_start, inner_end):
        if match.start() > position:
            parts.append(text[position:match.start()])
            segments.append(Segment(length, position, match.start(), True))
            length += match.start() - position
        parts.append(json.loads('"' + match.group() + '"'))
        segments.append(Segment(length, match.start(), match.end(), False))
        length += len(parts[-1])
        position = match.end()
    if inner_end > position:
        parts.append(text[position:inner_end])
        segments.append(Segment(length, position, inner_end, True))
    return Region(
        "".join(parts), Mode.HTML, start=inner_start,
        offsets=OffsetMap(merge_verbatim(segments), inner_start), contexts=(context,),
        extent=(inner_start, inner_end),
    )


def _string_literals(text: str) -> Iterator[tuple[list[str | int], int, int]]:
    """``(path, start, end)`` of every string *value* (not key) in a valid JSON text."""
    stack: list[list[Any]] = []  # [kind, key or index, expecting_key]
    position = 0
    length = len(text)
    match_token = _TOKEN.match
    while position < length:
        match = match_token(text, position)
        if match is None:
            break
        position = match.end()
        literal, punct, _scalar = match.groups()
        if punct:
            if punct == "{":
                stack.append(["obj", None, True])
            elif punct == "[":
                stack.append(["arr", 0, False])
            elif punct in "}]":
                stack.pop()
            elif punct == "," and stack:
                frame = stack[-1]
                if frame[0] == "obj":
                    frame[2] = True
                else:
                    frame[1] += 1
            continue
        if literal is not None and stack and stack[-1][0] == "obj" and stack[-1][2]:
            stack[-1][1] = json.loads(literal)
            stack[-1][2] = False
            continue
        if literal is not None:
            yield [frame[1] for frame in stack], match.start(1), match.end(1)


def _owner_path(path: Sequence[str | int], keys: int) -> Sequence[str | int]:
    """The path of the object that holds the field: ``keys`` object keys up from the value."""
    index = len(path)
    while keys and index:
        index -= 1
        if isinstance(path[index], str):
            keys -= 1
    return path[:index]


def _value_at(value: Any, path: Sequence[str | int]) -> Any:
    for step in path:
        value = value[step]
    return value


def _label(owner: Any, path: Sequence[str | int], ghost: bool) -> str:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    if isinstance(owner, dict):
        title = owner.get("title")
        if isinstance(title, dict):
            title = title.get("rendered")
        name = title if isinstance(title, str) and title.strip() else owner.get("slug") or owner.get("id")
        if name is not None:
            name = " ".join(str(name).split())
            shown = f"“{name[:60]}{'…' if len(name) > 60 else ''}”"
            return f"post {shown}" if ghost else f"{shown} ({where})"
    return where
