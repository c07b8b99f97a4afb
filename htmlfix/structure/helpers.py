"""Small helpers the structural rules share: tag text, closing sequences, message snippets."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..document import Document
from ..model import Applicability, Diagnostic, Edit, Fix
from ..tokens import CHARREF, TEXT, TokenStream
from .treemodel import OPTIONAL_END, TreeModel

if TYPE_CHECKING:
    from ..rules.base import Rule

__all__ = [
    "anchored",
    "dom_keeping",
    "closers",
    "display_name",
    "line_of",
    "snippet_after",
    "start_tag_text",
    "tag_name_as_written",
]

_WS_RUN = re.compile(r"\s+")
_VISIBLE = re.compile(r"\S")
_TAG_NAME = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")

#: End tags that first close the elements whose end tags may be omitted (p, li, dd, dt,
#: option, optgroup, rp, rt) without a parse error.
_CLOSES_IMPLIED = frozenset(
    "address article aside blockquote button center details dialog dir div dl fieldset figcaption "
    "figure footer header hgroup listing main menu nav ol pre section summary ul li dd dt p h1 h2 "
    "h3 h4 h5 h6 td th applet marquee object body html caption".split()
)
_IMPLIED = frozenset("dd dt li option optgroup p rp rt".split())
_TABLE_PARTS = frozenset("td th tr tbody thead tfoot colgroup".split())


def dom_keeping(
    rule: Rule, model: TreeModel, message: str, *edits: Edit, applicability: Applicability = Applicability.SAFE
) -> Fix:
    """A fix whose safety rests on keeping the html5lib DOM (the fixer checks the claim).

    When htmlfix's tokenizer and tree model disagree about the document (``model.exact`` is
    false), the claim cannot be trusted: the fix is then unsafe and claims nothing.
    """
    if model.exact:
        return rule.fix(message, *edits, applicability=applicability, keeps_dom=True)
    return rule.fix(f"{message} (unsure: htmlfix reads raw text here differently from browsers)", *edits,
                    applicability=Applicability.UNSAFE)


def anchored(diagnostic: Diagnostic, token: int) -> Diagnostic:
    """Note on ``diagnostic`` the token where the WHATWG parser reports the error (the end of
    input is ``len(tokens)``): tests check it against html5lib's errors."""
    # In place, on a diagnostic the rule has just made (Diagnostic is frozen for its users).
    object.__setattr__(diagnostic, "extra", {**diagnostic.extra, "anchor": token})
    return diagnostic


def display_name(name: str) -> str:
    """The HTML name of a model element name (``"svg path"`` -> ``"path"``)."""
    return name.rsplit(" ", 1)[-1]


def closers(names: list[str]) -> str:
    """The end tags that close ``names`` (innermost first) cleanly, as text.

    An element whose end tag may be omitted is left out when the end tag written for an
    element around it closes it without a parse error (``</div>`` closes an open ``<p>``;
    ``</table>`` closes the cells, rows and row groups inside it). Decided from the outside in:
    what an end tag closes implicitly is what is still open above its element when it runs.
    """
    written: list[str] = []
    closer = ""
    for name in reversed(names):
        html = display_name(name)
        if closer and html != closer and _omissible(html, closer):
            continue  # the end tag of `closer` closes it
        written.append(f"</{html}>")
        closer = html
    return "".join(reversed(written))


def _omissible(name: str, closed_by: str) -> bool:
    if name in _IMPLIED and closed_by in _CLOSES_IMPLIED:
        return True
    if closed_by == "table" and name in _TABLE_PARTS:
        return True
    if closed_by in ("tbody", "thead", "tfoot") and name in ("tr", "td", "th"):
        return True
    return closed_by == "tr" and name in ("td", "th")


def reportable(name: str) -> bool:
    """Whether an element left open is worth a diagnostic (its end tag is not optional)."""
    return display_name(name) not in OPTIONAL_END


def tag_name_as_written(stream: TokenStream, i: int) -> str:
    """The tag name as the author wrote it (case kept), for messages and copies."""
    match = _TAG_NAME.match(stream.text, stream.starts[i])
    return match.group(1) if match else stream.names[i]


def start_tag_text(stream: TokenStream, i: int) -> str:
    """The source of start tag ``i`` without a trailing ``/``."""
    src = stream.src(i)
    if src.endswith("/>"):
        src = src[:-2].rstrip() + ">"
    return src


def shown(stream: TokenStream, i: int, limit: int = 40) -> str:
    """Token ``i``'s source for a message, shortened."""
    src = stream.src(i)
    return src if len(src) <= limit else src[: limit - 1] + "…"


def line_of(doc: Document, offset: int) -> int:
    return doc.position(offset).row


def first_text(doc: Document, index: int) -> int:
    """The offset of the first visible character from token ``index`` on (or the token's)."""
    stream = doc.tokens
    kinds, text = stream.kinds, doc.text
    for k in range(index, min(len(kinds), index + 200)):
        if kinds[k] is CHARREF:
            return stream.starts[k]
        if kinds[k] is TEXT:
            match = _VISIBLE.search(text, stream.starts[k], stream.starts[k + 1])
            if match:
                return match.start()
    return stream.starts[min(index, len(kinds))]


def snippet_after(doc: Document, index: int, limit: int = 30) -> str:
    """The first visible text from token ``index`` on, shortened, for messages."""
    stream = doc.tokens
    kinds = stream.kinds
    parts: list[str] = []
    size = 0
    for k in range(index, min(len(kinds), index + 200)):
        if kinds[k] is TEXT or kinds[k] is CHARREF:
            piece = _WS_RUN.sub(" ", stream.src(k))
            if not parts:
                piece = piece.lstrip()
            parts.append(piece)
            size += len(piece)
            if size >= limit:
                break
    text = "".join(parts).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
