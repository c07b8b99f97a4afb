"""CM003: boilerplate leaked into content (cookie banners, share bars, related posts,
subscribe prompts)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...document import Document
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...tokens import CHARREF, COMMENT, END_TAG, RAWTEXT, START_TAG, TEXT, TokenStream, decode_charref
from ..base import Rule
from ._shared import INLINE_WRAPPERS, is_full_document, line_extent, matching_end, matching_start

#: Blocks longer than this (in words) are content, whatever they say.
MAX_WORDS = {"cookie": 80, "share": 40, "related": 150, "subscribe": 80}
#: A wrapper with more raw characters than this is looked into for its first or last child.
_WRAPPER_CHARS = 3000
#: Raw characters of a block worth reading at all.
_MAX_BLOCK_CHARS = 30000

_COOKIE = re.compile(
    r"\b(?:(?:uses?|use of|using|accept(?: all)?|allow(?: all)?|consent to(?: the use of)?|reject(?: all)?)"
    r" (?:the )?cookies\b|cookie (?:policy|settings|preferences|notice|consent|statement)\b"
    r"|cookies? (?:being used|on (?:this|our) (?:site|website))\b"
    r"|by continuing to (?:use|browse|visit)\b|manage (?:consent|cookies)\b|we value your privacy\b)"
)
_SHARE_LEAD = re.compile(
    r"^\W*(?:share (?:this|on|via|the article|this (?:article|post|story|page))\b|share\s*:"
    r"|click to share\b|like this\s*:|spread the word\b)"
)
_NETWORKS = re.compile(
    r"\b(?:facebook|twitter|linkedin|pinterest|whatsapp|reddit|tumblr|pocket|telegram|email|e-mail"
    r"|print|x|threads|mastodon|bluesky|flipboard|mix|skype|messenger)\b"
)
_LIKES = re.compile(r"\blike loading\b|\bbe the first to like this\b")
_RELATED_LEAD = re.compile(
    r"^\W*(?:related(?: (?:posts?|articles?|stories|reading|content|links|searches|topics|videos))?\b"
    r"|you (?:may|might|will) also (?:like|enjoy|be interested in)\b"
    r"|recommended (?:for you|reading|posts|articles|stories)\b|more (?:stories|posts|articles) (?:like this|from)\b"
    r"|read (?:next|also)\b)"
)
_SUBSCRIBE = re.compile(
    r"\b(?:subscribe (?:to|for) (?:our|the|my)?\s?(?:\w+ )?(?:newsletter|blog|mailing list|channel|podcast|updates)"
    r"|sign up (?:for|to) (?:our|the|my)?\s?(?:\w+ ){0,2}(?:newsletter|mailing list|updates)"
    r"|join (?:our|my) (?:\w+ )?(?:newsletter|mailing list)|enter your e-?mail(?: address)?"
    r"|(?:delivered|straight|right) (?:to|in) your inbox|never miss (?:a|an) (?:post|update|story|thing)"
    r"|newsletter)\b"
)
#: Button labels that end a banner or a prompt; words that also end ordinary sentences
#: ("close", "continue", "agree") are not among them.
_CALL_TO_ACTION = re.compile(
    r"\b(?:i agree|i accept|accept(?: all| cookies)?|got it|ok(?:ay)?|allow all|decline|reject all"
    r"|dismiss|learn more|more info(?:rmation)?|subscribe(?: now)?|sign up(?: now)?|join now)\b\W*$"
)
#: Where a block of the visible text ends: block elements in HTML, lines in a text export.
_SEGMENT = "\u2029"
_BUTTON = re.compile(r"<button\b|type\s*=\s*[\"']?submit", re.IGNORECASE)
_TOPIC = {"cookie": "cookie", "subscribe": "newsletter"}
_LABELS = {
    "cookie": "Cookie or consent banner",
    "share": "Share bar",
    "related": "Related-posts block",
    "subscribe": "Subscribe prompt",
}

#: Class names and ids of WordPress plugin widgets that inject boilerplate into the_content:
#: Jetpack sharing, likes and related posts; YARPP, Contextual Related Posts, WordPress
#: Related Posts; AddToAny, Shareaholic, Simple Share Buttons, ShareThis, Social Warfare,
#: Super Socializer, Easy Social Share Buttons, MashShare; and cookie-consent plugins
#: (Cookie Notice, CookieYes/Cookie Law Info, GDPR Cookie Compliance, Complianz,
#: Cookiebot, OneTrust, Borlabs, cookieconsent).
_WIDGETS = {
    "sharedaddy": "share", "sd-sharing-enabled": "share", "sd-like": "share",
    "jetpack-likes-widget-wrapper": "share", "addtoany_share_save_container": "share",
    "a2a_kit": "share", "shareaholic-canvas": "share", "ssba": "share", "ssba-wrap": "share",
    "sharethis-inline-share-buttons": "share", "swp_social_panel": "share",
    "heateor_sss_sharing_container": "share", "essb_links": "share", "mashsb-container": "share",
    "jp-relatedposts": "related", "yarpp-related": "related", "yarpp-related-widget": "related",
    "crp_related": "related", "rp4wp-related-posts": "related", "wp_rp_wrap": "related",
    "cookie-notice-container": "cookie", "cookie-law-info-bar": "cookie",
    "moove_gdpr_cookie_info_bar": "cookie", "cmplz-cookiebanner": "cookie",
    "cky-consent-container": "cookie", "cc-window": "cookie", "wt-cli-cookie-bar": "cookie",
    "CybotCookiebotDialog": "cookie", "onetrust-banner-sdk": "cookie",
    "onetrust-consent-sdk": "cookie", "BorlabsCookie": "cookie",
}
_NON_SPACE = re.compile(r"\S")
_VOID = frozenset({"br", "hr", "img", "input", "wbr", "meta", "link"})
_BLOCK_SEPARATORS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p section table td th tr ul button".split()
)
_BLANK_LINES = re.compile(r"\n[ \t\r\f\xa0]*\n")
#: A word that every match of the category patterns above contains (cookie: _COOKIE; share:
#: _SHARE_LEAD; related: _RELATED_LEAD; subscribe: _SUBSCRIBE). Keep it in step with them.
_ANY_CATEGORY = re.compile(
    r"cookie|continuing|manage|privacy"
    r"|share|like|spread"
    r"|related|also|recommended|more|read"
    r"|subscribe|sign|join|enter|inbox|never|newsletter"
)


@dataclass(slots=True)
class _Block:
    start: int
    end: int
    where: str  # "start", "end" or "widget"
    #: The last two siblings together: only a heading with its list of related posts counts.
    pair: bool = False
    #: For a pair, where its second block (the list) starts.
    split: int = 0
    #: A known widget class or id on the element's start tag.
    widget: str = ""
    #: The token indexes of the element's start and end tags, when the block is one element.
    element: tuple[int, int] | None = None


class LeakedBoilerplate(Rule):
    """Boilerplate leaked into content: cookie banner, share bar, "Related posts", subscribe prompt.

    ## What it does
    Flags a whole block of site boilerplate that a scraper, an export or a `the_content`
    filter put into the post:
    * a block at the very start or end of the content (in a text export: the first or last
      line or paragraph) that matches the phrases of a cookie or consent banner ("This
      website uses cookies", "cookie policy", "by continuing to use"), a share bar ("Share
      this: Facebook Twitter", "Like this: Like Loading…"), a related-posts block ("Related
      posts", "You may also like") or a subscribe prompt ("Subscribe to our newsletter",
      "Enter your email"), is short, and (for banners and prompts) ends with a call to
      action ("I Agree", "Accept", "Subscribe") or repeats the phrases;
    * among the last three or first two blocks (where `the_content` filters append and
      prepend them), an element with the class or id of a plugin widget that injects such
      blocks (`sharedaddy`, `jp-relatedposts`, `yarpp-related`,
      `addtoany_share_save_container`, `cookie-law-info-bar`, …).

    Inside a large wrapper (`<div class="entry-content">`), the wrapper's own first and last
    blocks count as the edges. Only the edges are read, so the check costs the same on a
    long post as on a short one.

    A paragraph in the middle of the post is never flagged on its phrases alone, and an
    article *about* cookies or newsletters (the topic recurs outside the block) is left
    alone. Whole pages (with a doctype or `<html>`) are not checked: their banners belong to
    the page. For every target.

    ## Why is this bad?
    The reader of the migrated post sees a cookie banner, a row of dead share links or a
    list of "related" posts from the old site as part of the article text, and search
    engines index it as the article's content (adbar/trafilatura#569, firecrawl#78).

    ## Example
    ```text
    … and that is how the treaty was signed.
    This website uses cookies. By continuing to use this website you are giving consent to cookies being used. Visit our Privacy and Cookie Policy. I Agree
    ```

    Use instead:
    ```text
    … and that is how the treaty was signed.
    ```

    ## Fix safety
    Unsafe: the fix deletes the whole block (the element, or the line or paragraph of a
    text export, with its line break), which removes text from the page. The detection is a
    judgement on phrases, position and length, so a person should confirm it.
    """

    code = "CM003"
    name = "leaked-boilerplate"
    fix_availability = FixAvailability.ALWAYS

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if not text or text.isspace() or is_full_document(doc):
            return
        checked: set[tuple[int, int]] = set()
        reported: list[tuple[int, int]] = []
        candidates = _edge_blocks(doc) if doc.is_html else _text_blocks(text)
        for block in candidates:
            span = (block.start, block.end)
            if span in checked or any(span[0] < end and start < span[1] for start, end in reported):
                continue  # seen, or inside or around a block reported already
            checked.add(span)
            category: str | None
            if block.widget:
                category = _WIDGETS[block.widget]
                message = f"{_LABELS[category]} widget `{block.widget}` at the {block.where} of the content"
            else:
                visible = _visible_text(doc, block.start, block.end)
                category = _classify(visible, text[block.start : block.end] if doc.is_html else "")
                if category is None or (block.pair and (category != "related" or not _label_and_links(doc, block))):
                    continue
                if _about_the_topic(text, block, category):
                    continue  # an article about cookies or newsletters
                message = f"{_LABELS[category]} at the {block.where} of the content (`{_excerpt(visible)}`)"
            reported.append(span)
            yield self.report(
                span[0], span[1], message,
                self.fix("Remove the block", Edit.delete(*line_extent(text, *span)),
                         applicability=Applicability.UNSAFE),
            )


def _label_and_links(doc: Document, pair: _Block) -> bool:
    """Whether a pair is a label ("Related posts", nothing more) and what it labels: not a
    block that is a whole related-links line or widget already, followed by a paragraph of
    the post (which a fix would delete with it)."""
    label = " ".join(_visible_text(doc, pair.start, pair.split).lower().split())
    lead = _RELATED_LEAD.match(label)
    return lead is not None and not label[lead.end():].strip(" \t:.–-")


def _about_the_topic(text: str, block: _Block, category: str) -> bool:
    """Whether the block's topic word recurs outside it: the article is about it."""
    topic = _TOPIC.get(category)
    if topic is None:
        return False
    variants = (topic, topic.capitalize(), topic.upper())
    inside = sum(text.count(variant, block.start, block.end) for variant in variants)
    return sum(text.count(variant) for variant in variants) - inside >= 2


def _classify(visible: str, raw: str) -> str | None:
    """The kind of boilerplate ``visible`` (the block's text) is, or None."""
    words = len(visible.split())
    if not words or words > max(MAX_WORDS.values()):
        return None
    lower = " ".join(visible.lower().split())
    if _ANY_CATEGORY.search(lower) is None:
        return None  # most blocks: none of the words every category's phrases need
    tail = lower[-40:]
    call_to_action = _CALL_TO_ACTION.search(tail) is not None or _BUTTON.search(raw) is not None
    if words <= MAX_WORDS["cookie"]:
        hits = {m.group() for m in _COOKIE.finditer(lower)}
        if hits and (call_to_action or len(hits) >= 2):
            return "cookie"
    if words <= MAX_WORDS["share"] and _SHARE_LEAD.search(lower):
        if len(set(_NETWORKS.findall(lower))) >= 2 or _LIKES.search(lower):
            return "share"
    if words <= MAX_WORDS["related"]:
        # The phrase must be a label (a heading, a line of its own, or followed by ":"), not
        # the start of a sentence ("Related to this, the committee found…").
        segments = [segment.strip().lower() for segment in visible.split(_SEGMENT) if segment.strip()]
        lead = _RELATED_LEAD.match(segments[0]) if segments else None
        label = lead is not None and (
            not segments[0][lead.end():].strip(" \t:.–-") or segments[0][lead.end():].lstrip().startswith(":")
        )
        if label and words > len(lead.group().split()) + 2 and (not raw or "<a" in raw.lower()):  # type: ignore[union-attr]
            return "related"
    if words <= MAX_WORDS["subscribe"]:
        hits = {m.group() for m in _SUBSCRIBE.finditer(lower)}
        if hits and (call_to_action or len(hits) >= 2):
            return "subscribe"
    return None


def _excerpt(visible: str, limit: int = 40) -> str:
    words = " ".join(visible.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


# --- text exports --------------------------------------------------------------------------


def _text_blocks(text: str) -> Iterator[_Block]:
    """The first and last line, and the first and last paragraph, of a plain-text export."""
    stripped_end = len(text.rstrip())
    stripped_start = len(text) - len(text.lstrip())
    if stripped_end <= stripped_start:
        return
    last_line_start = max(text.rfind("\n", 0, stripped_end), text.rfind("\r", 0, stripped_end)) + 1
    yield _Block(last_line_start, stripped_end, "end")
    paragraphs = list(_BLANK_LINES.finditer(text, stripped_start, stripped_end))
    if paragraphs:
        yield _Block(paragraphs[-1].end(), stripped_end, "end")
    newline = re.compile(r"[\r\n]").search(text, stripped_start)
    first_line_end = newline.start() if newline else stripped_end
    if first_line_end < stripped_end:
        yield _Block(stripped_start, first_line_end, "start")
    if paragraphs and paragraphs[0].start() < stripped_end:
        yield _Block(stripped_start, paragraphs[0].start(), "start")


# --- HTML ----------------------------------------------------------------------------------


def _skippable(stream: TokenStream, i: int) -> bool:
    """Whitespace, comments and void elements between blocks."""
    kind = stream.kinds[i]
    if kind is TEXT:
        return not stream.src(i).strip()
    return kind is COMMENT or (kind is START_TAG and stream.names[i] in _VOID)


def _edge_blocks(doc: Document) -> Iterator[_Block]:
    """The last three and the first two blocks of the content, the last two together (a
    heading and its list), and inside a large wrapper its own edge blocks, down to four
    levels. Only the edges are read, so the cost does not grow with the post."""
    stream = doc.tokens
    for at_end in (True, False):
        where = "end" if at_end else "start"
        i = len(stream.kinds) - 1 if at_end else 0
        for _ in range(4):
            siblings = list(_siblings(doc, i, at_end, 3 if at_end else 2))
            if not siblings:
                break
            yield siblings[0]
            # Blocks before the last one count only by a widget class: "at the end" on
            # phrases alone means the very last block.
            yield from (block for block in siblings[1:] if block.widget)
            if at_end and len(siblings) > 1 and siblings[0].end - siblings[1].start <= _MAX_BLOCK_CHARS:
                yield _Block(siblings[1].start, siblings[0].end, where, pair=True, split=siblings[0].start)
            outer = siblings[0]
            alone = _only_block(doc, outer)
            if not outer.element or (outer.end - outer.start <= _WRAPPER_CHARS and not alone):
                break  # descend into large blocks and into a wrapper around everything
            first, last = outer.element
            i = last - 1 if at_end else first + 1


def _only_block(doc: Document, block: _Block) -> bool:
    """Whether nothing but whitespace surrounds the block in the whole text."""
    text = doc.text
    return _NON_SPACE.search(text, 0, block.start) is None and _NON_SPACE.search(text, block.end) is None


def _siblings(doc: Document, i: int, at_end: bool, count: int) -> Iterator[_Block]:
    """Up to ``count`` consecutive blocks going backwards (or forwards) from token ``i``,
    stopping at the parent's tag."""
    stream = doc.tokens
    limit = -1 if at_end else len(stream.kinds)
    step = -1 if at_end else 1
    where = "end" if at_end else "start"
    for _ in range(count):
        while i != limit and _skippable(stream, i):
            i += step
        if i == limit:
            return
        kind = stream.kinds[i]
        if kind is TEXT or kind is CHARREF or (kind in (START_TAG, END_TAG) and stream.names[i] in INLINE_WRAPPERS):
            span, i = _bare_text(doc, i, at_end)
            if span is None:
                return
            yield _Block(span[0], span[1], where)
            continue
        if at_end and kind is END_TAG:
            first, last = matching_start(stream, i), i
        elif not at_end and kind is START_TAG:
            end = matching_end(stream, i)
            if end is None:
                return
            first, last = i, end
        else:
            return  # the parent's own tag
        if first is None or last is None:
            return
        block = _Block(stream.starts[first], stream.starts[last + 1], where, element=(first, last),
                       widget=_widget(stream, first))
        yield block
        i = first - 1 if at_end else last + 1


def _widget(stream: TokenStream, i: int) -> str:
    """A known widget class or id on the start tag at ``i``, or ``""``."""
    source = stream.src(i)
    if "class" not in source and "id" not in source:
        return ""
    for attribute in stream[i].attributes:
        if attribute.name in ("class", "id") and attribute.value:
            for word in attribute.value.split():
                if word in _WIDGETS:
                    return word
    return ""


def _bare_text(doc: Document, i: int, at_end: bool) -> tuple[tuple[int, int] | None, int]:
    """The run of text and inline markup from token ``i`` up to the nearest block tag, and
    the token index after it."""
    stream = doc.tokens
    count = len(stream.kinds)
    step = -1 if at_end else 1
    j = i
    while 0 <= j + step < count:
        nxt = j + step
        kind = stream.kinds[nxt]
        if kind in (START_TAG, END_TAG) and stream.names[nxt] not in INLINE_WRAPPERS:
            break
        if kind is not TEXT and kind is not CHARREF and kind not in (START_TAG, END_TAG):
            break
        j = nxt
        if abs(stream.starts[i] - stream.starts[j]) > _WRAPPER_CHARS:
            return None, j
    first, last = (j, i) if at_end else (i, j)
    start, end = stream.starts[first], stream.starts[last + 1]
    chunk = doc.text[start:end]
    start += len(chunk) - len(chunk.lstrip())
    end -= len(chunk) - len(chunk.rstrip())
    return ((start, end) if start < end else None), j + step


def _visible_text(doc: Document, start: int, end: int) -> str:
    """What the block shows: its text with references decoded, and block boundaries (block
    tags, or line breaks in a text export) as U+2029 PARAGRAPH SEPARATOR."""
    if not doc.is_html:
        return doc.text[start:end].replace("\r\n", _SEGMENT).replace("\n", _SEGMENT).replace("\r", _SEGMENT)
    stream = doc.tokens
    parts: list[str] = []
    i = stream.index_at(start)
    last = stream.index_at(max(start, end - 1))
    for j in range(i, last + 1):
        kind = stream.kinds[j]
        if kind is TEXT:
            parts.append(stream.src(j).replace("\n", " ").replace("\r", " "))
        elif kind is CHARREF:
            parts.append(decode_charref(stream.src(j)))
        elif kind is RAWTEXT:
            continue
        elif stream.names[j] in _BLOCK_SEPARATORS:
            parts.append(_SEGMENT)
    return "".join(parts)
