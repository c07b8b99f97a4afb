"""Finding WordPress shortcodes in a document: one scan shared by every shortcode rule.

A shortcode is ``[name attrs]``, ``[name attrs /]`` or ``[name attrs]content[/name]``
(WordPress ``get_shortcode_regex``); ``[[name]]`` is an escaped shortcode that WordPress prints
literally, so it is left alone. Square brackets are common in prose (``[1]``, ``[sic]``,
``[…]``, ``[Editor's note]``, ``[see below]``) and in Markdown (``[text](url)``), so a bracket
counts as a shortcode only with evidence: a name from the registry below, ``[name attr="…"]``
attribute syntax, or a matching ``[/name]`` closer. Only brackets in text count: never inside
tags, comments, scripts or protected elements (``pre``, ``code``, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from ...document import Document
from ...model import Diagnostic, Edit, Fix
from ...tokens import TEXT
from ..base import Rule
from ..cms._shared import in_markdown_code, line_extent, stays_on_wordpress

__all__ = [
    "BLOCK_SHORTCODES",
    "Shortcode",
    "ShortcodeFamilyRule",
    "family_of",
    "parse_attributes",
    "shortcodes",
]

#: Core shortcodes (WordPress ``add_shortcode`` calls in wp-includes/media.php).
CAPTION = frozenset({"caption", "wp_caption"})
MEDIA = frozenset({"gallery", "embed", "audio", "video", "playlist"})
#: WordPress.com / Jetpack embed shortcodes whose first argument is a URL.
JETPACK_EMBEDS = frozenset(
    {"youtube", "vimeo", "dailymotion", "soundcloud", "spotify", "slideshare", "tweet",
     "instagram", "googlemaps", "ted", "flickr", "gist", "wpvideo", "twitter-timeline"}
)
#: Page-builder prefixes: WPBakery (``vc_``), Divi (``et_pb_``), Avada (``fusion_``), Enfold
#: (``av_``), Cornerstone (``cs_``), Shortcodes Ultimate (``su_``), Jupiter (``mk_``),
#: KingComposer (``kc_``), Flatsome UX Builder (``ux_``), Themify (``themify_``), Oshine
#: (``tatsu_``), Beaver Builder modules (``fl_``).
BUILDER_PREFIXES = ("vc_", "et_pb_", "fusion_", "av_", "cs_", "su_", "mk_", "kc_", "ux_",
                    "themify_", "tatsu_", "fl_")
#: Theme column shortcodes that wrap content like builder rows do.
BUILDER_NAMES = frozenset(
    {"one_half", "one_half_last", "one_third", "one_third_last", "two_third", "two_third_last",
     "one_fourth", "one_fourth_last", "three_fourth", "three_fourth_last", "one_fifth",
     "one_sixth"}
)
#: Plugin shortcodes that render something (a form, a slider, a table) from plugin data.
PLUGINS = frozenset(
    {"contact-form-7", "contact-form", "gravityform", "gravityforms", "wpforms", "ninja_form",
     "ninja_forms", "caldera_form", "formidable", "mc4wp_form", "mailpoet_form", "yikes-mailchimp",
     "rev_slider", "layerslider", "smartslider3", "metaslider", "soliloquy", "envira-gallery",
     "foogallery", "wpdatatable", "elementor-template", "fl_builder_insert_layout",
     "woocommerce_cart", "woocommerce_checkout", "woocommerce_my_account", "add_to_cart",
     "product_page", "recent_products", "featured_products", "product_category", "ez-toc",
     "lwptoc", "toc", "addtoany", "ssba", "easy-social-share", "wp_show_posts", "display-posts",
     "sourcecode", "code"}
)
#: Shortcodes whose output is block-level (a figure, a gallery, a player, a builder row): a
#: ``<p>`` that wpautop wraps around them ends up around a block.
BLOCK_SHORTCODES = CAPTION | MEDIA | JETPACK_EMBEDS


def family_of(name: str) -> str:
    """``caption``, ``media``, ``builder``, ``plugin``, or ``""`` for a name not in the registry."""
    if name in CAPTION:
        return "caption"
    if name in MEDIA or name in JETPACK_EMBEDS:
        return "media"
    if name.startswith(BUILDER_PREFIXES) or name in BUILDER_NAMES:
        return "builder"
    if name in PLUGINS:
        return "plugin"
    return ""


# "[", an optional "[" (escaped shortcode), an optional "/", the name, the rest up to "]".
# Every repetition is possessive and bounded, and stops at the next bracket: linear time.
_TAG = re.compile(r"\[(\[?)(/?)([A-Za-z][A-Za-z0-9_-]*+)(?=[\s\]/=\xa0])([^\[\]]{0,4000}+)\](\]?)")
_QUOTED = r"(?:\"[^\"]*\"|'[^']*'|[“”″][^“”″]*[“”″]|&quot;[^&]*&quot;|&#82(?:20|21|43);[^&]*&#82(?:20|21|43);)"
#: ``key="value"`` (spaces around "=" allowed) or ``key=value`` (no spaces, as shortcodes are
#: written; prose such as ``x = 5`` has spaces).
_ATTRIBUTE_SYNTAX = re.compile(
    r"(?:^|\s)[A-Za-z_][\w-]*(?:\s*=\s*" + _QUOTED + r"|=[^\s\"'=\]]+)"
)
# WordPress get_shortcode_atts_regex(), with typographic quotes as texturize leaves them.
_ATTRIBUTE = re.compile(
    r"([\w-]+)\s*=\s*\"([^\"]*)\"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"
    r"|([\w-]+)\s*=\s*[“”″]([^“”″]*)[“”″](?:\s|$)|([\w-]+)\s*=\s*([^\s'\"]+)(?:\s|$)"
    r"|\"([^\"]*)\"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"
)
_SPACE_OR_SLASH = frozenset(" \t\n\r\f\xa0/")


@dataclass(slots=True)
class Shortcode:
    """One shortcode tag (an opener, a closer ``[/name]`` or a self-closed ``[name /]``)."""

    name: str
    start: int
    end: int
    closing: bool
    self_closing: bool
    attrs: str
    family: str
    attribute_syntax: bool
    #: The index (in the scan's list) of the matching opener or closer, or -1.
    partner: int = -1
    #: Written with a doubled bracket on its outer side (``[[name`` / ``/name]]``).
    escaped: bool = False

    @property
    def has_evidence(self) -> bool:
        """Whether this bracket is a shortcode rather than bracketed prose."""
        return bool(self.family) or self.attribute_syntax or self.partner >= 0

    @property
    def label(self) -> str:
        return f"[/{self.name}]" if self.closing else f"[{self.name}]"


def parse_attributes(attrs: str) -> tuple[dict[str, str], list[str]]:
    """Named and positional attributes, as WordPress ``shortcode_parse_atts`` reads them
    (names lower-cased; typographic quotes around a value are dropped)."""
    named: dict[str, str] = {}
    positional: list[str] = []
    text = attrs.replace("\xa0", " ").replace("\u200b", " ").strip()
    if text.endswith("/"):
        text = text[:-1].rstrip()
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        for key_group in (0, 2, 4, 6):
            if groups[key_group] is not None:
                named.setdefault(groups[key_group].lower(), groups[key_group + 1])
                break
        else:
            value = next(g for g in groups[8:] if g is not None)
            positional.append(value)
    return named, positional


def _scan(doc: Document) -> list[Shortcode]:
    text = doc.text
    if "[" not in text or "]" not in text:
        return []
    html = doc.is_html
    candidates = list(_TAG.finditer(text))
    # Names that have a closer somewhere: without one, an unknown name needs attribute syntax.
    # Deciding that before touching the tokens skips most brackets of scripts and prose.
    closed = {match.group(3) for match in candidates if match.group(2)}
    found: list[Shortcode] = []
    for match in candidates:
        escaped_open, slash, name, attrs, escaped_close = match.groups()
        if escaped_open and escaped_close:
            continue  # [[gallery]] prints "[gallery]" on purpose
        if attrs and attrs[0] not in _SPACE_OR_SLASH:
            # [type=text], [a=b]; Jetpack's [youtube=URL] form is the exception
            if not (attrs[0] == "=" and name in JETPACK_EMBEDS):
                continue
        family = family_of(name)
        attribute_syntax = not slash and _ATTRIBUTE_SYNTAX.search(attrs) is not None
        if not (family or attribute_syntax or name in closed):
            continue  # "[i]", "[see below]": no evidence, and nothing to pair with
        start = match.start() + len(escaped_open)
        end = match.end() - len(escaped_close)
        closing = bool(slash)
        if closing and attrs.strip():
            continue
        if not family and ("<" in attrs or ">" in attrs):
            continue  # "[What you need <a href=…>…</a>]": bracketed prose around markup
        following = text[end : end + 1]
        if following == "(" or (following in ("[", ":") and not (family or attribute_syntax or closing)):
            continue  # Markdown links [text](url), [text][ref] and definitions [ref]: url
        if html:
            stream = doc.tokens
            if stream.kinds[stream.index_at(start)] is not TEXT or doc.is_protected(start):
                continue
            if in_markdown_code(doc, start):
                continue
        tag = Shortcode(
            name=name,
            start=start,
            end=end,
            closing=closing,
            self_closing=attrs.rstrip().endswith("/"),
            attrs=attrs,
            family=family,
            attribute_syntax=attribute_syntax,
        )
        tag.escaped = bool(escaped_open) if not closing else bool(escaped_close)
        found.append(tag)
    _pair(found)
    return _drop_escaped(found)


def _drop_escaped(tags: list[Shortcode]) -> list[Shortcode]:
    """Remove ``[[name]…[/name]]`` pairs (escaped: WordPress prints them literally)."""
    drop = {
        i for i, tag in enumerate(tags)
        if tag.escaped and tag.partner >= 0 and tags[tag.partner].escaped
    }
    if not drop:
        return tags
    kept = [i for i in range(len(tags)) if i not in drop]
    new_index = {old: new for new, old in enumerate(kept)}
    result = []
    for old in kept:
        tag = tags[old]
        tag.partner = new_index.get(tag.partner, -1) if tag.partner >= 0 else -1
        result.append(tag)
    return result


def _pair(tags: list[Shortcode]) -> None:
    """Match each ``[/name]`` with the nearest unmatched ``[name]`` before it."""
    open_by_name: dict[str, list[int]] = {}
    for index, tag in enumerate(tags):
        if tag.closing:
            stack = open_by_name.get(tag.name)
            if stack:
                opener = stack.pop()
                tags[opener].partner = index
                tag.partner = opener
        elif not tag.self_closing:
            open_by_name.setdefault(tag.name, []).append(index)


def shortcodes(doc: Document) -> list[Shortcode]:
    """Every shortcode-shaped tag in the document's text, paired (computed once per document).
    Callers filter on :attr:`Shortcode.has_evidence` and :attr:`Shortcode.family`."""
    return doc.memo(_scan)


class ShortcodeFamilyRule(Rule):
    """What the caption, media and page-builder rules share: a stray closer (``[/caption]``
    with no opener) is debris on every target, since WordPress prints it as text too, and is
    deleted by a safe fix; an opener is reported unless the target is ``wordpress``, with the
    fix :meth:`conversion` builds. Subclasses set ``family`` and ``noun``."""

    family: ClassVar[str]
    noun: ClassVar[str]  # "Caption shortcode"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        tags = shortcodes(doc)
        mine = [tag for tag in tags if tag.family == self.family]
        if not mine:
            return
        on_wordpress = stays_on_wordpress(doc)
        deletion = self.deletion(doc, mine, on_wordpress)
        for tag in mine:
            if tag.closing:
                if tag.partner < 0:
                    yield self.report(
                        tag.start, tag.end, f"Stray {self.noun.lower()} closer `{tag.label}`",
                        self.fix(f"Remove `{tag.label}`", Edit.delete(*deletion(tag.start, tag.end))),
                    )
                continue
            if on_wordpress:
                continue
            closer = tags[tag.partner] if tag.partner >= 0 else None
            yield self.report(
                tag.start, tag.end,
                f"{self.noun} `{tag.label}` (shown as text outside WordPress)",
                self.conversion(doc, tag, closer, deletion),
            )

    def deletion(
        self, doc: Document, tags: list[Shortcode], on_wordpress: bool
    ) -> Callable[[int, int], tuple[int, int]]:
        """How a deleted tag's span grows (by default: to its line, when alone on it)."""
        return lambda start, end: line_extent(doc.text, start, end)

    def conversion(
        self, doc: Document, opener: Shortcode, closer: Shortcode | None,
        deletion: Callable[[int, int], tuple[int, int]],
    ) -> Fix | None:
        raise NotImplementedError
