"""A fast model of HTML tree construction on htmlfix's own tokens.

Structural rules need to know what a browser does with each tag: which end tags close nothing,
which elements an end tag or a block start tag closes implicitly, what the adoption agency
re-opens, what is foster-parented out of a table. html5lib knows, but parses at ~5 MB/s and
builds a whole DOM; ``check`` cannot afford it. This module replays the WHATWG tree-construction
algorithm (as html5lib 1.1, the oracle, implements it) on the token stream without building a
tree: it keeps only the stack of open elements (names and ids), the list of active formatting
elements, the insertion mode and a few pointers, and it records what the rules need.

It is the one per-token Python loop ``check`` affords, so it is written for speed:

* it visits only tag tokens (and doctypes); text between tags is looked at only where it can
  change something (before ``<body>``, in tables, after a misnesting left formatting elements to
  re-open);
* ordinary start tags and end tags that close the current node in the "in body" mode take an
  inline fast path; everything else goes through the mode handlers below;
* it reads the stream's columns directly (no Token objects, no enum attribute lookups).

Element ids are token indices for elements made by a start tag, and numbers from ``len(tokens)+1``
up for elements the parser makes itself (implied ``<html>``, ``<tbody>``, clones made by the
adoption agency and by re-opening formatting elements); ``origin`` maps a clone to the token of
the tag it was cloned from. Foreign elements are named ``"svg path"`` / ``"math mi"`` so that they
never compare equal to an HTML name.

Error positions are token indices (``len(tokens)`` for the end of input), comparable with
html5lib's errors mapped onto tokens (:func:`htmlfix.oracle.tree_errors`). The codes follow
html5lib's where there is one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from itertools import compress

from ..tokens import (
    CHARREF,
    DOCTYPE,
    DROPPED,
    END_TAG,
    RAWTEXT,
    SELF_CLOSING,
    START_TAG,
    TEXT,
    UNTERMINATED,
    TokenStream,
    decode_charref,
)

__all__ = ["Closure", "Stray", "TreeModel", "build_tree_model", "is_full_document", "OPTIONAL_END"]

MARKER = -1

# Insertion modes.
(INITIAL, BEFORE_HTML, BEFORE_HEAD, IN_HEAD, AFTER_HEAD, IN_BODY, TEXT_MODE, IN_TABLE, IN_CAPTION,
 IN_COLGROUP, IN_TBODY, IN_ROW, IN_CELL, IN_SELECT, IN_SELECT_IN_TABLE, AFTER_BODY, IN_FRAMESET,
 AFTER_FRAMESET, AFTER_AFTER_BODY, AFTER_AFTER_FRAMESET) = range(20)

#: Modes where text never changes the tree's structure (unless formatting must re-open).
_TEXT_NEUTRAL = frozenset({IN_BODY, IN_CELL, IN_CAPTION, IN_SELECT, IN_SELECT_IN_TABLE, TEXT_MODE})
_TABLE_TEXT_MODES = frozenset({IN_TABLE, IN_TBODY, IN_ROW})

_SCOPE = frozenset(
    "applet caption html marquee object table td th".split()
    + ["math mi", "math mo", "math mn", "math ms", "math mtext", "math annotation-xml",
       "svg foreignobject", "svg desc", "svg title"]
)
_BUTTON_SCOPE = _SCOPE | {"button"}
_LIST_SCOPE = _SCOPE | {"ol", "ul"}
_TABLE_SCOPE = frozenset({"html", "table"})
#: html5lib's "special" category (it leaves out the MathML ones and svg desc/title).
_SPECIAL = frozenset(
    "address applet area article aside base basefont bgsound blockquote body br button caption "
    "center col colgroup command dd details dir div dl dt embed fieldset figure footer form frame "
    "frameset h1 h2 h3 h4 h5 h6 head header hr html iframe image img input isindex li link listing "
    "marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script section "
    "select style table tbody td textarea tfoot th thead title tr ul wbr xmp".split()
    + ["svg foreignobject"]
)
_IMPLIED_END = frozenset("dd dt li option optgroup p rp rt".split())
FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_TABLE_INSERT = frozenset("table tbody tfoot thead tr".split())
_EOF_OK = frozenset("dd dt li p tbody td tfoot th thead tr body html".split())
_BODY_END_OK = frozenset(
    "dd dt li optgroup option p rp rt tbody td tfoot th thead tr body html".split()
)
#: Elements whose end tag HTML lets authors omit: never reported as unclosed.
OPTIONAL_END = frozenset(
    "dd dt li optgroup option p rb rp rt rtc tbody td tfoot th thead tr colgroup body html head".split()
)
VOID = frozenset(
    "area base basefont bgsound br col command embed frame hr image img input isindex keygen link "
    "meta param source track wbr".split()
)
_FOREIGN_BREAKOUT = frozenset(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li "
    "listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var".split()
)
#: Start tags that leave foreign content (font only with some attributes: slow path).
_FOREIGN_FAST_EXIT = _FOREIGN_BREAKOUT | {"font"}
_MATHML_TEXT_IP = frozenset({"math mi", "math mo", "math mn", "math ms", "math mtext"})
_HTML_IP = frozenset({"svg foreignobject", "svg desc", "svg title"})
_LIST_PARENTS = frozenset({"ul", "ol", "menu"})
#: Start tags after which a <frameset> in the body is ignored (frameset-ok is "not ok").
_FRAMESET_OFF = frozenset(
    "pre listing li dd dt button applet marquee object xmp table area br embed img keygen wbr input "
    "hr textarea iframe select".split()
)

_CLOSE_P = "address article aside blockquote center details dir div dl fieldset figcaption figure footer header hgroup main menu nav ol p section summary ul"
_BLOCK_END = "address article aside blockquote button center details dialog dir div dl fieldset figcaption figure footer header hgroup listing main menu nav ol pre section summary ul"

#: In-body start tags that leave the fast path (anything else is "any other start tag").
_BODY_START: dict[str, str] = {}
for _names, _category in (
    ("html", "html"),
    ("base basefont bgsound command link meta", "head-void"),
    ("script style title", "head-raw"),
    ("body", "body"),
    ("frameset", "frameset"),
    (_CLOSE_P, "close-p"),
    ("h1 h2 h3 h4 h5 h6", "heading"),
    ("pre listing", "pre"),
    ("form", "form"),
    ("li dd dt", "li"),
    ("plaintext", "plaintext"),
    ("a", "a"),
    ("b big code em font i s small strike strong tt u", "fmt"),
    ("nobr", "nobr"),
    ("button", "button"),
    ("applet marquee object", "applet"),
    ("xmp", "xmp"),
    ("table", "table"),
    ("area br embed img keygen wbr", "void-fmt"),
    ("input", "input"),
    ("param source track", "param"),
    ("hr", "hr"),
    ("image", "image"),
    ("isindex", "isindex"),
    ("textarea", "textarea"),
    ("iframe", "iframe"),
    ("noscript noembed noframes", "raw"),
    ("select", "select"),
    ("rp rt", "rprt"),
    ("option optgroup", "opt"),
    ("math", "math"),
    ("svg", "svg"),
    ("caption col colgroup frame head tbody td tfoot th thead tr", "misplaced"),
):
    for _name in _names.split():
        _BODY_START[_name] = _category

_BODY_END: dict[str, str] = {"body": "body", "html": "html", "form": "form", "p": "p", "br": "br"}
for _name in _BLOCK_END.split():
    _BODY_END[_name] = "block"
for _name in ("dd", "dt", "li"):
    _BODY_END[_name] = "li"
for _name in _HEADINGS:
    _BODY_END[_name] = "heading"
for _name in FORMATTING:
    _BODY_END[_name] = "fmt"
for _name in ("applet", "marquee", "object"):
    _BODY_END[_name] = "applet"
#: End tags that may not simply pop a matching current node.
_FAST_END_EXCLUDE = (
    frozenset("body html br form applet marquee object td th tr table tbody thead tfoot caption colgroup".split())
    | FORMATTING
)
_FAST_MODES = frozenset({IN_BODY, IN_CELL, IN_CAPTION})
#: Start-tag categories of the fast path (0, the default, is "any other start tag").
_FAST_START: dict[str, int] = {}
for _fast_names, _fast_category in (
    (_CLOSE_P + " pre listing", 1),
    ("a b big code em font i s small strike strong tt u", 2),
    ("area br embed img keygen wbr input base basefont bgsound command link meta param source track", 3),
    ("li dd dt", 4),
    ("script style title iframe noscript noembed noframes", 5),
    ("h1 h2 h3 h4 h5 h6", 6),
    ("svg math", 7),
    ("button", 8),
):
    for _member in _fast_names.split():
        _FAST_START[_member] = _fast_category
for _name in _BODY_START:
    _FAST_START.setdefault(_name, 9)  # everything else the in-body rules single out: slow path
_LANES = {IN_HEAD: 3, IN_ROW: 4, IN_TBODY: 4, IN_TABLE: 4, IN_SELECT: 5, IN_SELECT_IN_TABLE: 5}
_HEAD_VOID = frozenset("base basefont bgsound command link meta".split())
_HEAD_RAW = frozenset("title noframes style script noscript".split())
#: Block elements, which an inline (phrasing) element cannot contain.
_BLOCKS = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul li dd dt".split()
)
#: Inline elements that may hold only phrasing content (``a`` is transparent: it may hold blocks).
_PHRASING = frozenset(
    "abbr b bdi bdo big cite code data dfn em font i kbd label mark nobr q s samp small span strike "
    "strong sub sup time tt u var".split()
)
_FAST_START_INLINE = {name: (9 if name in _BLOCKS else category) for name, category in _FAST_START.items()}
_INTEGRATION_POINTS = frozenset(
    {"math mi", "math mo", "math mn", "math ms", "math mtext", "math annotation-xml",
     "svg foreignobject", "svg desc", "svg title"}
)
_FAST_LIST_PARENTS = {"li": frozenset({"ul", "ol", "menu"}), "dd": frozenset({"dl"}), "dt": frozenset({"dl"})}

#: A byte-order mark at the start of a text read without "utf-8-sig": the encoding's
#: signature, which browsers drop while decoding; never content.
BOM = "\ufeff"
_NON_WS = re.compile(r"[^\t\n\f\r ]")
_VISIBLE_IN_BODY = re.compile(r"[^\t\n\f\r \x00]")  # html5lib drops a lone NUL in the body
_DOCTYPE_PARTS = re.compile(
    r"<!doctype(?:[\t\n\f\r ]*([^\t\n\f\r >]+))?"
    r"(?:[\t\n\f\r ]+(?:(public)[\t\n\f\r ]*(?:\"([^\"]*)\"|'([^']*)')"
    r"(?:[\t\n\f\r ]*(?:\"([^\"]*)\"|'([^']*)'))?"
    r"|(system)[\t\n\f\r ]*(?:\"([^\"]*)\"|'([^']*)')))?[\t\n\f\r ]*>",
    re.IGNORECASE,
)
_HIDDEN = re.compile(r"[\t\n\f\r /]type[\t\n\f\r ]*=[\t\n\f\r ]*[\"']?hidden(?:[\"'\t\n\f\r />]|$)", re.IGNORECASE)
_HAS_ATTRIBUTE = re.compile(r"<[A-Za-z][^\t\n\f\r />]*[\t\n\f\r /]+[^\t\n\f\r />]")

_QUIRKS_PREFIXES = (
    "+//silmaril//dtd html pro v0r11 19970101//", "-//advasoft ltd//dtd html 3.0 aswedit + extensions//",
    "-//as//dtd html 3.0 aswedit + extensions//", "-//ietf//dtd html 2.0 level 1//",
    "-//ietf//dtd html 2.0 level 2//", "-//ietf//dtd html 2.0 strict level 1//",
    "-//ietf//dtd html 2.0 strict level 2//", "-//ietf//dtd html 2.0 strict//", "-//ietf//dtd html 2.0//",
    "-//ietf//dtd html 2.1e//", "-//ietf//dtd html 3.0//", "-//ietf//dtd html 3.2 final//",
    "-//ietf//dtd html 3.2//", "-//ietf//dtd html 3//", "-//ietf//dtd html level 0//",
    "-//ietf//dtd html level 1//", "-//ietf//dtd html level 2//", "-//ietf//dtd html level 3//",
    "-//ietf//dtd html strict level 0//", "-//ietf//dtd html strict level 1//",
    "-//ietf//dtd html strict level 2//", "-//ietf//dtd html strict level 3//",
    "-//ietf//dtd html strict//", "-//ietf//dtd html//", "-//metrius//dtd metrius presentational//",
    "-//microsoft//dtd internet explorer 2.0 html strict//", "-//microsoft//dtd internet explorer 2.0 html//",
    "-//microsoft//dtd internet explorer 2.0 tables//", "-//microsoft//dtd internet explorer 3.0 html strict//",
    "-//microsoft//dtd internet explorer 3.0 html//", "-//microsoft//dtd internet explorer 3.0 tables//",
    "-//netscape comm. corp.//dtd html//", "-//netscape comm. corp.//dtd strict html//",
    "-//o'reilly and associates//dtd html 2.0//", "-//o'reilly and associates//dtd html extended 1.0//",
    "-//o'reilly and associates//dtd html extended relaxed 1.0//",
    "-//softquad software//dtd hotmetal pro 6.0::19990601::extensions to html 4.0//",
    "-//softquad//dtd hotmetal pro 4.0::19971010::extensions to html 4.0//",
    "-//spyglass//dtd html 2.0 extended//", "-//sq//dtd html 2.0 hotmetal + extensions//",
    "-//sun microsystems corp.//dtd hotjava html//", "-//sun microsystems corp.//dtd hotjava strict html//",
    "-//w3c//dtd html 3 1995-03-24//", "-//w3c//dtd html 3.2 draft//", "-//w3c//dtd html 3.2 final//",
    "-//w3c//dtd html 3.2//", "-//w3c//dtd html 3.2s draft//", "-//w3c//dtd html 4.0 frameset//",
    "-//w3c//dtd html 4.0 transitional//", "-//w3c//dtd html experimental 19960712//",
    "-//w3c//dtd html experimental 970421//", "-//w3c//dtd w3 html//", "-//w3o//dtd w3 html 3.0//",
    "-//webtechs//dtd mozilla html 2.0//", "-//webtechs//dtd mozilla html//",
)


def is_full_document(stream: TokenStream) -> bool:
    """Whether the text is a whole HTML document (doctype, ``<html>`` or ``<head>`` first).

    Anything else is a fragment (a CMS body), parsed as the content of ``<body>``: it is never
    told that it lacks a doctype or a title.
    """
    kinds, names, starts, text = stream.kinds, stream.names, stream.starts, stream.text
    bom = text.startswith(BOM)
    for i, kind in enumerate(kinds):
        if kind is TEXT and not _NON_WS.search(text, starts[i] + (bom and i == 0), starts[i + 1]):
            continue
        if kind is DOCTYPE:
            return True
        if kind is START_TAG:
            return names[i] in ("html", "head")
        if kind is TEXT or kind is CHARREF or kind is END_TAG:
            return False
        # comments, bogus comments and dropped markup before the first content do not decide
    return False


@dataclass(slots=True)
class Stray:
    """An end tag that closes nothing.

    ``kind``: ``"none"`` (no element of that name is open), ``"blocked"`` (one is open but the
    parser cannot reach it: a table cell, a block or a scope boundary lies between), ``"p"``
    (``</p>`` with no open paragraph: browsers insert an empty ``<p></p>``), ``"br"``
    (``</br>``: browsers insert ``<br>``). ``noop`` says deleting it leaves the DOM as it is.
    ``block`` is the token of the block start tag that closed the paragraph a stray ``</p>``
    was meant for, and ``paragraph`` that paragraph's start tag (-1 if none). For a blocked end
    tag, ``opened`` is the start tag of the element it cannot reach and ``blocker`` the start tag
    of the element in the way. ``in_table`` says a table was open.
    """

    index: int
    kind: str
    noop: bool
    block: int = -1
    paragraph: int = -1
    opened: int = -1
    blocker: int = -1
    in_table: bool = False


@dataclass(slots=True)
class Closure:
    """Elements that a token closes implicitly, with a parse error.

    ``at`` is the token that closes them (``len(tokens)`` for the end of input), ``cause``
    one of ``"eof"``, ``"end"`` (an end tag of an ancestor), ``"start"`` (a start tag that ends
    them), ``"aaa"`` (a formatting end tag, the adoption agency), ``"body"`` (``</body>`` or
    ``</html>``: browsers leave them open), ``"form"`` (``</form>``: browsers leave them open),
    ``"foreign"`` (HTML content breaking out of SVG/MathML). ``elements`` lists
    ``(source token, name, stays_active)`` from the innermost out, where ``stays_active`` marks a
    formatting element that browsers re-open later. ``target`` is the element the closing tag
    was for (``""`` when none).
    """

    at: int
    cause: str
    elements: list[tuple[int, str, bool]]
    target: str = ""
    pops: bool = True
    #: the closing token is read in a table (outside cells), where end tags of content moved
    #: out of the table are themselves misplaced
    in_table: bool = False
    #: closing these elements first would change what the closing token itself does (a
    #: formatting end tag that only reached its element past a scope boundary)
    neutral: bool = True


@dataclass(slots=True)
class TreeModel:
    """What :func:`build_tree_model` found; shared by the structural rules."""

    fragment: bool
    quirks: bool
    errors: list[tuple[int, str]] = field(default_factory=list)
    strays: list[Stray] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    #: formatting-element source token -> [(token, event)] with events "reopened",
    #: "ended" (its own end tag closed it cleanly), "removed" (its own end tag found it already
    #: closed and dropped it), "ended-misnested" (its own end tag closed it with other elements
    #: open inside), "split" (the adoption agency split it around a block).
    formatting_events: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    #: (start tag, token where browsers close it, or len(tokens)) for non-void elements written
    #: self-closed (``<div/>``) in HTML content.
    self_closed: list[list[int]] = field(default_factory=list)
    #: (token, reason) for start tags (and doctypes) browsers ignore; reason is "table" (table
    #: markup outside a table), "document" (html/head/body inside the body), "form" (a form
    #: inside a form), "select" (inside a select), "frame", "doctype", "other". The third item
    #: says deleting it leaves the DOM as it is.
    ignored: list[tuple[int, str, bool]] = field(default_factory=list)
    #: (first text token, end token, table start tag, movable): text browsers move out of a
    #: table to just before it; ``movable`` when moving it there by hand builds the same DOM.
    foster_text: list[tuple[int, int, int, bool]] = field(default_factory=list)
    #: (start tag, table start tag): elements browsers move out of a table.
    foster_elements: list[tuple[int, int]] = field(default_factory=list)
    #: [li start tag, token where it is closed, stack depth] for list items with no list
    #: around them (depth 1: at the top level of a fragment).
    orphan_items: list[list[int]] = field(default_factory=list)
    #: (formatting end tag, formatting start tag, furthest block start tag): misnesting across
    #: a block, which the adoption agency resolves by splitting the formatting element.
    split_formatting: list[tuple[int, int, int]] = field(default_factory=list)
    #: start tag of a raw-text element (script, style, textarea, title...) never closed.
    unterminated_raw: int = -1
    #: (block start tag, inline parent's start tag), with ``inline_blocks`` only.
    inline_blocks: list[tuple[int, int]] = field(default_factory=list)
    #: False when htmlfix's tokenizer and tree construction disagree about raw text (the
    #: tokenizer decides where script, style, title and textarea content runs without the
    #: tree's context, e.g. inside a <select> or a MathML text element): then html5lib may
    #: read the document differently, and no fix may claim to keep its DOM.
    exact: bool = True


def build_tree_model(stream: TokenStream, fragment: bool | None = None, *, inline_blocks: bool = False) -> TreeModel:
    """Replay tree construction over ``stream``; a fragment is parsed in a ``<body>`` context.

    With ``inline_blocks``, also record block elements whose parent is an inline element
    (``TreeModel.inline_blocks``); that takes block start tags off the fast path, so only the
    opt-in rule that needs it asks for it."""
    if fragment is None:
        fragment = not is_full_document(stream)
    builder = _Builder(stream, fragment, inline_blocks)
    builder.run()
    return builder.model


class _Builder:
    def __init__(self, stream: TokenStream, fragment: bool, inline_blocks: bool = False) -> None:
        self.stream = stream
        self.inline_blocks = inline_blocks
        self.text = stream.text
        self.kinds = stream.kinds
        self.names = stream.names
        self.flags = stream.flags
        self.starts = stream.starts
        self.n = len(stream.kinds)
        self.fragment = fragment
        self.model = TreeModel(fragment=fragment, quirks=False)
        self.errors = self.model.errors
        self.next_id = self.n + 1
        self.origin: dict[int, int] = {}
        self.st_names: list[str] = []
        #: How many elements of each name are on the stack, so that "is a <p> open?" (asked
        #: for most block start tags) and "where is the open <x>?" never walk a deep stack:
        #: walking it made the model quadratic in the nesting depth (100,000 nested <div>s
        #: took minutes). Every push and pop of ``st_names`` updates it.
        self.open_counts: dict[str, int] = {}
        self.st_ids: list[int] = []
        #: The ids in ``st_ids``, as a set: "is this active formatting element still open?" is
        #: asked for every text after formatting, and a list walk made re-opened formatting
        #: (``<b><i><a href=x>t`` repeated) quadratic. Every change to ``st_ids`` updates it.
        self.open_ids: set[int] = set()
        self.afe: list[int] = []
        self.afe_names: list[str] = []
        #: Every id that has ever been an active formatting element (a superset of those in
        #: ``afe``): "is this popped element active?" is a walk of ``afe``, which holds a marker
        #: per open table cell, so asked for every element popped it was quadratic in table
        #: nesting. Asked here first, it walks ``afe`` only for formatting elements.
        self.formatted: set[int] = set()
        self.dirty = False  # some active formatting element may need re-opening
        self.nforeign = 0  # foreign elements on the stack
        self.watch: dict[int, list[int]] = {}  # element id -> record whose [1] gets its close token
        self.form: int | None = None
        self.head: int | None = None
        self.frameset_ok = True
        self.body_from = 0
        self.first_start_tag = False
        self.foster = False  # processing a token "in table" by the in-body rules
        self.original_mode = IN_BODY
        self.raw_start = -1
        self.cur = 0
        self.p_block: list[tuple[int, int, int]] = []  # (p id, block start tag, parent id)
        self.attr_cache: dict[int, dict[str, str]] = {}
        self._acknowledged = False
        # a token whose processing changed something before it was ignored (it broke out of
        # SVG/MathML, or took the parser from "after body" back into the body): deleting it
        # would not leave the DOM as it is
        self.side_effect_at = -1
        self._implied_popped: list[tuple[int, str, bool]] = []
        self._table_deletions: list[tuple[str, int]] = []
        self.no_effect: set[int] = set()  # tags the parser ignored outright
        self._implied_at = -1
        if fragment:
            self.st_names.append("html")
            self.open_counts["html"] = self.open_counts.get("html", 0) + 1
            self.st_ids.append(self._new_id())
            self.open_ids.add(self.st_ids[-1])
            self.mode = IN_BODY
        else:
            self.mode = INITIAL

    # --- small helpers ---------------------------------------------------------------------

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def src(self, eid: int) -> int:
        return eid if eid < self.n else self.origin.get(eid, -1)

    def _error(self, code: str) -> None:
        self.errors.append((self.cur, code))

    def _push(self, name: str, eid: int) -> None:
        if self.foster and eid == self.cur and self.st_names[-1] in _TABLE_INSERT:
            self.model.foster_elements.append((self.cur, self._last_table_src()))
        if self.inline_blocks and eid == self.cur and name in _BLOCKS and self.st_names[-1] in _PHRASING:
            self.model.inline_blocks.append((self.cur, self.src(self.st_ids[-1])))
        self.st_names.append(name)
        self.open_counts[name] = self.open_counts.get(name, 0) + 1
        self.st_ids.append(eid)
        self.open_ids.add(eid)
        if " " in name:
            self.nforeign += 1

    def _insert_void(self, name: str, i: int) -> None:
        """Insert an element that is closed at once (``<br>``, ``<meta>``); "/>" is fine."""
        self._push(name, i)
        self._pop()
        self._acknowledged = True

    def _enter(self, name: str, eid: int, mode: int) -> None:
        """Insert an element and switch to the insertion mode it starts."""
        self._push(name, eid)
        self.mode = mode

    def _last_table_src(self) -> int:
        names = self.st_names
        for k in range(len(names) - 1, -1, -1):
            if names[k] == "table":
                return self.src(self.st_ids[k])
        return -1

    def _pop_to(self, length: int) -> None:
        """Pop every element above the first ``length`` ones."""
        names, ids = self.st_names, self.st_ids
        if length >= len(ids):
            return
        removed = ids[length:]
        if self.nforeign:
            self.nforeign -= sum(1 for name in names[length:] if " " in name)
        counts = self.open_counts
        for name in names[length:]:
            counts[name] -= 1
        del names[length:]
        del ids[length:]
        self.open_ids.difference_update(removed)
        if self.watch:
            for eid in removed:
                record = self.watch.pop(eid, None)
                if record is not None:
                    record[1] = self.cur
        if self.afe and not self.dirty:
            afe, formatted = self.afe, self.formatted
            for eid in removed:
                if eid in formatted and eid in afe:
                    self.dirty = True
                    break

    def _stack_index(self, eid: int) -> int:
        """The position of open element ``eid`` on the stack, searched from the top (where the
        elements asked for are; an id is on the stack at most once)."""
        ids = self.st_ids
        for k in range(len(ids) - 1, -1, -1):
            if ids[k] == eid:
                return k
        raise ValueError(eid)

    def _pop(self) -> None:
        self._pop_to(len(self.st_ids) - 1)

    def _remove_at(self, k: int) -> None:
        """Remove the element at stack position ``k`` (not necessarily the top)."""
        eid = self.st_ids[k]
        if " " in self.st_names[k]:
            self.nforeign -= 1
        self.open_counts[self.st_names[k]] -= 1
        del self.st_names[k]
        del self.st_ids[k]
        self.open_ids.remove(eid)
        record = self.watch.pop(eid, None) if self.watch else None
        if record is not None:
            record[1] = self.cur
        if self._is_active(eid):
            self.dirty = True

    def _is_active(self, eid: int) -> bool:
        """Whether ``eid`` is in the list of active formatting elements."""
        return eid in self.formatted and eid in self.afe

    def _index_of(self, name: str) -> int:
        if not self.open_counts.get(name):
            return -1
        names = self.st_names
        for k in range(len(names) - 1, -1, -1):
            if names[k] == name:
                return k
        return -1

    def _index_of_local(self, name: str) -> int:
        """Like :meth:`_index_of`, but a foreign element with that local name matches too."""
        names = self.st_names
        suffix = " " + name
        for k in range(len(names) - 1, -1, -1):
            if names[k] == name or names[k].endswith(suffix):
                return k
        return -1

    def _in_scope(self, target: str, boundary: frozenset[str]) -> bool:
        if not self.open_counts.get(target):
            return False
        names = self.st_names
        for k in range(len(names) - 1, -1, -1):
            name = names[k]
            if name == target:
                return True
            if name in boundary:
                return False
        return False

    def _in_select_scope(self, target: str) -> bool:
        names = self.st_names
        for k in range(len(names) - 1, -1, -1):
            name = names[k]
            if name == target:
                return True
            if name not in ("optgroup", "option"):
                return False
        return False

    def _generate_implied(self, exclude: str = "") -> None:
        """Pop elements whose end tag is implied (p, li, option...), remembering them: if the
        token then closes more with a parse error, the closure includes them."""
        names, ids = self.st_names, self.st_ids
        popped = self._implied_popped = []
        self._implied_at = self.cur
        while names and names[-1] in _IMPLIED_END and names[-1] != exclude:
            popped.append((self.src(ids[-1]), names[-1], self._is_active(ids[-1])))
            self._pop()

    def _is_ws(self, k: int) -> bool:
        """Whether token ``k`` is whitespace-only text (html5lib's SpaceCharacters); a leading
        byte-order mark counts as nothing."""
        start = self.starts[k] + (k == 0 and self.text.startswith(BOM))
        return self.kinds[k] is TEXT and not _NON_WS.search(self.text, start, self.starts[k + 1])

    def _attributes(self, eid: int) -> dict[str, str]:
        source = self.src(eid)
        if source < 0:
            return {}
        cached = self.attr_cache.get(source)
        if cached is None:
            cached = {}
            for attribute in self.stream[source].attributes:
                cached.setdefault(attribute.name, attribute.value or "")
            self.attr_cache[source] = cached
        return cached

    def _has_attributes(self, i: int) -> bool:
        return _HAS_ATTRIBUTE.match(self.text, self.starts[i], self.starts[i + 1]) is not None

    def _event(self, source: int, event: str) -> None:
        if event != "reopened" and self.kinds[self.cur] is not END_TAG:
            event = "dropped"  # a start tag (<a> inside <a>) ended it, not its own end tag
        if source >= 0:
            self.model.formatting_events.setdefault(source, []).append((self.cur, event))

    def _closure(self, cause: str, above: int, target: str = "", pops: bool = True) -> None:
        """Record the elements above stack position ``above`` as closed at the current token."""
        names, ids, active = self.st_names, self.st_ids, self._is_active
        elements = [
            (self.src(ids[k]), names[k], active(ids[k])) for k in range(len(ids) - 1, above, -1)
        ]
        if self._implied_at == self.cur and self._implied_popped:
            # what "generate implied end tags" popped just before is closed here too
            elements = self._implied_popped + elements
            self._implied_popped = []
        if elements:
            self.model.closures.append(
                Closure(self.cur, cause, elements, target, pops, self.mode in _TABLE_TEXT_MODES)
            )

    def _stray(self, code: str, kind: str = "", noop: bool = True) -> None:
        self._error(code)
        i = self.cur
        if self.kinds[i] is not END_TAG:
            return  # the adoption agency run by <a> inside <a> can end up here
        name = self.names[i]
        names = self.st_names
        stray = Stray(i, kind, noop, in_table=bool(self.open_counts.get("table")))
        if not kind:
            k = self._index_of(name)
            stray.kind = "blocked" if k >= 0 else "none"
            if k >= 0:
                stray.opened = self.src(self.st_ids[k])
                for j in range(k + 1, len(names)):
                    if names[j] in _SPECIAL or names[j] in _SCOPE:
                        stray.blocker = self.src(self.st_ids[j])
                        break
        if noop and self.mode in _TABLE_TEXT_MODES:
            self._table_deletions.append(("stray", len(self.model.strays)))
        if self.side_effect_at == i:
            stray.noop = False
        if stray.noop:
            self.no_effect.add(i)
        self.model.strays.append(stray)

    def _check_table_deletions(self) -> None:
        """Tags deleted in a table must not join two runs of table text (browsers treat a run
        with visible characters differently from one of spaces): look past every neighbour
        that is deletable too, since fixes delete them together."""
        if not self._table_deletions:
            return
        model = self.model
        deletable = {stray.index for stray in model.strays if stray.noop}
        deletable.update(i for i, _, noop in model.ignored if noop)
        kinds = self.kinds
        textish = (TEXT, CHARREF)
        for what, position in self._table_deletions:
            i = model.strays[position].index if what == "stray" else model.ignored[position][0]
            left, right = i - 1, i + 1
            while left in deletable or (left >= 0 and kinds[left] is DROPPED):
                left -= 1
            while right in deletable or (right < self.n and kinds[right] is DROPPED):
                right += 1
            if 0 <= left and right < self.n and kinds[left] in textish and kinds[right] in textish:
                if what == "stray":
                    model.strays[position].noop = False
                else:
                    token, reason, _ = model.ignored[position]
                    model.ignored[position] = (token, reason, False)

    def _ignore(self, reason: str, code: str = "", noop: bool = True) -> None:
        if code:
            self._error(code)
        if self.side_effect_at == self.cur:
            noop = False
        if noop and self.mode in _TABLE_TEXT_MODES:
            self._table_deletions.append(("ignored", len(self.model.ignored)))
        if noop:
            self.no_effect.add(self.cur)
        self.model.ignored.append((self.cur, reason, noop))

    # --- the main loop ---------------------------------------------------------------------

    def run(self) -> None:
        kinds, names, flags = self.kinds, self.names, self.flags
        st_names, st_ids, afe, afe_names, watch = self.st_names, self.st_ids, self.afe, self.afe_names, self.watch
        counts = self.open_counts
        events = self.model.formatting_events
        n = self.n
        fast_start = _FAST_START_INLINE if self.inline_blocks else _FAST_START
        fast_end_exclude = _FAST_END_EXCLUDE
        list_parents = _FAST_LIST_PARENTS
        headings = _HEADINGS
        foreign_exits = _FOREIGN_FAST_EXIT
        head_void, head_raw = _HEAD_VOID, _HEAD_RAW
        integration_points = _INTEGRATION_POINTS
        non_ws, text, starts = _NON_WS.search, self.text, self.starts
        # Tags (and raw text, which carries a name) are the only tokens the loop visits;
        # doctypes are few and found among the token kinds.
        significant = list(compress(range(n), names))
        doctypes = self.stream.indexes(DOCTYPE)
        if doctypes:
            significant = sorted(significant + doctypes)
        push_name, push_id, pop_name, pop_id = st_names.append, st_ids.append, st_names.pop, st_ids.pop
        open_add, open_remove = self.open_ids.add, self.open_ids.remove
        formatted_add = self.formatted.add
        fast, sensitive, lane = self._flags()
        previous = -1
        for i in significant:
            if sensitive and i > previous + 1:
                # a lone run of whitespace between tags changes nothing unless formatting
                # elements wait to be re-opened (tables look at it in _table_text)
                if not (
                    i == previous + 2 and kinds[previous + 1] is TEXT and not self.dirty
                    and not non_ws(text, starts[previous + 1] + (previous < 0 and text.startswith(BOM)), starts[i])
                ):
                    self.cur = i
                    self._text(previous + 1, i)
                    fast, sensitive, lane = self._flags()
            previous = i
            kind = kinds[i]
            if fast:
                # The in-body fast path: the tags that make up most of any page, handled inline
                # when nothing unusual is going on (no formatting to re-open, no SVG/MathML).
                if kind is START_TAG:
                    name = names[i]
                    category = fast_start.get(name, 0)
                    if category == 0:  # any other start tag
                        push_name(name)
                        counts[name] = counts.get(name, 0) + 1
                        push_id(i)
                        open_add(i)
                        if flags[i] & SELF_CLOSING:
                            self.cur = i
                            self._self_closed(i)
                        continue
                    if category == 3:  # void: inserted and popped at once, "/>" allowed
                        continue
                    if not flags[i] & SELF_CLOSING:
                        if category == 1:  # block that would close an open <p>
                            if not counts.get("p"):
                                push_name(name)
                                counts[name] = counts.get(name, 0) + 1
                                push_id(i)
                                open_add(i)
                                continue
                        elif category == 2:  # formatting: none of that name is active
                            if name not in afe_names:
                                push_name(name)
                                counts[name] = counts.get(name, 0) + 1
                                push_id(i)
                                open_add(i)
                                afe.append(i)
                                afe_names.append(name)
                                formatted_add(i)
                                continue
                        elif category == 4:  # list item straight inside its list
                            if st_names[-1] in list_parents[name] and not counts.get("p"):
                                push_name(name)
                                counts[name] = counts.get(name, 0) + 1
                                push_id(i)
                                open_add(i)
                                continue
                        elif category == 5:  # raw text: script, style, title, textarea...
                            if i + 1 < n and kinds[i + 1] is not RAWTEXT and (kinds[i + 1] is not END_TAG or names[i + 1] != name):
                                self.model.exact = False  # the tokenizer did not read raw text here
                            push_name(name)
                            counts[name] = counts.get(name, 0) + 1
                            push_id(i)
                            open_add(i)
                            self.original_mode = self.mode
                            self.mode = TEXT_MODE
                            self.raw_start = i
                            fast, sensitive, lane = False, False, 1
                            continue
                        elif category == 6:  # heading
                            if not counts.get("p") and st_names[-1] not in headings:
                                push_name(name)
                                counts[name] = counts.get(name, 0) + 1
                                push_id(i)
                                open_add(i)
                                continue
                        elif category == 7:  # <svg>, <math>
                            pushed = f"{name} {name}"
                            push_name(pushed)
                            counts[pushed] = counts.get(pushed, 0) + 1
                            push_id(i)
                            open_add(i)
                            self.nforeign += 1
                            fast, sensitive, lane = self._flags()
                            continue
                        elif category == 8:  # button
                            if not counts.get("button"):
                                push_name(name)
                                counts[name] = counts.get(name, 0) + 1
                                push_id(i)
                                open_add(i)
                                continue
                elif kind is END_TAG:
                    name = names[i]
                    if st_names[-1] == name:
                        if name not in fast_end_exclude:
                            counts[pop_name()] -= 1
                            eid = pop_id()
                            open_remove(eid)
                            if watch and eid in watch:
                                watch.pop(eid)[1] = i
                            continue
                        if name in FORMATTING and afe and afe[-1] == st_ids[-1]:
                            counts[pop_name()] -= 1
                            eid = pop_id()
                            open_remove(eid)
                            afe.pop()
                            afe_names.pop()
                            if events:
                                source = eid if eid < n else self.origin.get(eid, -1)
                                if source in events:
                                    events[source].append((i, "ended"))
                            continue
                        if name == "td" or name == "th":  # a cell that ends cleanly
                            counts[pop_name()] -= 1
                            eid = pop_id()
                            open_remove(eid)
                            if watch and eid in watch:
                                watch.pop(eid)[1] = i
                            while afe:
                                afe_names.pop()
                                if afe.pop() == MARKER:
                                    break
                            if afe and afe[-1] != MARKER and afe[-1] not in self.open_ids:
                                self.dirty = True
                            self.mode = IN_ROW
                            fast, sensitive, lane = self._flags()
                            continue
            elif lane == 4:
                # Table structure written in order: rows in sections, cells in rows.
                name = names[i]
                top = st_names[-1]
                mode = self.mode
                if kind is START_TAG and not flags[i] & SELF_CLOSING:
                    if mode == IN_ROW and (name == "td" or name == "th") and top == "tr":
                        push_name(name)
                        counts[name] = counts.get(name, 0) + 1
                        push_id(i)
                        open_add(i)
                        afe.append(MARKER)
                        afe_names.append("")
                        self.mode = IN_CELL
                        fast, sensitive, lane = self._flags()
                        continue
                    if mode == IN_TBODY and name == "tr" and (top == "tbody" or top == "thead" or top == "tfoot"):
                        push_name(name)
                        counts[name] = counts.get(name, 0) + 1
                        push_id(i)
                        open_add(i)
                        self.mode = IN_ROW
                        continue
                    if mode == IN_TABLE and (name == "tbody" or name == "thead" or name == "tfoot") and top == "table":
                        push_name(name)
                        counts[name] = counts.get(name, 0) + 1
                        push_id(i)
                        open_add(i)
                        self.mode = IN_TBODY
                        continue
                elif kind is END_TAG and name == top:
                    if mode == IN_ROW and name == "tr":
                        counts[pop_name()] -= 1
                        open_remove(pop_id())
                        self.mode = IN_TBODY
                        continue
                    if mode == IN_TBODY and (name == "tbody" or name == "thead" or name == "tfoot"):
                        counts[pop_name()] -= 1
                        open_remove(pop_id())
                        self.mode = IN_TABLE
                        continue
            elif lane == 5:
                # Options in a select.
                name = names[i]
                if name == "option" and not flags[i] & SELF_CLOSING:
                    if kind is START_TAG:
                        if st_names[-1] == "option":
                            counts[pop_name()] -= 1
                            eid = pop_id()
                            open_remove(eid)
                            if watch and eid in watch:
                                watch.pop(eid)[1] = i
                        push_name(name)
                        counts[name] = counts.get(name, 0) + 1
                        push_id(i)
                        open_add(i)
                        continue
                    if kind is END_TAG and st_names[-1] == "option":
                        counts[pop_name()] -= 1
                        eid = pop_id()
                        open_remove(eid)
                        if watch and eid in watch:
                            watch.pop(eid)[1] = i
                        continue
            elif lane == 1:
                # Inside script, style, title...: the tokenizer already made the content one
                # RAWTEXT token, and the next tag is the matching end tag.
                if kind is END_TAG:
                    counts[pop_name()] -= 1
                    eid = pop_id()
                    open_remove(eid)
                    if watch and eid in watch:
                        watch.pop(eid)[1] = i
                    self.mode = self.original_mode
                    fast, sensitive, lane = self._flags()
                    continue
                if kind is not START_TAG:
                    continue
            elif lane == 2:
                # Inside SVG or MathML (not at an integration point): elements nest as written.
                top = st_names[-1]
                if kind is START_TAG and top not in integration_points:
                    name = names[i]
                    if name not in foreign_exits:
                        if not flags[i] & SELF_CLOSING:
                            pushed = ("svg " if top[0] == "s" else "math ") + name
                            push_name(pushed)
                            counts[pushed] = counts.get(pushed, 0) + 1
                            push_id(i)
                            open_add(i)
                            self.nforeign += 1
                            fast, sensitive, lane = self._flags()
                        continue
                elif kind is END_TAG:
                    if top.endswith(names[i]) and top[-len(names[i]) - 1] == " ":
                        counts[pop_name()] -= 1
                        eid = pop_id()
                        open_remove(eid)
                        if watch and eid in watch:
                            watch.pop(eid)[1] = i
                        self.nforeign -= 1
                        fast, sensitive, lane = self._flags()
                        continue
            elif lane == 3:
                # In the head: metadata elements.
                if kind is START_TAG:
                    name = names[i]
                    if name in head_void:
                        continue
                    if name in head_raw and not flags[i] & SELF_CLOSING:
                        if i + 1 < n and kinds[i + 1] is not RAWTEXT and (kinds[i + 1] is not END_TAG or names[i + 1] != name):
                            self.model.exact = False  # the tokenizer did not read raw text here
                        pushed = names[i]
                        push_name(pushed)
                        counts[pushed] = counts.get(pushed, 0) + 1
                        push_id(i)
                        open_add(i)
                        self.original_mode = self.mode
                        self.mode = TEXT_MODE
                        self.raw_start = i
                        fast, sensitive, lane = False, False, 1
                        continue
            if kind is RAWTEXT:
                if self.mode != TEXT_MODE and names[i] not in ("plaintext", "textarea"):
                    self.model.exact = False  # the tokenizer made raw text the tree did not ask for
                continue
            self.cur = i
            self._token(i)
            fast, sensitive, lane = self._flags()
        if sensitive and previous + 1 < n:
            self.cur = n
            self._text(previous + 1, n)
        self.cur = n
        self._eof()
        self._finish()

    def _flags(self) -> tuple[bool, bool, int]:
        """(fast, text-sensitive, lane) for the main loop: whether the in-body fast path
        applies, whether text between tags must be looked at, and which other inline path
        applies (1: raw text, 2: inside SVG/MathML, 3: in the head, 0: none)."""
        mode = self.mode
        dirty = self.dirty
        sensitive = mode not in _TEXT_NEUTRAL or (dirty and mode != TEXT_MODE)
        if mode == TEXT_MODE:
            return False, sensitive, 1
        if self.nforeign:
            top = self.st_names[-1]
            if mode in _FAST_MODES and " " in top:
                return False, sensitive, 2
            return False, sensitive, 0
        if mode in _FAST_MODES:
            return not dirty, sensitive, 0
        return False, sensitive, _LANES.get(mode, 0)

    def _finish(self) -> None:
        self._check_table_deletions()
        for record in self.watch.values():
            record[1] = self.n
        self.watch.clear()

    def _token(self, i: int) -> None:
        kind = self.kinds[i]
        if kind is START_TAG:
            if self._dispatch_start(i):
                # reprocessed: it changed the insertion mode first (implied <head> or <body>,
                # left a table or a select...), so it is not a no-op even if it ends up ignored
                self.side_effect_at = i
                while self._dispatch_start(i):
                    pass
            if self.flags[i] & SELF_CLOSING and not self._acknowledged:
                self._self_closed(i)
        elif kind is END_TAG:
            if self._dispatch_end(i):
                self.side_effect_at = i
                while self._dispatch_end(i):
                    pass
        elif kind is DOCTYPE:
            self._doctype(i)
        # RAWTEXT content and DROPPED markup do not change the tree.

    # --- foreign content -------------------------------------------------------------------

    def _use_foreign_rules(self, i: int, is_start: bool) -> bool:
        name = self.st_names[-1]
        if " " not in name:
            return False
        if name in _MATHML_TEXT_IP and is_start and self.names[i] not in ("mglyph", "malignmark"):
            return False
        if name == "math annotation-xml":
            if is_start and self.names[i] == "svg":
                return False
            if is_start and self._annotation_is_html(self.st_ids[-1]):
                return False
        if name in _HTML_IP and is_start:
            return False
        return True

    def _annotation_is_html(self, eid: int) -> bool:
        encoding = self._attributes(eid).get("encoding", "").lower()
        return encoding in ("text/html", "application/xhtml+xml")

    def _foreign_start(self, i: int, name: str) -> bool:
        if name in _FOREIGN_BREAKOUT or (name == "font" and self._font_breaks_out(i)):
            self._error("unexpected-html-element-in-foreign-content")
            names = self.st_names
            k = len(names) - 1
            while k > 0 and " " in names[k] and names[k] not in _MATHML_TEXT_IP and not (
                names[k] in _HTML_IP or (names[k] == "math annotation-xml" and self._annotation_is_html(self.st_ids[k]))
            ):
                k -= 1
            self._closure("foreign", k)
            self._pop_to(k + 1)
            self.side_effect_at = i
            return True
        namespace = self.st_names[-1].split(" ", 1)[0]
        self._push(f"{namespace} {name}", i)
        if self.flags[i] & SELF_CLOSING:
            self._pop()
            self._acknowledged = True
        return False

    def _font_breaks_out(self, i: int) -> bool:
        attributes = self.stream[i].attributes
        return any(attribute.name in ("color", "face", "size") for attribute in attributes)

    def _foreign_end(self, i: int, name: str) -> bool:
        names = self.st_names
        k = len(names) - 1
        if names[k].split(" ", 1)[-1] != name:
            self._error("unexpected-end-tag")
        while True:
            if names[k].split(" ", 1)[-1] == name:
                self._closure("end", k, name)
                self._pop_to(k)
                return False
            k -= 1
            if k < 0:
                return False
            if " " not in names[k]:
                return self._end_in_mode(i, name)

    # --- dispatch ---------------------------------------------------------------------------

    def _dispatch_start(self, i: int) -> bool:
        """Process start tag ``i``; True means reprocess it (the mode changed)."""
        self._acknowledged = False
        name = self.names[i]
        if self.nforeign and self._use_foreign_rules(i, True):
            return self._foreign_start(i, name)
        mode = self.mode
        if mode == IN_BODY:
            return self._body_start(i, name)
        return _START_HANDLERS[mode](self, i, name)

    def _dispatch_end(self, i: int) -> bool:
        name = self.names[i]
        if self.nforeign and self._use_foreign_rules(i, False):
            return self._foreign_end(i, name)
        return self._end_in_mode(i, name)

    def _end_in_mode(self, i: int, name: str) -> bool:
        mode = self.mode
        if mode == IN_BODY:
            return self._body_end(i, name)
        return _END_HANDLERS[mode](self, i, name)

    # --- text ------------------------------------------------------------------------------

    def _text(self, first: int, end: int) -> None:
        """Process the non-tag tokens ``first .. end-1`` (text, character references, comments)."""
        kinds = self.kinds
        k = first
        while k < end:
            kind = kinds[k]
            if kind is not TEXT and kind is not CHARREF:
                k += 1
                continue
            self.cur = k
            if self.mode in _TABLE_TEXT_MODES:
                run_end = k + 1
                while run_end < end and kinds[run_end] in (TEXT, CHARREF):
                    run_end += 1
                self._table_text(k, run_end)
                k = run_end
                continue
            if not self._characters(k, self._is_ws(k)):
                k += 1

    def _characters(self, k: int, ws: bool) -> bool:
        mode = self.mode
        if self.nforeign and " " in self.st_names[-1] and self.st_names[-1] not in _MATHML_TEXT_IP and not (
            self.st_names[-1] in _HTML_IP
            or (self.st_names[-1] == "math annotation-xml" and self._annotation_is_html(self.st_ids[-1]))
        ):
            return False
        if mode == IN_BODY or mode == IN_CELL or mode == IN_CAPTION:
            if self.dirty and not self._dropped_newline(k):
                self._reconstruct()
            return False
        if ws:
            if mode == AFTER_AFTER_BODY and self.dirty:
                self._reconstruct()
            return False
        if mode == INITIAL:
            self._error("expected-doctype-but-got-chars")
            self.model.quirks = True
            self.mode = BEFORE_HTML
            return True
        if mode == BEFORE_HTML:
            self._implied_html()
            return True
        if mode == BEFORE_HEAD:
            self._implied_head()
            return True
        if mode == IN_HEAD:
            self._pop()
            self.mode = AFTER_HEAD
            return True
        if mode == AFTER_HEAD:
            self._implied_body()
            return True
        if mode == IN_COLGROUP:
            if self.st_names[-1] == "html":
                self._error("XXX-undefined-error")
                return False
            self._pop()
            self.mode = IN_TABLE
            return True  # the text is now table text
        if mode == AFTER_BODY:
            self._error("unexpected-char-after-body")
            self.mode = IN_BODY
            return True
        if mode == AFTER_AFTER_BODY:
            self._error("expected-eof-but-got-char")
            self.mode = IN_BODY
            return True
        if mode == IN_FRAMESET:
            self._error("unexpected-char-in-frameset")
        elif mode in (AFTER_FRAMESET, AFTER_AFTER_FRAMESET):
            self._error("unexpected-char-after-frameset" if mode == AFTER_FRAMESET else "expected-eof-but-got-char")
        return False

    def _dropped_newline(self, k: int) -> bool:
        """A lone newline right after <pre>, <listing> or <textarea>: dropped, so it re-opens
        nothing."""
        previous = k - 1
        ignored = self.no_effect
        while previous >= 0 and (self.kinds[previous] is DROPPED or previous in ignored):
            previous -= 1  # "</>" produces no token; ignored tags change nothing
        return (
            previous >= 0
            and self.kinds[previous] is START_TAG
            and self.names[previous] in ("pre", "listing", "textarea")
            and self.text[self.starts[k] : self.starts[k + 1]] in ("\n", "\r\n", "\r")
        )

    def _table_text(self, first: int, end: int) -> None:
        kinds, text, starts = self.kinds, self.text, self.starts
        visible = False
        for k in range(first, end):
            if kinds[k] is TEXT:
                if _NON_WS.search(text, starts[k], starts[k + 1]):
                    visible = True
                    break
            elif _NON_WS.search(decode_charref(text[starts[k] : starts[k + 1]])):
                visible = True
                break
        if not visible:
            return
        reopened = False
        if self.dirty:
            self.foster = True
            before = len(self.st_ids)
            self._reconstruct()
            self.foster = False
            reopened = len(self.st_ids) != before
        if self.st_names[-1] in _TABLE_INSERT:
            self.model.foster_text.append((first, end, self._last_table_src(), not reopened))

    # --- the active formatting elements ------------------------------------------------------

    def _reconstruct(self) -> None:
        afe = self.afe
        self.dirty = False
        if not afe:
            return
        last = afe[-1]
        if last == MARKER or last in self.open_ids:
            return
        k = len(afe) - 1
        while k > 0:
            entry = afe[k - 1]
            if entry == MARKER or entry in self.open_ids:
                break
            k -= 1
        for j in range(k, len(afe)):
            old = afe[j]
            clone = self._new_id()
            source = self.src(old)
            self.origin[clone] = source
            self._push(self.afe_names[j], clone)
            afe[j] = clone
            self.formatted.add(clone)
            self._event(source, "reopened")

    def _add_formatting(self, i: int, name: str) -> None:
        self._push(name, i)
        afe, afe_names = self.afe, self.afe_names
        matching = []
        for k in range(len(afe) - 1, -1, -1):
            if afe[k] == MARKER:
                break
            if afe_names[k] == name:
                matching.append(k)
        if len(matching) >= 3:
            mine = self._attributes(i)
            same = [k for k in matching if self._attributes(afe[k]) == mine]
            if len(same) >= 3:
                del afe[same[-1]]
                del afe_names[same[-1]]
        afe.append(i)
        afe_names.append(name)
        self.formatted.add(i)

    def _clear_afe_to_marker(self) -> None:
        afe, afe_names = self.afe, self.afe_names
        while afe:
            entry = afe.pop()
            afe_names.pop()
            if entry == MARKER:
                break
        if afe and afe[-1] != MARKER and afe[-1] not in self.open_ids:
            self.dirty = True  # entries before the marker now need re-opening

    def _afe_find(self, name: str) -> int:
        """Position in the active formatting list of the last ``name`` after the last marker."""
        afe, afe_names = self.afe, self.afe_names
        for k in range(len(afe) - 1, -1, -1):
            if afe[k] == MARKER:
                return -1
            if afe_names[k] == name:
                return k
        return -1

    def _adoption_agency(self, i: int, name: str, record: bool = True) -> None:
        """The adoption agency algorithm, as html5lib 1.1 runs it, on the stack and list.

        ``record`` is False when the caller (``<a>`` inside ``<a>``) already recorded what it
        closes."""
        afe, afe_names, names, ids = self.afe, self.afe_names, self.st_names, self.st_ids
        for _ in range(8):
            position = self._afe_find(name)
            if position < 0:
                self._any_other_end(i, name)
                return
            element = afe[position]
            source = self.src(element)
            stack_pos = self._stack_index(element) if element in self.open_ids else -1
            if stack_pos >= 0 and not self._in_scope(name, _SCOPE):
                self._any_other_end(i, name)
                return
            if stack_pos < 0:
                self._error("adoption-agency-1.2")
                del afe[position]
                del afe_names[position]
                self._event(source, "removed")
                return
            if stack_pos != len(ids) - 1:
                self._error("adoption-agency-1.3")
            furthest = -1
            for k in range(stack_pos + 1, len(ids)):
                if names[k] in _SPECIAL:
                    furthest = k
                    break
            if furthest < 0:
                misnested = stack_pos != len(ids) - 1
                if misnested and record:
                    self._closure("aaa", stack_pos, name)
                self._pop_to(stack_pos)
                position = afe.index(element)
                del afe[position]
                del afe_names[position]
                self._event(source, "ended-misnested" if misnested else "ended")
                return
            self._event(source, "split")
            self.model.split_formatting.append((i, source, self.src(ids[furthest])))
            furthest_id = ids[furthest]
            bookmark = position
            node_pos = furthest
            last_node = furthest_id
            for _inner in range(3):
                node_pos -= 1
                node = ids[node_pos]
                if node not in afe:
                    self._remove_at(node_pos)
                    continue
                if node == element:
                    break
                if last_node == furthest_id:
                    bookmark = afe.index(node) + 1
                clone = self._new_id()
                self.origin[clone] = self.src(node)
                afe[afe.index(node)] = clone
                self.formatted.add(clone)
                ids[node_pos] = clone
                self.open_ids.remove(node)
                self.open_ids.add(clone)
                last_node = clone
            clone = self._new_id()
            self.origin[clone] = source
            position = afe.index(element)
            del afe[position]
            del afe_names[position]
            afe.insert(bookmark, clone)
            afe_names.insert(bookmark, name)
            self.formatted.add(clone)
            stack_pos = self._stack_index(element)
            del ids[stack_pos]
            self.open_ids.remove(element)
            self.open_counts[names[stack_pos]] -= 1
            del names[stack_pos]
            after = self._stack_index(furthest_id) + 1
            ids.insert(after, clone)
            self.open_ids.add(clone)
            names.insert(after, name)
            self.open_counts[name] = self.open_counts.get(name, 0) + 1
            self.dirty = True

    # --- full-document modes ----------------------------------------------------------------

    def _doctype(self, i: int) -> None:
        if self.mode != INITIAL:
            self._error("unexpected-doctype")
            self._ignore("doctype")
            return
        src = self.text[self.starts[i] : self.starts[i + 1]]
        match = _DOCTYPE_PARTS.fullmatch(src)
        name = public = system = None
        correct = match is not None and match.group(1) is not None
        if match:
            name = (match.group(1) or "").lower()
            if match.group(2):
                public = match.group(3) if match.group(3) is not None else match.group(4)
                system = match.group(5) if match.group(5) is not None else match.group(6)
            elif match.group(7):
                system = match.group(8) if match.group(8) is not None else match.group(9)
        if name != "html" or public is not None or (system is not None and system != "about:legacy-compat"):
            self._error("unknown-doctype")
        public_id = (public or "").lower()
        if (
            not correct
            or name != "html"
            or public_id.startswith(_QUIRKS_PREFIXES)
            or public_id in ("-//w3o//dtd w3 html strict 3.0//en//", "-/w3c/dtd html 4.0 transitional/en", "html")
            or (public_id.startswith(("-//w3c//dtd html 4.01 frameset//", "-//w3c//dtd html 4.01 transitional//")) and system is None)
            or (system is not None and system.lower() == "http://www.ibm.com/data/dtd/v11/ibmxhtml1-transitional.dtd")
        ):
            self.model.quirks = True
        self.mode = BEFORE_HTML

    def _implied_html(self) -> None:
        self.st_names.append("html")
        self.open_counts["html"] = self.open_counts.get("html", 0) + 1
        self.st_ids.append(self._new_id())
        self.open_ids.add(self.st_ids[-1])
        self.mode = BEFORE_HEAD

    def _implied_head(self) -> None:
        self.head = self._new_id()
        self._push("head", self.head)
        self.mode = IN_HEAD

    def _implied_body(self) -> None:
        self._enter("body", self._new_id(), IN_BODY)
        self.frameset_ok = True
        self.body_from = self.cur

    def _initial_start(self, i: int, name: str) -> bool:
        self._error("expected-doctype-but-got-start-tag")
        self.model.quirks = True
        self.mode = BEFORE_HTML
        return True

    def _initial_end(self, i: int, name: str) -> bool:
        self._error("expected-doctype-but-got-end-tag")
        self.model.quirks = True
        self.mode = BEFORE_HTML
        return True

    def _before_html_start(self, i: int, name: str) -> bool:
        if name == "html":
            self.first_start_tag = True
        self._implied_html()
        return True

    def _before_html_end(self, i: int, name: str) -> bool:
        if name not in ("head", "body", "html", "br"):
            self._stray("unexpected-end-tag-before-html")
            return False
        self._implied_html()
        return True

    def _before_head_start(self, i: int, name: str) -> bool:
        if name == "html":
            return self._body_start(i, name)
        if name == "head":
            self.head = i
            self._enter("head", i, IN_HEAD)
            return False
        self._implied_head()
        return True

    def _before_head_end(self, i: int, name: str) -> bool:
        if name in ("head", "body", "html", "br"):
            self._implied_head()
            return True
        self._stray("end-tag-after-implied-root")
        return False

    def _head_start(self, i: int, name: str) -> bool:
        if name == "html":
            return self._body_start(i, name)
        if name in ("base", "basefont", "bgsound", "command", "link", "meta"):
            self._insert_void(name, i)
            return False
        if name in ("title", "noframes", "style", "script", "noscript"):
            self._raw(i, name)
            return False
        if name == "head":
            self._ignore("document", "two-heads-are-not-better-than-one")
            return False
        self._pop()
        self.mode = AFTER_HEAD
        return True

    def _head_end(self, i: int, name: str) -> bool:
        if name == "head":
            self._pop()
            self.mode = AFTER_HEAD
            return False
        if name in ("br", "html", "body"):
            self._pop()
            self.mode = AFTER_HEAD
            return True
        self._stray("unexpected-end-tag")
        return False

    def _after_head_start(self, i: int, name: str) -> bool:
        if name == "html":
            return self._body_start(i, name)
        if name == "frameset":
            self.model.exact = False
        if name == "body":
            self.frameset_ok = False
            self._enter("body", i, IN_BODY)
            self.body_from = i
            return False
        if name == "frameset":
            self._enter("frameset", i, IN_FRAMESET)
            return False
        if name in ("base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style", "title"):
            self._error("unexpected-start-tag-out-of-my-head")
            self._push("head", self.head if self.head is not None else self._new_id())
            self.mode = IN_HEAD
            self._head_start(i, name)
            if self.mode == IN_HEAD:
                self.mode = AFTER_HEAD
            elif self.mode == TEXT_MODE:
                self.original_mode = AFTER_HEAD
            k = self._index_of("head")
            if k >= 0:
                self._remove_at(k)
            return False
        if name == "head":
            self._ignore("document", "unexpected-start-tag")
            return False
        self._implied_body()
        return True

    def _after_head_end(self, i: int, name: str) -> bool:
        if name in ("body", "html", "br"):
            self._implied_body()
            return True
        self._stray("unexpected-end-tag")
        return False

    def _text_start(self, i: int, name: str) -> bool:
        # Only reached when this model and the tokenizer disagree about raw text; leave the
        # raw-text element and go on.
        self._pop()
        self.mode = self.original_mode
        return True

    def _text_end(self, i: int, name: str) -> bool:
        self._pop()
        self.mode = self.original_mode
        return False

    def _raw(self, i: int, name: str) -> None:
        """Insert a raw-text element; the tokenizer already made its content one RAWTEXT token."""
        following = i + 1
        if following < self.n and not (
            self.kinds[following] is RAWTEXT or (self.kinds[following] is END_TAG and self.names[following] == name)
        ):
            self.model.exact = False
        self._push(name, i)
        self.original_mode = self.mode
        self.mode = TEXT_MODE
        self.raw_start = i

    # --- in body ----------------------------------------------------------------------------

    def _close_p(self, block: bool, cause: str = "start") -> None:
        """Close a ``<p>`` in button scope (the "close a p element" steps); ``block`` when a
        block start tag other than ``<p>`` does it."""
        self._generate_implied("p")
        names = self.st_names
        k = self._index_of("p")
        if names[-1] != "p":
            self._error("unexpected-end-tag")
            self._closure(cause, k, "p")
        if block:
            self.p_block.append((self.st_ids[k], self.cur, self.st_ids[k - 1] if k > 0 else -1))
        self._pop_to(k)

    def _body_start(self, i: int, name: str) -> bool:
        category = _BODY_START.get(name)
        if category is None:
            if self.dirty:
                self._reconstruct()
            self._push(name, i)
            return False
        if category == "close-p":
            if self._in_scope("p", _BUTTON_SCOPE):
                self._close_p(name != "p")
            self._push(name, i)
            return False
        if category == "fmt":
            if self.dirty:
                self._reconstruct()
            self._add_formatting(i, name)
            return False
        if category == "a":
            position = self._afe_find("a")
            if position >= 0:
                self._error("unexpected-start-tag-implies-end-tag")
                element = self.afe[position]
                self._adoption_agency(i, "a", record=not self._record_formatting_close(element, "a"))
                if element in self.open_ids:
                    self._remove_at(self._stack_index(element))
                if element in self.afe:
                    position = self.afe.index(element)
                    del self.afe[position]
                    del self.afe_names[position]
            if self.dirty:
                self._reconstruct()
            self._add_formatting(i, name)
            return False
        if category == "void-fmt" or category == "input":
            if self.dirty:
                self._reconstruct()
            self._insert_void(name, i)
            if category == "void-fmt" or not _HIDDEN.search(self.text, self.starts[i], self.starts[i + 1]):
                self.frameset_ok = False
            return False
        if category == "li":
            return self._list_item(i, name)
        if category == "heading":
            if self._in_scope("p", _BUTTON_SCOPE):
                self._close_p(True)
            if self.st_names[-1] in _HEADINGS:
                self._error("unexpected-start-tag")
                self._closure("start", len(self.st_ids) - 2, self.st_names[-1])
                self._pop()
            self._push(name, i)
            return False
        if category == "head-void":
            self._insert_void(name, i)
            return False
        if category == "head-raw":
            self._raw(i, name)
            return False
        if category == "table":
            if not self.model.quirks and self._in_scope("p", _BUTTON_SCOPE):
                self._close_p(True)
            self._push(name, i)
            self.frameset_ok = False
            self.mode = IN_TABLE
            return False
        if category == "pre":
            if self._in_scope("p", _BUTTON_SCOPE):
                self._close_p(True)
            self._push(name, i)
            self.frameset_ok = False
            return False
        if category == "hr":
            if self._in_scope("p", _BUTTON_SCOPE):
                self._close_p(True)
            self._insert_void(name, i)
            self.frameset_ok = False
            return False
        if category == "param":
            self._insert_void(name, i)
            return False
        if category == "misplaced":
            reason = "document" if name == "head" else "frame" if name == "frame" else "table"
            self._ignore(reason, "unexpected-start-tag-ignored")
            return False
        if category == "select":
            if self.dirty:
                self._reconstruct()
            self._push(name, i)
            self.frameset_ok = False
            in_table = self.mode in (IN_TABLE, IN_CAPTION, IN_COLGROUP, IN_TBODY, IN_ROW, IN_CELL)
            self.mode = IN_SELECT_IN_TABLE if in_table else IN_SELECT
            return False
        if category == "opt":
            if self.st_names[-1] == "option":
                self._pop()
            if self.dirty:
                self._reconstruct()
            self._push(name, i)
            return False
        if category == "html":
            if self.first_start_tag:
                self.first_start_tag = False
                return False
            self._error("non-html-root")
            self._ignore("document", noop=self.fragment or not self._has_attributes(i))
            return False
        if category == "body":
            self._error("unexpected-start-tag")
            if len(self.st_names) == 1 or self.st_names[1] != "body":
                self._ignore("document")
            else:
                self.frameset_ok = False
                self._ignore("document", noop=not self._has_attributes(i))
            return False
        if category == "form":
            if self.form is not None:
                self._ignore("form", "unexpected-start-tag")
                return False
            if self._in_scope("p", _BUTTON_SCOPE):
                self._close_p(True)
            self._push(name, i)
            self.form = i
            return False
        if category == "nobr":
            if self.dirty:
                self._reconstruct()
            if self._in_scope("nobr", _SCOPE):
                self._error("unexpected-start-tag-implies-end-tag")
                nobr = self.st_ids[self._index_of("nobr")]
                self._adoption_agency(i, "nobr", record=not self._record_formatting_close(nobr, "nobr"))
                if self.dirty:
                    self._reconstruct()
            self._add_formatting(i, name)
            return False
        if category == "button":
            if self._in_scope("button", _SCOPE):
                self._error("unexpected-start-tag-implies-end-tag")
                self._block_end(i, "button", "start")
                return True
            if self.dirty:
                self._reconstruct()
            self._push(name, i)
            self.frameset_ok = False
            return False
        if category == "applet":
            if self.dirty:
                self._reconstruct()
            self._push(name, i)
            self.afe.append(MARKER)
            self.afe_names.append("")
            self.frameset_ok = False
            return False
        if category == "xmp":
            if self._in_scope("p", _BUTTON_SCOPE):
                self._close_p(True)
            if self.dirty:
                self._reconstruct()
            self.frameset_ok = False
            self._raw(i, name)
            return False
        if category == "textarea":
            # html5lib 1.1 reads textarea content in the in-body mode (not "text"), so its
            # characters re-open formatting elements and </textarea> is an ordinary end tag
            following = i + 1
            if following < self.n and not (
                self.kinds[following] is RAWTEXT or (self.kinds[following] is END_TAG and self.names[following] == name)
            ):
                self.model.exact = False
            self._push(name, i)
            if following < self.n and self.kinds[following] is RAWTEXT and self.flags[following] & UNTERMINATED:
                self.model.unterminated_raw = i  # its text runs to the end of the input
            if self.dirty and following < self.n and self.kinds[following] is RAWTEXT:
                self.cur = following
                self._reconstruct()
                self.cur = i
            return False
        if category == "iframe":
            self.frameset_ok = False
            self._raw(i, name)
            return False
        if category == "raw":
            self._raw(i, name)
            return False
        if category == "plaintext":
            if self._in_scope("p", _BUTTON_SCOPE):
                self._close_p(True)
            # no text mode for plaintext: its text is in-body text, which re-opens formatting
            if i + 1 < self.n and self.kinds[i + 1] is not RAWTEXT:
                self.model.exact = False  # the tokenizer did not read it as plaintext
            self._push(name, i)
            if self.dirty and i + 1 < self.n and self.kinds[i + 1] is RAWTEXT:
                self._reconstruct()
            return False
        if category == "math" or category == "svg":
            if self.dirty:
                self._reconstruct()
            self._push(f"{name} {name}", i)
            if self.flags[i] & SELF_CLOSING:
                self._pop()
                self._acknowledged = True
            return False
        if category == "rprt":
            if self._in_scope("ruby", _SCOPE):
                self._generate_implied()
                if self.st_names[-1] != "ruby":
                    self._error("XXX-undefined-error")
            self._push(name, i)
            return False
        if category == "image":
            self._error("unexpected-start-tag-treated-as")
            if self.dirty:
                self._reconstruct()
            self._push("img", i)
            self._pop()
            self.frameset_ok = False
            return False
        if category == "isindex":
            # html5lib 1.1 still expands it into a form with a prompt (browsers no longer do):
            # its effects are not modelled, so nothing may claim to keep the DOM
            self._error("deprecated-tag")
            self.model.exact = False
            return False
        if category == "frameset":
            self.model.exact = False  # framesets replace the body: not modelled in full
            self._error("unexpected-start-tag")
            if len(self.st_names) == 1 or self.st_names[1] != "body" or not self._frameset_still_ok():
                self._ignore("frame")
                return False
            self._pop_to(1)
            self._enter("frameset", i, IN_FRAMESET)
            return False
        raise AssertionError(category)  # pragma: no cover

    def _record_formatting_close(self, element: int, name: str) -> bool:
        """A start tag (``<a>`` in ``<a>``) closes formatting element ``element``: record it and
        what is open inside it, unless a block inside it makes the adoption agency split it
        (then the agency records that). True if recorded."""
        ids, names = self.st_ids, self.st_names
        if element not in self.open_ids:
            return False
        k = self._stack_index(element)
        if any(names[j] in _SPECIAL for j in range(k + 1, len(names))):
            return False
        self._closure("start", k - 1, name)
        return True

    def _frameset_still_ok(self) -> bool:
        """frameset-ok, worked out only now (a ``<frameset>`` in the body is rare): it is false
        once the body has visible text or one of the elements that turn it off."""
        if not self.frameset_ok:
            return False
        kinds, names = self.kinds, self.names
        for k in range(self.body_from, self.cur):
            kind = kinds[k]
            if kind is CHARREF or (
                kind is TEXT and _VISIBLE_IN_BODY.search(self.text, self.starts[k], self.starts[k + 1])
            ):
                return False
            if kind is START_TAG and names[k] in _FRAMESET_OFF:
                if names[k] != "input" or not _HIDDEN.search(self.text, self.starts[k], self.starts[k + 1]):
                    return False
        return True

    def _list_item(self, i: int, name: str) -> bool:
        self.frameset_ok = False
        stops = ("li",) if name == "li" else ("dd", "dt")
        names = self.st_names
        for k in range(len(names) - 1, -1, -1):
            node = names[k]
            if node in stops:
                self._generate_implied(node)
                if names[-1] != node:
                    self._error("end-tag-too-early")
                    self._closure("start", k, node)
                self._pop_to(k)
                break
            if node in _SPECIAL and node not in ("address", "div", "p"):
                break
        if self._in_scope("p", _BUTTON_SCOPE):
            self._close_p(True)
        if name == "li" and not any(self.open_counts.get(parent) for parent in _LIST_PARENTS):
            record = [i, self.n, len(names)]
            self.model.orphan_items.append(record)
            self.watch[i] = record
        self._push(name, i)
        return False

    def _self_closed(self, i: int) -> None:
        """A trailing ``/>`` the parser did not acknowledge: a non-void HTML element."""
        self.errors.append((i, "non-void-element-with-trailing-solidus"))
        if self.names[i] in VOID or (self.st_ids and self.st_ids[-1] != i):
            # void elements ignored in this context (col, frame) or a tag that opened nothing
            close = i
        else:
            close = -1
        record = [i, close if close >= 0 else self.n]
        self.model.self_closed.append(record)
        if close < 0:
            self.watch[i] = record

    def _body_end(self, i: int, name: str) -> bool:
        category = _BODY_END.get(name)
        if category is None:
            self._any_other_end(i, name)
            return False
        if category == "block":
            self._block_end(i, name, "end")
            return False
        if category == "p":
            if not self._in_scope("p", _BUTTON_SCOPE):
                stray = Stray(i, "p", False, in_table=bool(self.open_counts.get("table")))
                if self.p_block:
                    paragraph, closer, parent = self.p_block[-1]
                    if parent == self.st_ids[-1]:
                        stray.block, stray.paragraph = closer, self.src(paragraph)
                        self.p_block.pop()
                self._error("unexpected-end-tag")
                self.model.strays.append(stray)
                return False
            self._close_p(False, "end")
            return False
        if category == "fmt":
            self._adoption_agency(i, name)
            return False
        if category == "li":
            scope = _LIST_SCOPE if name == "li" else _SCOPE
            if not self._in_scope(name, scope):
                self._stray("unexpected-end-tag")
                return False
            self._generate_implied(name)
            k = self._index_of(name)
            if self.st_names[-1] != name:
                self._error("end-tag-too-early")
                self._closure("end", k, name)
            self._pop_to(k)
            return False
        if category == "heading":
            names = self.st_names
            k = -1
            for j in range(len(names) - 1, -1, -1):
                if names[j] in _HEADINGS:
                    k = j
                    break
                if names[j] in _SCOPE:
                    break
            if k < 0:
                self._stray("end-tag-too-early")
                return False
            self._generate_implied()
            if names[-1] != name:
                self._error("end-tag-too-early")
                # a heading of another level is closed by this end tag too
                self._closure("end", k if names[k] == name else k - 1, name)
            self._pop_to(k)
            return False
        if category == "body":
            if not self._in_scope("body", _SCOPE):
                self._stray("XXX-undefined-error")
                return False
            self._body_closes()
            self.mode = AFTER_BODY
            return False
        if category == "html":
            if self._in_scope("body", _SCOPE):
                self._body_closes()
                self.mode = AFTER_BODY
                return True
            self.model.strays.append(Stray(i, "none", True))
            return False
        if category == "br":
            self._error("unexpected-end-tag-treated-as")
            if self.dirty:
                self._reconstruct()
            # inside SVG/MathML a </br> lands in the foreign element, where <br> would not
            self.model.strays.append(Stray(i, "br", bool(self.nforeign), in_table=bool(self.open_counts.get("table"))))
            self.frameset_ok = False
            return False
        if category == "form":
            node = self.form
            self.form = None
            if node is None or node not in self.open_ids or not self._element_in_scope(node):
                self._stray("unexpected-end-tag", noop=node is None)
                return False
            self._generate_implied()
            k = self._stack_index(node)
            if self.st_ids[-1] != node:
                self._error("end-tag-too-early-ignored")
                self._closure("form", k, "form", pops=False)
            self._remove_at(k)
            return False
        if category == "applet":
            if not self._in_scope(name, _SCOPE):
                self._stray("end-tag-too-early")
                return False
            self._generate_implied()
            k = self._index_of(name)
            if self.st_names[-1] != name:
                self._error("end-tag-too-early")
                self._closure("end", k, name)
            self._pop_to(k)
            self._clear_afe_to_marker()
            return False
        raise AssertionError(category)  # pragma: no cover

    def _element_in_scope(self, eid: int) -> bool:
        names, ids = self.st_names, self.st_ids
        for k in range(len(ids) - 1, -1, -1):
            if ids[k] == eid:
                return True
            if names[k] in _SCOPE:
                return False
        return False

    def _body_closes(self) -> None:
        """``</body>``: report elements still open (browsers keep them open)."""
        names = self.st_names
        if names[-1] == "body":
            return
        for k in range(2, len(names)):
            if names[k] not in _BODY_END_OK:
                self._error("expected-one-end-tag-but-got-another")
                self._closure("body", 1, "body", pops=False)
                return

    def _block_end(self, i: int, name: str, cause: str) -> None:
        if not self._in_scope(name, _SCOPE):
            if cause == "end":
                self._stray("end-tag-too-early")
            return
        self._generate_implied()
        k = self._index_of(name)
        if self.st_names[-1] != name:
            if cause == "end":
                self._error("end-tag-too-early")
            self._closure(cause, k, name)
        self._pop_to(k)

    def _any_other_end(self, i: int, name: str) -> None:
        names = self.st_names
        for k in range(len(names) - 1, -1, -1):
            node = names[k]
            if node == name:
                self._generate_implied(name)
                if names[-1] != name:
                    self._error("unexpected-end-tag")
                    self._closure("end", k, name)
                    if self._is_active(self.st_ids[k]):
                        # a formatting element reached past a scope boundary stays active (and
                        # is re-opened later); closed cleanly, it would not be
                        self.model.closures[-1].neutral = False
                self._pop_to(k)
                return
            if node in _SPECIAL:
                self._stray("unexpected-end-tag")
                return

    # --- tables -----------------------------------------------------------------------------

    def _clear_to(self, stops: tuple[str, ...], report: bool = False) -> None:
        names = self.st_names
        while names[-1] not in stops:
            if report:
                self._error("unexpected-implied-end-tag-in-table-row")
                self._closure("start" if self.kinds[self.cur] is START_TAG else "end", len(names) - 2, "tr")
            self._pop()

    def _reset_mode(self) -> None:
        names = self.st_names
        for k in range(len(names) - 1, -1, -1):
            name = names[k]
            if k == 0:
                self.mode = IN_BODY
                return
            if " " in name:
                continue
            mode = _RESET_MODES.get(name)
            if mode is not None:
                self.mode = mode
                return

    def _table_start(self, i: int, name: str) -> bool:
        if name == "caption":
            self._clear_to(("table", "html"))
            self.afe.append(MARKER)
            self.afe_names.append("")
            self._enter(name, i, IN_CAPTION)
            return False
        if name == "colgroup":
            self._clear_to(("table", "html"))
            self._enter(name, i, IN_COLGROUP)
            return False
        if name == "col":
            self._clear_to(("table", "html"))
            self._enter("colgroup", self._new_id(), IN_COLGROUP)
            return True
        if name in ("tbody", "tfoot", "thead"):
            self._clear_to(("table", "html"))
            self._enter(name, i, IN_TBODY)
            return False
        if name in ("td", "th", "tr"):
            self._clear_to(("table", "html"))
            self._enter("tbody", self._new_id(), IN_TBODY)
            return True
        if name == "table":
            self._error("unexpected-start-tag-implies-end-tag")
            # html5lib processes one implied </table> in the current mode (from a row, that
            # only closes the row) and, in a fragment, drops this <table>.
            _END_HANDLERS[self.mode](self, i, "table")
            if self.fragment:
                self._ignore("table", noop=False)
            return not self.fragment
        if name in ("style", "script"):
            self._raw(i, name)
            return False
        if name == "input" and _HIDDEN.search(self.text, self.starts[i], self.starts[i + 1]):
            self._error("unexpected-hidden-input-in-table")
            self._push(name, i)
            self._pop()
            return False
        if name == "form":
            self._error("unexpected-form-in-table")
            if self.form is None:
                self._push(name, i)
                self.form = i
                self._pop()
            else:
                self._ignore("form")
            return False
        self._error("unexpected-start-tag-implies-table-voodoo")
        return self._foster_parented(self._body_start, i, name)

    def _foster_parented(self, handler: Callable[[int, str], bool], i: int, name: str) -> bool:
        """Process a token in a table by the in-body rules, moving what it inserts before the
        table ("foster parenting")."""
        self.foster = True
        try:
            handler(i, name)
        finally:
            self.foster = False
        return False

    def _table_end_tag(self, i: int, cause: str) -> None:
        if self._in_scope("table", _TABLE_SCOPE):
            self._generate_implied()
            k = self._index_of("table")
            if self.st_names[-1] != "table":
                self._error("end-tag-too-early-named")
                self._closure(cause, k, "table")
            self._pop_to(k)
            self._reset_mode()
        else:
            self._error("XXX-undefined-error")

    def _table_end(self, i: int, name: str) -> bool:
        if name == "table":
            if not self._in_scope("table", _TABLE_SCOPE):
                self._stray("XXX-undefined-error")
                return False
            self._table_end_tag(i, "end")
            return False
        if name in ("body", "caption", "col", "colgroup", "html", "tbody", "td", "tfoot", "th", "thead", "tr"):
            self._stray("unexpected-end-tag")
            return False
        self._error("unexpected-end-tag-implies-table-voodoo")
        return self._foster_parented(self._body_end, i, name)

    def _caption_start(self, i: int, name: str) -> bool:
        if name in ("caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"):
            self._error("XXX-undefined-error")
            if not self._in_scope("caption", _TABLE_SCOPE):
                self._ignore("table")
                return False
            self._close_caption("start")
            return True
        return self._body_start(i, name)

    def _close_caption(self, cause: str) -> None:
        self._generate_implied()
        k = self._index_of("caption")
        if self.st_names[-1] != "caption":
            self._error("expected-one-end-tag-but-got-another")
            self._closure(cause, k, "caption")
        self._pop_to(k)
        self._clear_afe_to_marker()
        self.mode = IN_TABLE

    def _caption_end(self, i: int, name: str) -> bool:
        if name == "caption":
            if not self._in_scope("caption", _TABLE_SCOPE):
                self._stray("XXX-undefined-error")
                return False
            self._close_caption("end")
            return False
        if name == "table":
            self._error("XXX-undefined-error")
            if not self._in_scope("caption", _TABLE_SCOPE):
                self._stray("XXX-undefined-error")
                return False
            self._close_caption("end")
            return True
        if name in ("body", "col", "colgroup", "html", "tbody", "td", "tfoot", "th", "thead", "tr"):
            self._stray("unexpected-end-tag")
            return False
        return self._body_end(i, name)

    def _colgroup_start(self, i: int, name: str) -> bool:
        if name == "html":
            return self._body_start(i, name)
        if name == "col":
            self._insert_void(name, i)
            return False
        return self._leave_colgroup(stray=False)

    def _colgroup_end(self, i: int, name: str) -> bool:
        if name == "col":
            self._stray("no-end-tag")
            return False
        if self._leave_colgroup(stray=True):
            return name != "colgroup"  # anything else is reprocessed in the table
        return False

    def _leave_colgroup(self, stray: bool) -> bool:
        """An implied or written ``</colgroup>``; False when there is no colgroup to close."""
        if self.st_names[-1] == "html":
            if stray:
                self._stray("XXX-undefined-error")
            else:
                self._error("XXX-undefined-error")
            return False
        self._pop()
        self.mode = IN_TABLE
        return True

    def _tbody_start(self, i: int, name: str) -> bool:
        if name == "tr":
            self._clear_to(("tbody", "tfoot", "thead", "html"))
            self._enter(name, i, IN_ROW)
            return False
        if name in ("td", "th"):
            self._error("unexpected-cell-in-table-body")
            self._clear_to(("tbody", "tfoot", "thead", "html"))
            self._enter("tr", self._new_id(), IN_ROW)
            return True
        if name in ("caption", "col", "colgroup", "tbody", "tfoot", "thead"):
            if any(self._in_scope(section, _TABLE_SCOPE) for section in ("tbody", "thead", "tfoot")):
                self._clear_to(("tbody", "tfoot", "thead", "html"))
                self._pop()
                self.mode = IN_TABLE
                return True
            self._error("XXX-undefined-error")
            self._ignore("table")
            return False
        return self._table_start(i, name)

    def _tbody_end(self, i: int, name: str) -> bool:
        if name in ("tbody", "tfoot", "thead"):
            if self._in_scope(name, _TABLE_SCOPE):
                self._clear_to(("tbody", "tfoot", "thead", "html"))
                self._pop()
                self.mode = IN_TABLE
            else:
                self._stray("unexpected-end-tag-in-table-body")
            return False
        if name == "table":
            if any(self._in_scope(section, _TABLE_SCOPE) for section in ("tbody", "thead", "tfoot")):
                self._clear_to(("tbody", "tfoot", "thead", "html"))
                self._pop()
                self.mode = IN_TABLE
                return True
            self._stray("XXX-undefined-error")
            return False
        if name in ("body", "caption", "col", "colgroup", "html", "td", "th", "tr"):
            self._stray("unexpected-end-tag-in-table-body")
            return False
        return self._table_end(i, name)

    def _row_start(self, i: int, name: str) -> bool:
        if name in ("td", "th"):
            self._clear_to(("tr", "html"), report=True)
            self._enter(name, i, IN_CELL)
            self.afe.append(MARKER)
            self.afe_names.append("")
            return False
        if name in ("caption", "col", "colgroup", "tbody", "tfoot", "thead", "tr"):
            if not self._in_scope("tr", _TABLE_SCOPE):
                self._error("XXX-undefined-error")
                self._ignore("table")
                return False
            self._close_row()
            return True
        return self._table_start(i, name)

    def _close_row(self) -> None:
        self._clear_to(("tr", "html"), report=True)
        self._pop()
        self.mode = IN_TBODY

    def _row_end(self, i: int, name: str) -> bool:
        if name == "tr":
            if self._in_scope("tr", _TABLE_SCOPE):
                self._close_row()
            else:
                self._stray("XXX-undefined-error")
            return False
        if name == "table":
            if self._in_scope("tr", _TABLE_SCOPE):
                self._close_row()
                return True
            self._stray("XXX-undefined-error")
            return False
        if name in ("tbody", "tfoot", "thead"):
            if self._in_scope(name, _TABLE_SCOPE):
                self._close_row()
                return True
            self._stray("XXX-undefined-error")
            return False
        if name in ("body", "caption", "col", "colgroup", "html", "td", "th"):
            self._stray("unexpected-end-tag-in-table-row")
            return False
        return self._table_end(i, name)

    def _cell_start(self, i: int, name: str) -> bool:
        if name in ("caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"):
            if self._in_scope("td", _TABLE_SCOPE) or self._in_scope("th", _TABLE_SCOPE):
                self._close_cell("start")
                return True
            self._error("XXX-undefined-error")
            self._ignore("table")
            return False
        return self._body_start(i, name)

    def _close_cell(self, cause: str) -> None:
        cell = "td" if self._in_scope("td", _TABLE_SCOPE) else "th"
        self._end_cell(cell, cause)

    def _end_cell(self, name: str, cause: str) -> None:
        self._generate_implied(name)
        # html5lib pops until an element with that local name, an SVG <td> included
        k = self._index_of_local(name)
        if self.st_names[-1] != name:
            self._error("unexpected-cell-end-tag")
            self._closure(cause, k, name)
        self._pop_to(k)
        self._clear_afe_to_marker()
        self.mode = IN_ROW

    def _cell_end(self, i: int, name: str) -> bool:
        if name in ("td", "th"):
            if self._in_scope(name, _TABLE_SCOPE):
                self._end_cell(name, "end")
            else:
                self._stray("unexpected-end-tag")
            return False
        if name in ("body", "caption", "col", "colgroup", "html"):
            self._stray("unexpected-end-tag")
            return False
        if name in ("table", "tbody", "tfoot", "thead", "tr"):
            if self._in_scope(name, _TABLE_SCOPE):
                self._close_cell("end")
                return True
            self._stray("XXX-undefined-error")
            return False
        return self._body_end(i, name)

    # --- select -----------------------------------------------------------------------------

    def _select_start(self, i: int, name: str) -> bool:
        names = self.st_names
        if name == "option":
            if names[-1] == "option":
                self._pop()
            self._push(name, i)
            return False
        if name == "optgroup":
            if names[-1] == "option":
                self._pop()
            if names[-1] == "optgroup":
                self._pop()
            self._push(name, i)
            return False
        if name == "select":
            self._error("unexpected-select-in-select")
            self._ignore("select", noop=False)
            self._end_select()
            return False
        if name in ("input", "keygen", "textarea"):
            self._error("unexpected-input-in-select")
            if self._in_select_scope("select"):
                self._end_select(cause="start")
                return True
            return False
        if name == "script":
            self._raw(i, name)
            return False
        if name == "html":
            return self._body_start(i, name)
        self._ignore("select", "unexpected-start-tag-in-select")
        return False

    def _end_select(self, cause: str = "") -> None:
        if self._in_select_scope("select"):
            k = self._index_of("select")
            if cause:
                self._closure(cause, k - 1, "select")
            self._pop_to(k)
            self._reset_mode()
        else:
            self._error("XXX-undefined-error")

    def _select_end(self, i: int, name: str) -> bool:
        names = self.st_names
        if name == "option":
            if names[-1] == "option":
                self._pop()
            else:
                self._stray("unexpected-end-tag-in-select")
            return False
        if name == "optgroup":
            if names[-1] == "option" and len(names) > 1 and names[-2] == "optgroup":
                self._pop()
            if names[-1] == "optgroup":
                self._pop()
            else:
                self._stray("unexpected-end-tag-in-select")
            return False
        if name == "select":
            if self._in_select_scope("select"):
                self._end_select()
            else:
                self._stray("XXX-undefined-error")
            return False
        self._stray("unexpected-end-tag-in-select")
        return False

    def _select_table_start(self, i: int, name: str) -> bool:
        if name in ("caption", "table", "tbody", "tfoot", "thead", "tr", "td", "th"):
            self._error("unexpected-table-element-start-tag-in-select-in-table")
            self._closure("start", self._index_of("select") - 1, "select")
            self._select_end(i, "select")
            return True
        return self._select_start(i, name)

    def _select_table_end(self, i: int, name: str) -> bool:
        if name in ("caption", "table", "tbody", "tfoot", "thead", "tr", "td", "th"):
            self._error("unexpected-table-element-end-tag-in-select-in-table")
            if self._in_scope(name, _TABLE_SCOPE):
                self._closure("end", self._index_of("select") - 1, "select")
                self._select_end(i, "select")
                return True
            self.model.strays.append(Stray(i, "none", True))
            return False
        return self._select_end(i, name)

    # --- after body, frameset ---------------------------------------------------------------

    def _after_body_start(self, i: int, name: str) -> bool:
        if name == "html":
            return self._body_start(i, name)
        self._error("unexpected-start-tag-after-body")
        self.mode = IN_BODY
        self.side_effect_at = i
        return True

    def _after_body_end(self, i: int, name: str) -> bool:
        if name == "html":
            if self.fragment:
                self._stray("unexpected-end-tag-after-body-innerhtml")
            else:
                self.mode = AFTER_AFTER_BODY
            return False
        self._error("unexpected-end-tag-after-body")
        self.mode = IN_BODY
        count = len(self.model.strays)
        self._body_end(i, name)
        for stray in self.model.strays[count:]:
            stray.noop = False  # it also took the parser back into the body
        return False

    def _after_after_body_start(self, i: int, name: str) -> bool:
        if name == "html":
            return self._body_start(i, name)
        self._error("expected-eof-but-got-start-tag")
        self.mode = IN_BODY
        self.side_effect_at = i
        return True

    def _after_after_body_end(self, i: int, name: str) -> bool:
        self._error("expected-eof-but-got-end-tag")
        self.mode = IN_BODY
        count = len(self.model.strays)
        self._body_end(i, name)
        for stray in self.model.strays[count:]:
            stray.noop = False
        return False

    def _frameset_start(self, i: int, name: str) -> bool:
        if name == "html":
            return self._body_start(i, name)
        if name == "frameset":
            self._push(name, i)
            return False
        if name == "frame":
            self._push(name, i)
            self._pop()
            return False
        if name == "noframes":
            self._raw(i, name)
            return False
        self._ignore("frame", "unexpected-start-tag-in-frameset")
        return False

    def _frameset_end(self, i: int, name: str) -> bool:
        if name == "frameset":
            if self.st_names[-1] == "html":
                self._stray("unexpected-frameset-in-frameset-innerhtml")
                return False
            self._pop()
            if not self.fragment and self.st_names[-1] != "frameset":
                self.mode = AFTER_FRAMESET
            return False
        self._stray("unexpected-end-tag-in-frameset")
        return False

    def _after_frameset_start(self, i: int, name: str) -> bool:
        """After ``</frameset>`` (and after ``</html>`` following it)."""
        if name == "html":
            return self._body_start(i, name)
        if name == "noframes":
            self._raw(i, name)
            return False
        after_html = self.mode == AFTER_AFTER_FRAMESET
        self._ignore("frame", "expected-eof-but-got-start-tag" if after_html else "unexpected-start-tag-after-frameset")
        return False

    def _after_frameset_end(self, i: int, name: str) -> bool:
        if name == "html":
            self.mode = AFTER_AFTER_FRAMESET
            return False
        self._stray("unexpected-end-tag-after-frameset")
        return False

    def _after_after_frameset_end(self, i: int, name: str) -> bool:
        self._stray("expected-eof-but-got-end-tag")
        return False

    # --- end of input -----------------------------------------------------------------------

    def _eof(self) -> None:
        for _ in range(12):
            mode = self.mode
            if mode == INITIAL:
                self._error("expected-doctype-but-got-eof")
                self.model.quirks = True
                self.mode = BEFORE_HTML
            elif mode == BEFORE_HTML:
                self._implied_html()
            elif mode == BEFORE_HEAD:
                self._implied_head()
            elif mode == IN_HEAD:
                self._pop()
                self.mode = AFTER_HEAD
            elif mode == AFTER_HEAD:
                self._implied_body()
            elif mode == TEXT_MODE:
                self._error("expected-named-closing-tag-but-got-eof")
                self.model.unterminated_raw = self.raw_start
                self._pop()
                self.mode = self.original_mode
            elif mode in (IN_BODY, IN_CELL, IN_CAPTION):
                if any(name not in _EOF_OK for name in self.st_names):
                    self._error("expected-closing-tag-but-got-eof")
                    self._eof_closure()
                return
            elif mode in (IN_TABLE, IN_TBODY, IN_ROW, IN_SELECT, IN_SELECT_IN_TABLE):
                if self.st_names[-1] != "html":
                    self._error("eof-in-select" if mode in (IN_SELECT, IN_SELECT_IN_TABLE) else "eof-in-table")
                    self._eof_closure()
                return
            elif mode == IN_COLGROUP:
                if self.st_names[-1] == "html":
                    return
                self._pop()
                self.mode = IN_TABLE
            elif mode == IN_FRAMESET:
                if self.st_names[-1] != "html":
                    self._error("eof-in-frameset")
                return
            else:
                return

    def _eof_closure(self) -> None:
        base = 0 if self.fragment else max(0, self._base_index())
        self._closure("eof", base)

    def _base_index(self) -> int:
        names = self.st_names
        return 1 if len(names) > 1 and names[1] in ("body", "frameset") else 0


_RESET_MODES = {
    "select": IN_SELECT,
    "td": IN_CELL,
    "th": IN_CELL,
    "tr": IN_ROW,
    "tbody": IN_TBODY,
    "thead": IN_TBODY,
    "tfoot": IN_TBODY,
    "caption": IN_CAPTION,
    "colgroup": IN_COLGROUP,
    "table": IN_TABLE,
    "head": IN_BODY,
    "body": IN_BODY,
    "frameset": IN_FRAMESET,
    "html": BEFORE_HEAD,
}

_START_HANDLERS = {
    INITIAL: _Builder._initial_start,
    BEFORE_HTML: _Builder._before_html_start,
    BEFORE_HEAD: _Builder._before_head_start,
    IN_HEAD: _Builder._head_start,
    AFTER_HEAD: _Builder._after_head_start,
    TEXT_MODE: _Builder._text_start,
    IN_TABLE: _Builder._table_start,
    IN_CAPTION: _Builder._caption_start,
    IN_COLGROUP: _Builder._colgroup_start,
    IN_TBODY: _Builder._tbody_start,
    IN_ROW: _Builder._row_start,
    IN_CELL: _Builder._cell_start,
    IN_SELECT: _Builder._select_start,
    IN_SELECT_IN_TABLE: _Builder._select_table_start,
    AFTER_BODY: _Builder._after_body_start,
    IN_FRAMESET: _Builder._frameset_start,
    AFTER_FRAMESET: _Builder._after_frameset_start,
    AFTER_AFTER_BODY: _Builder._after_after_body_start,
    AFTER_AFTER_FRAMESET: _Builder._after_frameset_start,
}
_END_HANDLERS = {
    INITIAL: _Builder._initial_end,
    BEFORE_HTML: _Builder._before_html_end,
    BEFORE_HEAD: _Builder._before_head_end,
    IN_HEAD: _Builder._head_end,
    AFTER_HEAD: _Builder._after_head_end,
    TEXT_MODE: _Builder._text_end,
    IN_TABLE: _Builder._table_end,
    IN_CAPTION: _Builder._caption_end,
    IN_COLGROUP: _Builder._colgroup_end,
    IN_TBODY: _Builder._tbody_end,
    IN_ROW: _Builder._row_end,
    IN_CELL: _Builder._cell_end,
    IN_SELECT: _Builder._select_end,
    IN_SELECT_IN_TABLE: _Builder._select_table_end,
    AFTER_BODY: _Builder._after_body_end,
    IN_FRAMESET: _Builder._frameset_end,
    AFTER_FRAMESET: _Builder._after_frameset_end,
    AFTER_AFTER_BODY: _Builder._after_after_body_end,
    AFTER_AFTER_FRAMESET: _Builder._after_after_frameset_end,
}
